import { afterEach, expect, it } from "vitest";
import { MultiplayerPeer, OK, SceneMultiplayer, WebSocketClient } from "../../src/index.js";
import { godot3ClientScript, godot3ServerScript } from "../multiplayer/godot3-scripts.js";
import { type GodotProcess, startGodot } from "../support/godot.js";
import { toHex } from "../support/hex.js";
import { describeWithTool } from "../support/tools.js";
import { freePort, pump } from "../websocket/support.js";

/*
 * A gdnet client in Godot 3's multiplayer mode joins a real Godot 3.2.3 server
 * (WebSocketServer.listen(port, [], true) as network_peer), next to a real Godot client,
 * and they exchange packets through the Godot server's relay.
 */

const hexOf = (text: string) => toHex(new TextEncoder().encode(text));
const bytes = (text: string) => new TextEncoder().encode(text);

describeWithTool(
  "godot3-server",
  "Multiplayer: a gdnet client with a Godot 3.2.3 server and a Godot client",
  () => {
    const games: GodotProcess[] = [];
    afterEach(() => {
      for (const game of games.splice(0)) game.kill();
    });

    it("the gdnet client joins, learns the Godot client's id, and they exchange send_bytes through the server both ways", async () => {
      const port = await freePort();
      const server = startGodot(godot3ServerScript(port));
      games.push(server);
      expect(await server.waitForLine("LISTEN")).toBe("LISTEN 0");
      const url = `ws://127.0.0.1:${port}/`;
      const godot = startGodot(godot3ClientScript(url));
      games.push(godot);
      const godotId = Number((await godot.waitForLine(/^ID /)).slice(3));

      const client = new WebSocketClient();
      const multiplayer = new SceneMultiplayer(client);
      const seen: string[] = [];
      client.connectionSucceeded.connect(() => seen.push("succeeded"));
      client.serverDisconnected.connect(() => seen.push("server_disconnected"));
      client.connectionFailed.connect(() => seen.push("failed"));
      multiplayer.peerConnected.connect((id) => seen.push(`connected ${id}`));
      multiplayer.peerDisconnected.connect((id) => seen.push(`disconnected ${id}`));
      multiplayer.peerPacket.connect((id, packet) => seen.push(`packet ${id} ${toHex(packet)}`));
      expect(client.connectToUrl(url, [], true)).toBe(OK);
      expect(client.getConnectionStatus()).toBe(MultiplayerPeer.CONNECTION_CONNECTING);
      await pump([multiplayer], () => multiplayer.getPeers().includes(godotId), 10_000);
      const myId = client.getUniqueId();
      expect(myId).toBeGreaterThanOrEqual(2);
      expect(client.getConnectionStatus()).toBe(MultiplayerPeer.CONNECTION_CONNECTED);
      expect(seen.slice(0, 3)).toEqual(["connected 1", "succeeded", `connected ${godotId}`]);
      await server.waitForLine(`PEER_CONNECTED ${myId}`);
      await godot.waitForLine(`PEER_CONNECTED ${myId}`);

      // Godot client → gdnet client: its greeting when it learned about us.
      await pump([multiplayer], () => seen.includes(`packet ${godotId} ${hexOf("hi")}`));
      // gdnet client → Godot client, and its answer back.
      expect(multiplayer.sendBytes(bytes("echo:ping"), godotId)).toBe(OK);
      await godot.waitForLine(`PACKET ${myId} ${hexOf("echo:ping")}`);
      await pump([multiplayer], () => seen.includes(`packet ${godotId} ${hexOf("echoed:ping")}`));
      // The transport API directly: a RAW packet (MultiplayerAPI command 4) to everyone.
      client.setTargetPeer(MultiplayerPeer.TARGET_PEER_BROADCAST);
      expect(client.putPacket(new Uint8Array([4, 0xab, 0xcd]))).toBe(OK);
      await godot.waitForLine(`PACKET ${myId} abcd`);
      await server.waitForLine(`PACKET ${myId} abcd`);
      // To the server only.
      expect(multiplayer.sendBytes(new Uint8Array([1, 2]), 1)).toBe(OK);
      await server.waitForLine(`PACKET ${myId} 0102`);
      expect(godot.lines).not.toContain(`PACKET ${myId} 0102`);

      // The Godot client leaves: the Godot server announces it (SYS_DEL).
      godot.kill();
      await pump([multiplayer], () => seen.includes(`disconnected ${godotId}`), 10_000);
      // The Godot server goes away: server_disconnected, not connection_failed.
      server.kill();
      await pump([multiplayer], () => seen.includes("server_disconnected"), 10_000);
      expect(seen).not.toContain("failed");
      expect(client.getConnectionStatus()).toBe(MultiplayerPeer.CONNECTION_DISCONNECTED);
    });
  },
);
