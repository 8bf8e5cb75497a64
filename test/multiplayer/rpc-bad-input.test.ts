import { describe, expect, it } from "vitest";
import {
  MemoryNetwork,
  SceneMultiplayer,
  WebSocketMultiplayerPeer,
  WebSocketServer,
} from "../../src/index.js";
import { toHex } from "../support/hex.js";
import { frames, le32, RawClient, utf8 } from "./support.js";

/*
 * Bad input at the RPC layer of a Godot 4 server, from bare clients standing in for
 * hostile games: each bad packet is dropped (and reported through rpcRefused), the sender
 * keeps playing, and the path cache stays bounded.
 */

const GAME_SUM = "afc4587f66e8e43eb971fa1200a7fee4";
const hexOf = (text: string) => toHex(utf8(text));
const u32 = (value: number) => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return toHex(bytes);
};
const simplify = (cacheId: number, checksum = GAME_SUM, path = "Game") =>
  `01${hexOf(checksum)}00${u32(cacheId)}${hexOf(path)}00`;
/** hello_server("ok") on cache id 1: method 2, one String. */
const HELLO_OK = "00010201 04000000 02000000 6f6b0000";

function world(seed: number) {
  const network = new MemoryNetwork({ seed });
  const peer = new WebSocketMultiplayerPeer({ network });
  peer.createServer(7700);
  const multiplayer = new SceneMultiplayer(peer);
  for (const method of ["hello_server", "from_server", "secret", "chat"]) {
    multiplayer.rpcConfig("/root/Game", method, { rpcMode: SceneMultiplayer.RPC_MODE_ANY_PEER });
  }
  const events: string[] = [];
  multiplayer.rpcReceived.connect((id, path, method, args) =>
    events.push(`call ${id} ${path} ${method} ${JSON.stringify(args)}`),
  );
  multiplayer.rpcRefused.connect((id, path, method, reason) =>
    events.push(`refused ${id} ${path} ${method} ${reason}`),
  );
  multiplayer.scenePacket.connect((id, packet) => events.push(`scene ${id} ${toHex(packet)}`));
  const clients: RawClient[] = [];
  const step = (count = 2) => frames(network, [...clients, multiplayer], count);
  const join = () => {
    const client = new RawClient(network, "ws://127.0.0.1:7700/");
    clients.push(client);
    step(3);
    client.take();
    return { client, id: multiplayer.getPeers().at(-1)! };
  };
  return { multiplayer, events, step, join };
}

describe("bad input at the RPC layer of a Godot 4 server", () => {
  it("truncated or inconsistent headers are dropped as malformed and the sender keeps playing", () => {
    const { events, step, join } = world(71);
    const a = join();
    a.client.send(simplify(1));
    step();
    expect(a.client.take()).toEqual(["020101000000"]);
    const bad = [
      "00", // REMOTE_CALL with no node id
      "0001", // no method id
      "000102", // no argument count
      "30010200", // node id width 3
      "20 05000080 02 00", // path offset inside the header
      "20 ff000080 02 00 47616d6500", // path offset past the end
      "20 07000080 02 00 ff00", // path that is not UTF-8
      `01${hexOf(GAME_SUM)}00`, // SIMPLIFY_PATH without an id
      "0201", // CONFIRM_PATH of the wrong length
    ];
    for (const packet of bad) a.client.send(packet);
    a.client.send(HELLO_OK);
    step();
    expect(events).toEqual([
      ...bad.map(() => `refused ${a.id}   malformed`),
      `call ${a.id} /root/Game hello_server ["ok"]`,
    ]);
  });

  it("an unknown path id, a method id out of range and arguments that do not decode are dropped", () => {
    const { events, step, join } = world(72);
    const a = join();
    a.client.send(simplify(1));
    const bad = [
      "00 09 02 01 02 05", // cache id 9 was never announced
      "00 01 09 00", // method 9 of a node with four
      "40 01 0080 00", // a node-level id the node does not have
      "00 01 02 01 04000000 ff000000", // a String longer than the packet
      "00 01 02 02 0207", // two arguments announced, one sent
      "00 01 02 01 42 ff", // an int16 cut short
      "00 01 02 01 18000000 00000000", // a full Object, never decoded
      "00 01 02 01 3f000000", // an unknown Variant type
    ];
    for (const packet of bad) a.client.send(packet);
    a.client.send(HELLO_OK);
    step();
    expect(events).toEqual([
      `refused ${a.id}   unknown_path_id`,
      `refused ${a.id} /root/Game  undeclared_method`,
      `refused ${a.id} /root/Game  undeclared_method`,
      ...bad.slice(3).map(() => `refused ${a.id} /root/Game hello_server bad_arguments`),
      `call ${a.id} /root/Game hello_server ["ok"]`,
    ]);
  });

  it("a duplicate cache id is refused and the first announcement stands", () => {
    const { events, step, join } = world(73);
    const a = join();
    a.client.send(simplify(1));
    a.client.send(simplify(1, GAME_SUM, "Other"));
    a.client.send(HELLO_OK);
    step();
    expect(events).toEqual([
      `refused ${a.id} /root/Other  duplicate_path_id`,
      `call ${a.id} /root/Game hello_server ["ok"]`,
    ]);
  });

  it("a path-cache flood (one path under thousands of ids) is capped per peer; the others play on and the cache empties when the peer leaves", () => {
    const { multiplayer, events, step, join } = world(74);
    const [a, b] = [join(), join()];
    expect(multiplayer.maxPathCacheEntries).toBe(4096);
    let sent = 0;
    for (let frame = 0; frame < 20; frame++) {
      for (let i = 0; i < 500; i++) a.client.send(simplify(1 + sent++));
      b.client.send(simplify(1 + frame));
      b.client.send(`00${(1 + frame).toString(16).padStart(2, "0")}0201 04000000 02000000 6f6b0000`);
      step(1);
    }
    step();
    expect(sent).toBe(10_000);
    expect(multiplayer.getPathCacheSize()).toBe(4096 + 20);
    expect(a.client.take().filter((m) => m.startsWith("0201"))).toHaveLength(4096);
    expect(events.filter((e) => e.endsWith("path_cache_full"))).toHaveLength(10_000 - 4096);
    expect(events.filter((e) => e.startsWith(`call ${b.id}`))).toHaveLength(20);
    // The flooder's own announcements that were kept still work.
    events.length = 0;
    a.client.send(HELLO_OK);
    step();
    expect(events).toEqual([`call ${a.id} /root/Game hello_server ["ok"]`]);
    a.client.peer.close(1000);
    step(4);
    expect(multiplayer.getPeers()).toEqual([b.id]);
    expect(multiplayer.getPathCacheSize()).toBe(20);
  });

  it("a lower maxPathCacheEntries is honoured, and an undeclared path's announcement still reaches scenePacket", () => {
    const { multiplayer, events, step, join } = world(75);
    multiplayer.maxPathCacheEntries = 2;
    const a = join();
    a.client.send(simplify(1, "0".repeat(32), "Custom"));
    a.client.send(simplify(2));
    a.client.send(simplify(3));
    step();
    expect(a.client.take()).toEqual(["020102000000"]);
    expect(events).toEqual([
      `scene ${a.id} ${simplify(1, "0".repeat(32), "Custom")}`,
      `refused ${a.id} /root/Game  path_cache_full`,
    ]);
    expect(multiplayer.getPathCacheSize()).toBe(2);
  });
});

describe("bad input at the RPC layer of a Godot 3 server", () => {
  /** A Godot 3 mode server declaring a remote `hello` on /root/Game, with bare clients. */
  function godot3World(seed: number) {
    const network = new MemoryNetwork({ seed });
    const server = new WebSocketServer({ network });
    server.listen(7800, { gdMpApi: true });
    const multiplayer = new SceneMultiplayer(server);
    multiplayer.rpcConfig("/root/Game", "hello", { rpcMode: SceneMultiplayer.Godot3RpcMode.REMOTE });
    const events: string[] = [];
    multiplayer.rpcReceived.connect((id, path, method, args) =>
      events.push(`call ${id} ${path} ${method} ${JSON.stringify(args)}`),
    );
    multiplayer.rpcRefused.connect((id, path, method, reason) =>
      events.push(`refused ${id} ${path} ${method} ${reason}`),
    );
    multiplayer.scenePacket.connect((id, packet) => events.push(`scene ${id} ${toHex(packet)}`));
    const clients: RawClient[] = [];
    const step = (count = 2) => frames(network, [...clients, multiplayer], count);
    const join = () => {
      const client = new RawClient(network, "ws://127.0.0.1:7800/");
      clients.push(client);
      step(3);
      client.take();
      const id = multiplayer.getPeers().at(-1)!;
      /** Sends a MultiplayerAPI packet (hex) to the server in a DATA message. */
      const send = (payload: string) => client.send(`00${le32(id)}${le32(1)}${payload}`);
      return { client, id, send };
    };
    return { multiplayer, events, step, join };
  }

  /** hello("ok") on cache id 1. */
  const HELLO = `00 01000000 ${hexOf("hello")}00 01 04000000 02000000 6f6b0000`;

  it("malformed calls, unknown ids, undeclared methods and undecodable arguments are dropped; the sender keeps playing", () => {
    const { events, step, join } = godot3World(81);
    const a = join();
    a.send(`02 01000000 ${hexOf("Game")}00`);
    const bad = [
      "00 01000000", // shorter than Godot's minimum
      `00 01000000 ${hexOf("hello")}`, // a method name that does not end
      `00 ff000080 ${hexOf("hello")}00 00`, // a path offset past the end
      `00 09000000 ${hexOf("hello")}00 00`, // cache id 9 was never announced
      `00 01000000 ${hexOf("nope")}00 00`, // a method nobody declared
      `00 01000000 ${hexOf("hello")}00 01 04000000 ff000000`, // a String longer than the packet
      `00 01000000 ${hexOf("hello")}00 01 11000000 00000000`, // a full Object
    ];
    for (const packet of bad) a.send(packet);
    a.send(HELLO);
    step();
    expect(a.client.take()).toEqual([`00${le32(1)}${le32(a.id)}03${hexOf("Game")}00`]);
    expect(events).toEqual([
      `refused ${a.id}   malformed`,
      `refused ${a.id}   malformed`,
      `refused ${a.id}   malformed`,
      `refused ${a.id}  hello unknown_path_id`,
      `refused ${a.id} /root/Game nope undeclared_method`,
      `refused ${a.id} /root/Game hello bad_arguments`,
      `refused ${a.id} /root/Game hello bad_arguments`,
      `call ${a.id} /root/Game hello ["ok"]`,
    ]);
  });

  it("a path-cache flood is capped per peer (unconfirmed past the cap) and emptied when the peer leaves", () => {
    const { multiplayer, events, step, join } = godot3World(82);
    const [a, b] = [join(), join()];
    multiplayer.maxPathCacheEntries = 100;
    for (let i = 1; i <= 1000; i++) a.send(`02 ${le32(i)} ${hexOf("Game")}00`);
    b.send(`02 01000000 ${hexOf("Game")}00`);
    b.send(HELLO);
    step(4);
    expect(multiplayer.getPathCacheSize()).toBe(101);
    expect(a.client.take().filter((m) => m.endsWith(`03${hexOf("Game")}00`))).toHaveLength(100);
    expect(events.filter((e) => e.endsWith("path_cache_full"))).toHaveLength(900);
    expect(events.at(-1)).toBe(`call ${b.id} /root/Game hello ["ok"]`);
    a.client.peer.close(1000);
    step(4);
    expect(multiplayer.getPeers()).toEqual([b.id]);
    expect(multiplayer.getPathCacheSize()).toBe(1);
  });
});
