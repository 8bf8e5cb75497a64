import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import {
  MemoryNetwork,
  OK,
  SceneMultiplayer,
  WebSocketMultiplayerPeer,
  WebSocketServer,
} from "../../src/index.js";
import { toHex } from "../support/hex.js";
import { frames, le32, RawClient } from "./support.js";

/*
 * Bad input from one client of a gdnet multiplayer server, Godot 3 and Godot 4 modes:
 * the offender's packets are dropped (or its connection failed where Godot fails it),
 * the other peers keep playing, and the server's memory stays bounded.
 */

v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;

function heapUsed(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** `count` bytes of hex, all 0x5a. */
const filler = (count: number) => "5a".repeat(count);
/** True when every byte of `id` as int32 LE is ASCII, so those bytes form valid UTF-8. */
const asciiId = (id: number) => [0, 8, 16, 24].every((shift) => ((id >>> shift) & 0xff) < 0x80);

const data3 = (from: number, to: number, payload: string) => `00${le32(from)}${le32(to)}${payload}`;
const sys3 = (type: number, from: number, id: number) => `0${type}${le32(from)}00000000${le32(id)}`;

/** A Godot 3 mode server with three bare clients; `seed` picks the ids. */
function godot3World(seed: number) {
  const network = new MemoryNetwork({ seed });
  const server = new WebSocketServer({ network });
  server.listen(7400, { gdMpApi: true });
  const events: string[] = [];
  server.peerConnected.connect((id) => events.push(`connected ${id}`));
  server.peerDisconnected.connect((id) => events.push(`disconnected ${id}`));
  const clients: RawClient[] = [];
  const step = (count = 2) => frames(network, [...clients, server], count);
  const join = () => {
    const client = new RawClient(network, "ws://127.0.0.1:7400/");
    clients.push(client);
    step(3);
    return { client, id: Number(events.at(-1)!.split(" ")[1]) };
  };
  const [a, b, c] = [join(), join(), join()];
  for (const { client } of [a, b, c]) client.take();
  events.length = 0;
  return { network, server, events, step, a, b, c };
}

/** The first seed whose first client gets an id made of ASCII bytes. */
function seedWithAsciiFirstId(): number {
  for (let seed = 1; ; seed++) {
    const network = new MemoryNetwork({ seed });
    const server = new WebSocketServer({ network });
    server.listen(7400, { gdMpApi: true });
    let first = 0;
    server.peerConnected.connect((id) => {
      if (first === 0) first = id;
    });
    const client = new RawClient(network, "ws://127.0.0.1:7400/");
    frames(network, [client, server], 3);
    server.stop();
    if (asciiId(first)) return seed;
  }
}

describe("bad input to a Godot 3 mode server", () => {
  it("short, unknown, system, forged, misaddressed and text packets from a client are dropped; the others keep playing", () => {
    const { server, events, step, a, b, c } = godot3World(seedWithAsciiFirstId());
    expect(asciiId(a.id)).toBe(true);
    const bad = [
      "",
      "00",
      `00${le32(a.id)}`,
      `00${le32(a.id)}0000`,
      `09${le32(a.id)}${le32(b.id)}04aa`,
      sys3(1, a.id, a.id),
      sys3(2, 1, b.id),
      sys3(3, 1, 5),
      data3(b.id, c.id, "04aa"),
      data3(0, 0, "04aa"),
      data3(a.id, 0x7ffffff0, "04aa"),
      data3(a.id, a.id, "04aa"),
    ];
    for (const packet of bad) a.client.send(packet);
    // A text frame holding an otherwise valid packet (the id's bytes are ASCII, so valid UTF-8).
    const textPacket = `00${le32(a.id)}${le32(0)}0441`;
    const textBytes = Uint8Array.from(textPacket.match(/../g)!, (h) => Number.parseInt(h, 16));
    expect(a.client.peer.sendText(new TextDecoder().decode(textBytes))).toBe(OK);
    step();
    expect([b.client.take(), c.client.take(), a.client.take()]).toEqual([[], [], []]);
    expect(server.getAvailablePacketCount()).toBe(0);
    expect(events).toEqual([]);
    // Everyone, the offender included, still plays.
    a.client.send(data3(a.id, b.id, "04aa"));
    b.client.send(data3(b.id, 0, "04bb"));
    step();
    expect(b.client.take()).toEqual([data3(a.id, b.id, "04aa")]);
    expect(c.client.take()).toEqual([data3(b.id, 0, "04bb")]);
    expect(a.client.take()).toEqual([data3(b.id, 0, "04bb")]);
    expect(server.getPacketPeer()).toBe(b.id);
    expect(toHex(server.getPacket())).toBe("04bb");
  });

  it("a text frame that is not UTF-8 fails that client's connection (Godot answers 1007 too); the rest are told and keep playing", () => {
    const { events, step, a, b, c } = godot3World(5);
    a.client.peer.send(new Uint8Array([0x00, 0xff, 0xfe]), 0);
    step(3);
    expect(a.client.peer.getCloseCode()).toBe(1007);
    expect(events).toEqual([`disconnected ${a.id}`]);
    expect(b.client.take()).toEqual([sys3(2, 1, a.id)]);
    expect(c.client.take()).toEqual([sys3(2, 1, a.id)]);
    b.client.send(data3(b.id, c.id, "04cc"));
    step();
    expect(c.client.take()).toEqual([data3(b.id, c.id, "04cc")]);
  });

  it("a flood of SYS frames and of packets for a server that never reads: the queue stops at its limit and memory stays bounded", () => {
    const { server, step, a, b, c } = godot3World(7);
    const before = heapUsed();
    const sysFrame = sys3(1, a.id, a.id);
    const forServer = data3(a.id, 1, `04${filler(1023)}`);
    let sent = 0;
    for (let frame = 0; frame < 100; frame++) {
      for (let i = 0; i < 100; i++) {
        a.client.send(sysFrame);
        a.client.send(forServer);
        sent += 2;
      }
      // The others keep playing during the flood.
      b.client.send(data3(b.id, c.id, "04cc"));
      step(2);
      expect(c.client.take()).toEqual([data3(b.id, c.id, "04cc")]);
    }
    step(3);
    const growth = heapUsed() - before;
    expect(sent).toBe(20_000);
    // 10 MB of packets for the server: what is kept is one peer's inbound budget (128 KiB).
    expect(server.getAvailablePacketCount()).toBeGreaterThan(0);
    expect(server.getAvailablePacketCount()).toBeLessThanOrEqual(128);
    expect(growth).toBeLessThan(4 * 1024 * 1024);
    // Once the game reads, the flooder's packets flow again.
    while (server.getAvailablePacketCount() > 0) server.getPacket();
    a.client.send(data3(a.id, 1, "04ab"));
    step();
    expect(toHex(server.getPacket())).toBe("04ab");
    expect(b.client.take()).toEqual([]);
  });
});

/** A Godot 4 mode server (WebSocketMultiplayerPeer + SceneMultiplayer) with three bare clients. */
function godot4World(seed: number) {
  const network = new MemoryNetwork({ seed });
  const peer = new WebSocketMultiplayerPeer({ network });
  peer.createServer(7500);
  const multiplayer = new SceneMultiplayer(peer);
  const events: string[] = [];
  multiplayer.peerConnected.connect((id) => events.push(`connected ${id}`));
  multiplayer.peerDisconnected.connect((id) => events.push(`disconnected ${id}`));
  multiplayer.peerPacket.connect((id, packet) => events.push(`packet ${id} ${toHex(packet)}`));
  multiplayer.scenePacket.connect((id, packet) => events.push(`scene ${id} ${toHex(packet)}`));
  const clients: RawClient[] = [];
  const step = (count = 2) => frames(network, [...clients, multiplayer], count);
  const join = () => {
    const client = new RawClient(network, "ws://127.0.0.1:7500/");
    clients.push(client);
    step(3);
    return { client, id: multiplayer.getPeers().at(-1)! };
  };
  const [a, b, c] = [join(), join(), join()];
  for (const { client } of [a, b, c]) client.take();
  events.length = 0;
  return { network, peer, multiplayer, events, step, a, b, c };
}

describe("bad input to a Godot 4 mode server", () => {
  it("short SYS, unknown SYS commands, announcements and auth from a client, relays to nobody and text are dropped", () => {
    const { multiplayer, events, step, a, b, c } = godot4World(31);
    const bad = [
      "",
      "07",
      "0703",
      `0703${le32(b.id)}`,
      `0709${le32(b.id)}03aa`,
      `0701${le32(77)}`,
      `0702${le32(b.id)}`,
      "0700",
      "070001",
      `0703${le32(0x7ffffff0)}03aa`,
      `0703${le32(a.id)}03aa`,
      "03",
    ];
    for (const packet of bad) a.client.send(packet);
    expect(a.client.peer.sendText("\u0003A")).toBe(OK);
    step();
    expect([a.client.take(), b.client.take(), c.client.take()]).toEqual([[], [], []]);
    expect(events).toEqual([]);
    expect(multiplayer.getPeers()).toEqual([a.id, b.id, c.id]);
    // The relay names the real source whatever the sender claims, and play goes on.
    a.client.send(`0703${le32(b.id)}03aa`);
    b.client.send(`0703${le32(0)}03bb`);
    step();
    expect(b.client.take()).toEqual([`0703${le32(a.id)}03aa`]);
    expect(a.client.take()).toEqual([`0703${le32(b.id)}03bb`]);
    expect(c.client.take()).toEqual([`0703${le32(b.id)}03bb`]);
    expect(events).toEqual([`packet ${b.id} bb`]);
  });

  it("a flood of SYS frames from a client is dropped, the rest play on, and memory stays bounded", () => {
    const { multiplayer, events, step, a, b, c } = godot4World(33);
    const before = heapUsed();
    let sent = 0;
    for (let frame = 0; frame < 100; frame++) {
      for (let i = 0; i < 50; i++) {
        a.client.send(`0701${le32(1000 + i)}`);
        a.client.send(`0702${le32(b.id)}`);
        a.client.send(`0703${le32(0x7ffffff0)}03${filler(1023)}`);
        a.client.send(`0709${le32(c.id)}${filler(1023)}`);
        sent += 4;
      }
      c.client.send(`0703${le32(b.id)}03cc`);
      step(2);
      expect(b.client.take()).toEqual([`0703${le32(c.id)}03cc`]);
    }
    step(3);
    const growth = heapUsed() - before;
    expect(sent).toBe(20_000);
    expect(growth).toBeLessThan(4 * 1024 * 1024);
    expect([a.client.take(), c.client.take()]).toEqual([[], []]);
    expect(multiplayer.getPeers()).toEqual([a.id, b.id, c.id]);
    expect(events).toEqual([]);
  });

  it("a Godot 4 server whose game never reads keeps at most one peer's inbound budget per client", () => {
    const network = new MemoryNetwork({ seed: 35 });
    const peer = new WebSocketMultiplayerPeer({ network });
    peer.createServer(7600);
    const flooder = new RawClient(network, "ws://127.0.0.1:7600/");
    frames(network, [flooder, peer], 3);
    for (let frame = 0; frame < 50; frame++) {
      for (let i = 0; i < 100; i++) flooder.send(`03${filler(1023)}`);
      frames(network, [flooder, peer], 1);
    }
    expect(peer.getAvailablePacketCount()).toBeGreaterThan(0);
    expect(peer.getAvailablePacketCount()).toBeLessThanOrEqual(128);
  });
});
