import { describe, expect, it } from "vitest";
import {
  MemoryNetwork,
  MultiplayerPeer,
  OK,
  SceneMultiplayer,
  WebSocketMultiplayerPeer,
  WebSocketPeer,
  WebSocketServer,
} from "../../src/index.js";
import {
  encodePeerIdMessage,
  encodeRelay,
  encodeSys,
  SYS_ADD_PEER,
  SYS_DEL_PEER,
} from "../../src/multiplayer/godot4-protocol.js";
import { hex, toHex } from "../support/hex.js";
import { frames, le32, RawClient } from "./support.js";

/*
 * Godot 4's framing (reference/godot4-semantics.md §8.3), byte for byte: the
 * WebSocketMultiplayerPeer id handshake, and SceneMultiplayer's SYS ADD_PEER, DEL_PEER
 * and RELAY as a gdnet server speaks them to bare clients that send hand-built bytes.
 */

const { CONNECTION_CONNECTING, CONNECTION_CONNECTED, CONNECTION_DISCONNECTED } = MultiplayerPeer;
const add = (id: number) => `0701${le32(id)}`;
const del = (id: number) => `0702${le32(id)}`;
const relay = (id: number, inner: string) => `0703${le32(id)}${inner}`;

/** A gdnet Godot 4 server (WebSocketMultiplayerPeer + SceneMultiplayer) and bare clients. */
function serverSetup() {
  const network = new MemoryNetwork({ seed: 21 });
  const peer = new WebSocketMultiplayerPeer({ network });
  expect(peer.createServer(7200)).toBe(OK);
  const multiplayer = new SceneMultiplayer(peer);
  const events: string[] = [];
  multiplayer.peerConnected.connect((id) => events.push(`connected ${id}`));
  multiplayer.peerDisconnected.connect((id) => events.push(`disconnected ${id}`));
  multiplayer.peerPacket.connect((id, packet) => events.push(`packet ${id} ${toHex(packet)}`));
  multiplayer.scenePacket.connect((id, packet) => events.push(`scene ${id} ${toHex(packet)}`));
  const clients: RawClient[] = [];
  const step = (count = 3) => frames(network, [...clients, multiplayer], count);
  const join = () => {
    const client = new RawClient(network, "ws://127.0.0.1:7200/");
    clients.push(client);
    step();
    const id = multiplayer.getPeers().at(-1)!;
    return { client, id };
  };
  return { network, peer, multiplayer, events, clients, step, join };
}

describe("Godot 4 framing: WebSocketMultiplayerPeer and SceneMultiplayer", () => {
  it("the codec writes the reference's examples", () => {
    expect(toHex(encodePeerIdMessage(1234567))).toBe("87d61200");
    expect(toHex(encodeSys(SYS_ADD_PEER, 5))).toBe("070105000000");
    expect(toHex(encodeSys(SYS_DEL_PEER, 5))).toBe("070205000000");
    expect(toHex(encodeRelay(-3, hex("03aa")))).toBe("0703fdffffff03aa");
  });

  it("a server's first message to a client is its id, 4 bytes little-endian, ≥ 2; then ADD_PEER both ways", () => {
    const { join, events, peer } = serverSetup();
    const a = join();
    expect(a.id).toBeGreaterThanOrEqual(2);
    expect(a.client.take()).toEqual([le32(a.id)]);
    const b = join();
    expect(b.client.take()).toEqual([le32(b.id), add(a.id)]);
    expect(a.client.take()).toEqual([add(b.id)]);
    const c = join();
    expect(c.client.take()).toEqual([le32(c.id), add(a.id), add(b.id)]);
    expect(a.client.take()).toEqual([add(c.id)]);
    expect(b.client.take()).toEqual([add(c.id)]);
    expect(events).toEqual([`connected ${a.id}`, `connected ${b.id}`, `connected ${c.id}`]);
    expect(peer.getUniqueId()).toBe(1);
    expect(peer.getConnectionStatus()).toBe(CONNECTION_CONNECTED);
    expect(peer.getPeer(a.id)).toBeInstanceOf(WebSocketPeer);
    expect(peer.getPeerAddress(a.id)).toBe("127.0.0.1");
    expect(peer.getPeerPort(a.id)).toBeGreaterThan(0);
    expect(peer.getPeer(12345)).toBeNull();
    expect([peer.getPeerAddress(12345), peer.getPeerPort(12345)]).toEqual(["", 0]);
  });

  it("a client that leaves is announced with DEL_PEER to the others", () => {
    const { join, step, events } = serverSetup();
    const [a, b, c] = [join(), join(), join()];
    for (const { client } of [a, b, c]) client.take();
    b.client.peer.close(1000);
    step();
    expect(a.client.take()).toEqual([del(b.id)]);
    expect(c.client.take()).toEqual([del(b.id)]);
    expect(events.at(-1)).toBe(`disconnected ${b.id}`);
  });

  it("RELAY is rewritten from target to source, never echoed; broadcast and all-but are processed by the server unless the target is -1", () => {
    const { join, step, events } = serverSetup();
    const [a, b, c] = [join(), join(), join()];
    for (const { client } of [a, b, c]) client.take();
    events.length = 0;
    const cases: [target: number, inner: string, forB: boolean, forC: boolean, server: boolean][] = [
      [b.id, "03aa", true, false, false],
      [0, "03bb", true, true, true],
      [-c.id, "03cc", true, false, true],
      [-1, "03dd", true, true, false],
      [a.id, "03ee", false, false, false],
      [0x7ffffff0, "03ff", false, false, false],
    ];
    for (const [target, inner, forB, forC, server] of cases) {
      a.client.send(relay(target, inner));
      step(2);
      expect(
        [a.client.take(), b.client.take(), c.client.take(), events.splice(0)],
        `target ${target}`,
      ).toEqual([
        [],
        forB ? [relay(a.id, inner)] : [],
        forC ? [relay(a.id, inner)] : [],
        server ? [`packet ${a.id} ${inner.slice(2)}`] : [],
      ]);
    }
    // An RPC relayed to everyone reaches the gdnet server whole, as a scene packet.
    a.client.send(relay(0, "0001020304"));
    step(2);
    expect(events.splice(0)).toEqual([`scene ${a.id} 0001020304`]);
    expect(b.client.take()).toEqual([relay(a.id, "0001020304")]);
  });

  it("RAW travels as 03 <data> in both directions: peerPacket in, sendBytes out to one, all or all-but", () => {
    const { join, step, events, multiplayer } = serverSetup();
    const [a, b, c] = [join(), join(), join()];
    for (const { client } of [a, b, c]) client.take();
    events.length = 0;
    a.client.send("03deadbeef");
    step(2);
    expect(events).toEqual([`packet ${a.id} deadbeef`]);
    expect(multiplayer.sendBytes(hex("01"), a.id)).toBe(OK);
    expect(multiplayer.sendBytes(hex("02"))).toBe(OK);
    expect(multiplayer.sendBytes(hex("03"), -b.id)).toBe(OK);
    step(2);
    expect(a.client.take()).toEqual(["0301", "0302", "0303"]);
    expect(b.client.take()).toEqual(["0302"]);
    expect(c.client.take()).toEqual(["0302", "0303"]);
  });

  it("serverRelay = false: no announcements, RELAY is ignored, direct packets still arrive", () => {
    const network = new MemoryNetwork({ seed: 22 });
    const peer = new WebSocketMultiplayerPeer({ network });
    peer.createServer(7201);
    const multiplayer = new SceneMultiplayer(peer);
    multiplayer.serverRelay = false;
    const packets: string[] = [];
    multiplayer.peerPacket.connect((id, packet) => packets.push(`${id} ${toHex(packet)}`));
    const a = new RawClient(network, "ws://127.0.0.1:7201/");
    frames(network, [a, multiplayer]);
    const b = new RawClient(network, "ws://127.0.0.1:7201/");
    frames(network, [a, b, multiplayer]);
    const [idA, idB] = multiplayer.getPeers();
    expect(a.take()).toEqual([le32(idA!)]);
    expect(b.take()).toEqual([le32(idB!)]);
    a.send(relay(idB!, "03aa"));
    a.send("03bb");
    frames(network, [a, b, multiplayer]);
    expect(b.take()).toEqual([]);
    expect(packets).toEqual([`${idA} bb`]);
  });
});

describe("Godot 4 framing: a gdnet client against a server that sends hand-built bytes", () => {
  function clientSetup(timeout?: number) {
    const network = new MemoryNetwork({ seed: 23 });
    const fake = new WebSocketServer({ network });
    expect(fake.listen(7300)).toBe(OK);
    const peer = new WebSocketMultiplayerPeer({ network });
    if (timeout !== undefined) peer.handshakeTimeout = timeout;
    const multiplayer = new SceneMultiplayer();
    const events: string[] = [];
    peer.peerConnected.connect((id) => events.push(`peer_connected ${id}`));
    peer.peerDisconnected.connect((id) => events.push(`peer_disconnected ${id}`));
    multiplayer.connectedToServer.connect(() => events.push("connected_to_server"));
    multiplayer.connectionFailed.connect(() => events.push("connection_failed"));
    multiplayer.serverDisconnected.connect(() => events.push("server_disconnected"));
    multiplayer.peerConnected.connect((id) => events.push(`mp_peer_connected ${id}`));
    multiplayer.peerDisconnected.connect((id) => events.push(`mp_peer_disconnected ${id}`));
    multiplayer.peerPacket.connect((id, packet) => events.push(`packet ${id} ${toHex(packet)}`));
    expect(peer.createClient("ws://127.0.0.1:7300/")).toBe(OK);
    expect(peer.getConnectionStatus()).toBe(CONNECTION_CONNECTING);
    multiplayer.multiplayerPeer = peer;
    const step = (count = 3) => frames(network, [multiplayer, fake], count);
    step();
    const side = fake.getPeer(fake.getPeerIds()[0]!)!;
    const serverSends = (...messages: string[]) => {
      for (const message of messages) side.send(hex(message));
      step();
    };
    const serverGot = () => {
      step();
      const out: string[] = [];
      while (side.getAvailablePacketCount() > 0) out.push(toHex(side.getPacket()));
      return out;
    };
    return { network, fake, peer, multiplayer, events, step, side, serverSends, serverGot };
  }

  it("reads its id from the first message, then CONNECTED, peer_connected(1) and connected_to_server", () => {
    const { peer, events, serverSends } = clientSetup();
    expect(peer.getConnectionStatus()).toBe(CONNECTION_CONNECTING);
    serverSends("87d61200");
    expect(peer.getUniqueId()).toBe(1234567);
    expect(peer.getConnectionStatus()).toBe(CONNECTION_CONNECTED);
    expect(events).toEqual(["peer_connected 1", "connected_to_server", "mp_peer_connected 1"]);
    expect(peer.getPeer(1)).toBeInstanceOf(WebSocketPeer);
  });

  for (const [name, first] of [
    ["3 bytes", "87d612"],
    ["5 bytes", "87d6120000"],
    ["id 1", "01000000"],
    ["id 0", "00000000"],
    ["a negative id", "feffffff"],
  ] as const) {
    it(`a first message of ${name} is refused: disconnected, connection_failed`, () => {
      const { peer, events, serverSends, step } = clientSetup();
      serverSends(first);
      expect(peer.getConnectionStatus()).toBe(CONNECTION_DISCONNECTED);
      expect(peer.getUniqueId()).toBe(0);
      step();
      expect(events).toEqual(["connection_failed"]);
    });
  }

  it("a server that never sends the id: the client gives up after handshakeTimeout", () => {
    const { peer, events, step, network } = clientSetup(1);
    step(50);
    expect(network.now()).toBeGreaterThan(600);
    expect(peer.getConnectionStatus()).toBe(CONNECTION_CONNECTING);
    step(30);
    expect(peer.getConnectionStatus()).toBe(CONNECTION_DISCONNECTED);
    expect(events).toEqual(["connection_failed"]);
  });

  it("ADD_PEER/DEL_PEER from the server are applied; RELAY comes from the source it names; sendBytes to a peer goes through the relay", () => {
    const { multiplayer, events, serverSends, serverGot } = clientSetup();
    serverSends("87d61200", add(5), add(6));
    expect(multiplayer.getPeers()).toEqual([1, 5, 6]);
    serverSends(relay(5, "03aabb"), "03cc", del(6));
    expect(events.slice(3)).toEqual([
      "mp_peer_connected 5",
      "mp_peer_connected 6",
      "packet 5 aabb",
      "packet 1 cc",
      "mp_peer_disconnected 6",
    ]);
    expect(multiplayer.sendBytes(hex("01"), 5)).toBe(OK);
    expect(multiplayer.sendBytes(hex("02"))).toBe(OK);
    expect(multiplayer.sendBytes(hex("03"), 1)).toBe(OK);
    expect(multiplayer.sendBytes(hex("04"), -5)).toBe(OK);
    expect(serverGot()).toEqual([relay(5, "0301"), relay(0, "0302"), "0303", relay(-5, "0304")]);
  });

  it("the server going away: peer_disconnected(1), then server_disconnected", () => {
    const { events, serverSends, fake, step, peer } = clientSetup();
    serverSends("87d61200", "03aa");
    events.length = 0;
    fake.stop();
    step();
    expect(events).toEqual(["peer_disconnected 1", "mp_peer_disconnected 1", "server_disconnected"]);
    expect(peer.getConnectionStatus()).toBe(CONNECTION_DISCONNECTED);
  });

  it("text messages are not packets: a text first message is refused, later ones are dropped", () => {
    const first = clientSetup();
    first.side.sendText("abcd");
    first.step();
    expect(first.peer.getConnectionStatus()).toBe(CONNECTION_DISCONNECTED);
    const second = clientSetup();
    second.serverSends("87d61200");
    second.side.sendText("hello");
    second.serverSends("03aa");
    expect(second.events.filter((e) => e.startsWith("packet"))).toEqual(["packet 1 aa"]);
  });
});
