import { afterEach, expect, it } from "vitest";
import { OK, SceneMultiplayer, WebSocketServer } from "../../src/index.js";
import { godot3ClientScript } from "../multiplayer/godot3-scripts.js";
import { type GodotProcess, startGodot } from "../support/godot.js";
import { toHex } from "../support/hex.js";
import { describeWithTool } from "../support/tools.js";
import { WebSocketTap } from "../support/ws-tap.js";
import { pump } from "../websocket/support.js";

/*
 * Real Godot 3.2.3 game clients (godot3-server, GDScript in ../multiplayer/godot3-scripts.ts)
 * playing through a gdnet server: WebSocketServer in Godot 3's multiplayer mode, driven
 * by a SceneMultiplayer. The gdnet server orders the clients around with send_bytes.
 */

/** The header of every message a client sent, read off the wire in front of the server. */
function sentHeaders(tap: WebSocketTap): { from: number; to: number; payload: string }[] {
  return tap.messages
    .filter((m) => m.data.byteLength >= 9)
    .map(({ data }) => {
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      return { from: view.getInt32(1, true), to: view.getInt32(5, true), payload: toHex(data.subarray(9)) };
    });
}

const hexOf = (text: string) => toHex(new TextEncoder().encode(text));

describeWithTool("godot3-server", "Multiplayer: Godot 3.2.3 game clients play through a gdnet server", () => {
  const games: GodotProcess[] = [];
  let server: WebSocketServer;
  let tap: WebSocketTap | null = null;
  let multiplayer: SceneMultiplayer;
  let seen: string[];

  afterEach(() => {
    for (const game of games.splice(0)) game.kill();
    server?.stop();
    tap?.close();
    tap = null;
  });

  async function startServer(): Promise<string> {
    server = new WebSocketServer();
    expect(server.listen(0, { gdMpApi: true })).toBe(OK);
    tap = await WebSocketTap.start(server.getLocalPort());
    multiplayer = new SceneMultiplayer(server);
    seen = [];
    multiplayer.peerConnected.connect((id) => seen.push(`connected ${id}`));
    multiplayer.peerDisconnected.connect((id) => seen.push(`disconnected ${id}`));
    multiplayer.peerPacket.connect((id, packet) => seen.push(`packet ${id} ${toHex(packet)}`));
    multiplayer.scenePacket.connect((id, packet) => seen.push(`scene ${id} ${toHex(packet)}`));
    return `ws://127.0.0.1:${tap.port}/`;
  }

  /** Starts `count` Godot clients; resolves once all joined and each knows every other. */
  async function startGames(count: number): Promise<{ game: GodotProcess; id: number }[]> {
    const url = await startServer();
    for (let i = 0; i < count; i++) games.push(startGodot(godot3ClientScript(url)));
    const players = [];
    for (const game of games) {
      await pump([multiplayer], () => game.lines.some((line) => line.startsWith("ID ")), 20_000);
      players.push({ game, id: Number(game.lines.find((line) => line.startsWith("ID "))!.slice(3)) });
    }
    for (const { game } of players) {
      await pump(
        [multiplayer],
        () => game.lines.filter((l) => l.startsWith("PEER_CONNECTED")).length === count,
        10_000,
      );
    }
    return players;
  }

  /** Orders a Godot client to do something (a send_bytes packet from the server). */
  function order(id: number, command: string): void {
    expect(multiplayer.sendBytes(new TextEncoder().encode(`cmd:${command}`), id)).toBe(OK);
  }

  async function untilLine(game: GodotProcess, line: string): Promise<void> {
    await pump([multiplayer], () => game.lines.includes(line), 10_000);
  }

  it("each client learns the others' ids; rpc_id gets answers both ways; rpc reaches everyone else", async () => {
    const [a, b] = await startGames(2);
    expect(a!.id).toBeGreaterThanOrEqual(2);
    expect(multiplayer.getPeers().sort()).toEqual([a!.id, b!.id].sort());
    expect(a!.game.lines).toEqual(expect.arrayContaining(["PEER_CONNECTED 1", `PEER_CONNECTED ${b!.id}`]));
    expect(b!.game.lines).toEqual(expect.arrayContaining(["PEER_CONNECTED 1", `PEER_CONNECTED ${a!.id}`]));

    order(a!.id, `rpc_id ${b!.id} hi`);
    await untilLine(a!.game, `ANSWER ${b!.id} re:hi`);
    expect(b!.game.lines).toContain(`HELLO ${a!.id} hi 7`);
    order(b!.id, `rpc_id ${a!.id} yo`);
    await untilLine(b!.game, `ANSWER ${a!.id} re:yo`);
    expect(a!.game.lines).toContain(`HELLO ${b!.id} yo 7`);

    order(a!.id, "rpc one");
    await untilLine(b!.game, `SHOUT ${a!.id} one`);
    order(a!.id, "rpc two");
    await untilLine(b!.game, `SHOUT ${a!.id} two`);
    // The first rpc() went out once per peer; the server answered SIMPLIFY_PATH with
    // CONFIRM_PATH, so the second went out as a single packet to everyone (to = 0).
    const carrying = (word: string) =>
      sentHeaders(tap!)
        .filter((m) => m.from === a!.id && m.payload.includes(hexOf(word)))
        .map((m) => m.to)
        .sort();
    expect(carrying("one")).toEqual([1, b!.id].sort());
    expect(carrying("two")).toEqual([0]);
    // RPCs reach the gdnet server too, whole, as scene packets.
    expect(seen.filter((e) => e.startsWith(`scene ${a!.id}`) && e.includes(hexOf("two")))).toHaveLength(1);
    order(b!.id, "master m");
    await pump([multiplayer], () =>
      seen.some((e) => e.startsWith(`scene ${b!.id}`) && e.includes(hexOf("to_master"))),
    );
  });

  it("send_bytes arrives with the right sender on Godot peers and on the gdnet server; to = -1 skips the server", async () => {
    const [a, b] = await startGames(2);
    // Each client greets the other with send_bytes("hi") when it learns about it.
    await untilLine(a!.game, `PACKET ${b!.id} ${hexOf("hi")}`);
    await untilLine(b!.game, `PACKET ${a!.id} ${hexOf("hi")}`);
    order(b!.id, "bytes 1 cafe");
    order(b!.id, "bytes -1 beef");
    order(b!.id, `bytes -${a!.id} f00d`);
    order(b!.id, "bytes 0 0102");
    order(b!.id, `bytes ${a!.id} aaaa`);
    await untilLine(a!.game, `PACKET ${b!.id} aaaa`);
    await pump([multiplayer], () => seen.includes(`packet ${b!.id} 0102`));
    const fromB = (game: GodotProcess) =>
      game.lines.filter((l) => l.startsWith(`PACKET ${b!.id} `)).map((l) => l.split(" ")[2]);
    expect(fromB(a!.game)).toEqual([hexOf("hi"), "beef", "0102", "aaaa"]);
    expect(seen.filter((e) => e.startsWith(`packet ${b!.id}`))).toEqual([
      `packet ${b!.id} cafe`,
      `packet ${b!.id} f00d`,
      `packet ${b!.id} 0102`,
    ]);
    // The gdnet server's own send_bytes, and a Godot client's answer to it.
    expect(multiplayer.sendBytes(new TextEncoder().encode("echo:zz"), a!.id)).toBe(OK);
    await pump([multiplayer], () => seen.includes(`packet ${a!.id} ${hexOf("echoed:zz")}`));
    expect(multiplayer.sendBytes(new Uint8Array([9, 8, 7]))).toBe(OK);
    await untilLine(a!.game, "PACKET 1 090807");
    await untilLine(b!.game, "PACKET 1 090807");
  });

  it("a client that leaves is announced to the rest; disconnectPeer kicks one", async () => {
    const [a, b, c] = await startGames(3);
    order(c!.id, "leave");
    await untilLine(a!.game, `PEER_DISCONNECTED ${c!.id}`);
    await untilLine(b!.game, `PEER_DISCONNECTED ${c!.id}`);
    await pump([multiplayer], () => seen.includes(`disconnected ${c!.id}`));
    // Godot 3.2.3's client reports its own disconnection as connection_failed.
    expect(await c!.game.waitForLine(/^(CONNECTION_FAILED|SERVER_DISCONNECTED)$/)).toBeTruthy();

    expect(multiplayer.disconnectPeer(a!.id)).toBe(OK);
    await untilLine(b!.game, `PEER_DISCONNECTED ${a!.id}`);
    await pump([multiplayer], () => seen.includes(`disconnected ${a!.id}`));
    await a!.game.waitForLine(/^(CONNECTION_FAILED|SERVER_DISCONNECTED)$/);
    expect(a!.game.lines.filter((l) => l.startsWith("PEER_DISCONNECTED"))).toEqual([
      `PEER_DISCONNECTED ${c!.id}`,
    ]);
    expect(multiplayer.getPeers()).toEqual([b!.id]);
    // The one left still plays with the server.
    expect(multiplayer.sendBytes(new TextEncoder().encode("echo:still"), b!.id)).toBe(OK);
    await pump([multiplayer], () => seen.includes(`packet ${b!.id} ${hexOf("echoed:still")}`));
  });
});
