import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { OK, SceneMultiplayer, WebSocketMultiplayerPeer } from "../../src/index.js";
import type { Godot4Run } from "../support/godot4/engine.js";
import { describeWithGodot4, pollUntilSettled, waitUntil } from "../support/godot4/suite.js";

/*
 * Two real Godot 4.6 games (web build) joined through a gdnet WebSocketMultiplayerPeer
 * server with SceneMultiplayer's relay. The games' node /root/Game obeys commands the
 * server sends as raw bytes (scripts/relay_game.gd), so each step below is one command
 * and what every side reports.
 */

const script = (name: string) => readFileSync(new URL(`./scripts/${name}`, import.meta.url), "utf8");
const MAIN = script("relay_main.gd");
const FILES = { "relay_game.gd": script("relay_game.gd") };
const text = (value: string) => new TextEncoder().encode(value);
const REMOTE_CALL = 0;

describeWithGodot4(
  "relay: two Godot 4.6 clients behind gdnet's WebSocketMultiplayerPeer and SceneMultiplayer",
  (godot) => {
    let peer: WebSocketMultiplayerPeer;
    let multiplayer: SceneMultiplayer;
    const events: string[] = [];
    const scenePackets: [number, Uint8Array][] = [];
    const games: Godot4Run[] = [];
    let idA = 0;
    let idB = 0;
    let a: Godot4Run;
    let b: Godot4Run;
    const settle = <T>(promise: Promise<T>) => pollUntilSettled([multiplayer], promise);

    async function join(name: string): Promise<[Godot4Run, number]> {
      // The games live through every test below; each wait has its own, shorter guard.
      const game = godot().run(MAIN, {
        files: FILES,
        args: [`ws://127.0.0.1:${peer.getLocalPort()}/`, name],
        timeoutMs: 120_000,
      });
      games.push(game);
      const connected = await settle(game.waitForLine("CONNECTED"));
      return [game, Number(connected.split(" ")[1])];
    }

    beforeAll(async () => {
      peer = new WebSocketMultiplayerPeer();
      expect(peer.createServer(0, "127.0.0.1")).toBe(OK);
      multiplayer = new SceneMultiplayer(peer);
      multiplayer.peerConnected.connect((id) => events.push(`connected ${id}`));
      multiplayer.peerDisconnected.connect((id) => events.push(`disconnected ${id}`));
      multiplayer.peerPacket.connect((id, bytes) =>
        events.push(`packet ${id} ${new TextDecoder().decode(bytes)}`),
      );
      multiplayer.scenePacket.connect((id, bytes) => scenePackets.push([id, bytes.slice()]));
      // The port of createServer(0) is known once a poll has seen the listener bound.
      await settle(waitUntil(() => peer.getLocalPort() !== 0));
      [a, idA] = await join("A");
      [b, idB] = await join("B");
    }, 30_000);

    afterAll(async () => {
      for (const game of games) await game.stop();
      peer?.close();
    });

    it("each game gets its id from the server and learns of the server and of the other game", async () => {
      expect(idA).toBeGreaterThan(1);
      expect(idB).toBeGreaterThan(1);
      expect(idA).not.toBe(idB);
      expect(multiplayer.getPeers().sort()).toEqual([idA, idB].sort());
      expect(events.slice(0, 2)).toEqual([`connected ${idA}`, `connected ${idB}`]);
      await settle(a.waitForLine(`PEER_CONNECTED ${idB}`));
      await settle(b.waitForLine(`PEER_CONNECTED ${idA}`));
      expect(a.lines).toContain("PEER_CONNECTED 1");
      expect(b.lines).toContain("PEER_CONNECTED 1");
    });

    it("send_bytes works both ways between the server and a game", async () => {
      expect(multiplayer.sendBytes(text("bytes_to 1 hi server"), idA)).toBe(OK);
      await settle(a.waitForLine("PACKET 1 bytes_to 1 hi server"));
      await settle(waitUntil(() => events.includes(`packet ${idA} hi server`)));
      // The game prints after its send returned; the packet can reach the server before
      // the page's console line reaches the test, so wait for the line too.
      expect(await settle(a.waitForLine("SEND "))).toBe("SEND 0");
    });

    it("send_bytes from one game reaches the other through the relay, with the sender's id", async () => {
      multiplayer.sendBytes(text(`bytes_to ${idB} from A`), idA);
      expect(await settle(b.waitForLine(`PACKET ${idA}`))).toBe(`PACKET ${idA} from A`);
    });

    it("rpc_id from one game runs the other game's @rpc function, which sees the right sender", async () => {
      multiplayer.sendBytes(text(`rpc_id ${idB} hi B`), idA);
      expect(await settle(b.waitForLine("HELLO"))).toBe(`HELLO ${idA} B got hi B`);
    });

    it("rpc() from one game runs on the other game and reaches the server as an RPC packet", async () => {
      multiplayer.sendBytes(text("rpc to all"), idB);
      expect(await settle(a.waitForLine("HELLO"))).toBe(`HELLO ${idB} A got to all`);
      await settle(
        waitUntil(() =>
          scenePackets.some(
            ([id, bytes]) =>
              id === idB && (bytes[0]! & 0x07) === REMOTE_CALL && Buffer.from(bytes).includes("to all"),
          ),
        ),
      );
      // The relay does not send the broadcast back to its sender.
      expect(b.lines.filter((line) => line.includes("got to all"))).toEqual([]);
    });

    it("a game that leaves is announced: peer_disconnected on the server and in the other game", async () => {
      multiplayer.sendBytes(text("leave"), idB);
      expect((await settle(b.exited)).code).toBe(0);
      await settle(a.waitForLine(`PEER_DISCONNECTED ${idB}`));
      await settle(waitUntil(() => events.includes(`disconnected ${idB}`)));
      expect(multiplayer.getPeers()).toEqual([idA]);
    });
  },
);
