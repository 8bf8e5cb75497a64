import { describe, expect, it } from "vitest";
import {
  ERR_INVALID_PARAMETER,
  ERR_UNCONFIGURED,
  FAILED,
  MemoryNetwork,
  MultiplayerPeer,
  OK,
  WebSocketPeer,
  WebSocketServer,
} from "../../src/index.js";
import {
  encodeGodot3Packet,
  encodeGodot3System,
  GODOT3_DATA,
  GODOT3_SYS_DEL,
  GODOT3_SYS_ID,
} from "../../src/multiplayer/godot3-protocol.js";
import { hex, toHex } from "../support/hex.js";
import { frames, le32, RawClient } from "./support.js";

/*
 * gdnet's WebSocketServer in Godot 3's multiplayer mode, against bare WebSocket clients
 * that send and expect the bytes of reference/godot3-multiplayer.md, built by hand here:
 * type u8, from int32 LE, to int32 LE, payload.
 */

const SERVER = "01000000";
const sysId = (id: number) => `03${SERVER}00000000${le32(id)}`;
const sysAdd = (id: number) => `01${SERVER}00000000${le32(id)}`;
const sysDel = (id: number) => `02${SERVER}00000000${le32(id)}`;
const data = (from: number, to: number, payload: string) => `00${le32(from)}${le32(to)}${payload}`;

function setup(seed = 3) {
  const network = new MemoryNetwork({ seed });
  const server = new WebSocketServer({ network });
  const events: string[] = [];
  server.peerConnected.connect((id) => events.push(`peer_connected ${id}`));
  server.peerDisconnected.connect((id) => events.push(`peer_disconnected ${id}`));
  server.clientConnected.connect((id) => events.push(`client_connected ${id}`));
  server.clientDisconnected.connect((id) => events.push(`client_disconnected ${id}`));
  server.dataReceived.connect((id) => events.push(`data_received ${id}`));
  expect(server.listen(7000, { gdMpApi: true })).toBe(OK);
  const clients: RawClient[] = [];
  const step = (count = 3) => frames(network, [...clients, server], count);
  /** A bare client joins; resolves with it and the id the server announced. */
  const join = () => {
    const before = events.length;
    const client = new RawClient(network, "ws://127.0.0.1:7000/");
    clients.push(client);
    step();
    const announced = events.slice(before).find((e) => e.startsWith("peer_connected"));
    if (announced === undefined) throw new Error("the client was not announced");
    return { client, id: Number(announced.split(" ")[1]) };
  };
  return { network, server, events, clients, step, join };
}

describe("Godot 3 multiplayer mode of WebSocketServer (gd_mp_api)", () => {
  it("the codec writes the reference's example messages byte for byte", () => {
    expect(toHex(encodeGodot3System(GODOT3_SYS_ID, 68513653))).toBe("030100000000000000756f1504");
    expect(toHex(encodeGodot3System(GODOT3_SYS_DEL, 0x7fd3a5e5))).toBe("020100000000000000e5a5d37f");
    const raw = encodeGodot3Packet(GODOT3_DATA, 0x56177b9e, 0x61e6a0ef, hex("04deadbeef01"));
    expect(toHex(raw)).toBe("009e7b1756efa0e66104deadbeef01");
  });

  it("a joining client gets SYS_ID, SYS_ADD(1), then SYS_ADD of every peer in ascending id order; the others get SYS_ADD of it", () => {
    const { join, events } = setup();
    const a = join();
    expect(a.client.take()).toEqual([sysId(a.id), sysAdd(1)]);
    const b = join();
    expect(b.client.take()).toEqual([sysId(b.id), sysAdd(1), sysAdd(a.id)]);
    expect(a.client.take()).toEqual([sysAdd(b.id)]);
    const c = join();
    const [low, high] = [a.id, b.id].sort((x, y) => x - y);
    expect(c.client.take()).toEqual([sysId(c.id), sysAdd(1), sysAdd(low!), sysAdd(high!)]);
    expect(a.client.take()).toEqual([sysAdd(c.id)]);
    expect(b.client.take()).toEqual([sysAdd(c.id)]);
    for (const { id } of [a, b, c]) expect(id).toBeGreaterThanOrEqual(2);
    // Multiplayer mode reports peers, not raw clients.
    expect(events).toEqual([`peer_connected ${a.id}`, `peer_connected ${b.id}`, `peer_connected ${c.id}`]);
  });

  it("DATA is relayed by `to` as the table says, byte for byte, and to = -1 skips the server", () => {
    const { join, step, server } = setup();
    const [a, b, c] = [join(), join(), join()];
    for (const { client } of [a, b, c]) client.take();
    const readServer = () => {
      const out: string[] = [];
      while (server.getAvailablePacketCount() > 0) {
        const from = server.getPacketPeer();
        out.push(`${from} ${toHex(server.getPacket())}`);
      }
      return out;
    };
    const cases: [to: number, forB: boolean, forC: boolean, forServer: boolean][] = [
      [b.id, true, false, false],
      [0, true, true, true],
      [-c.id, true, false, true],
      [-1, true, true, false],
      [1, false, false, true],
      [a.id, false, false, false],
      [0x7ffffff0, false, false, false],
    ];
    for (const [to, forB, forC, forServer] of cases) {
      const packet = data(a.id, to, "04deadbeef01");
      a.client.send(packet);
      step(2);
      expect([b.client.take(), c.client.take(), a.client.take(), readServer()], `to = ${to}`).toEqual([
        forB ? [packet] : [],
        forC ? [packet] : [],
        [],
        forServer ? [`${a.id} 04deadbeef01`] : [],
      ]);
    }
    // An empty payload is relayed too (the receiving MultiplayerAPI rejects it).
    a.client.send(data(a.id, b.id, ""));
    step(2);
    expect(b.client.take()).toEqual([data(a.id, b.id, "")]);
  });

  it("the server's own packets carry from = 1 and go by the target peer; a packet for 1 goes nowhere", () => {
    const { join, step, server } = setup();
    const [a, b, c] = [join(), join(), join()];
    for (const { client } of [a, b, c]) client.take();
    server.setTargetPeer(-a.id);
    expect(server.putPacket(hex("04ab"))).toBe(OK);
    server.setTargetPeer(b.id);
    expect(server.putPacket(hex("04cd"))).toBe(OK);
    server.setTargetPeer(MultiplayerPeer.TARGET_PEER_BROADCAST);
    expect(server.putPacket(hex("04ef"))).toBe(OK);
    server.setTargetPeer(MultiplayerPeer.TARGET_PEER_SERVER);
    expect(server.putPacket(hex("0401"))).toBe(OK);
    server.setTargetPeer(0x7ffffff0);
    expect(server.putPacket(hex("0402"))).toBe(FAILED);
    step(2);
    expect(a.client.take()).toEqual([data(1, 0, "04ef")]);
    expect(b.client.take()).toEqual([data(1, -a.id, "04ab"), data(1, b.id, "04cd"), data(1, 0, "04ef")]);
    expect(c.client.take()).toEqual([data(1, -a.id, "04ab"), data(1, 0, "04ef")]);
    expect(server.getUniqueId()).toBe(1);
    expect(server.getConnectionStatus()).toBe(MultiplayerPeer.CONNECTION_CONNECTED);
    server.stop();
    expect(server.getConnectionStatus()).toBe(MultiplayerPeer.CONNECTION_DISCONNECTED);
    expect(server.putPacket(hex("04ab"))).toBe(ERR_UNCONFIGURED);
  });

  it("a client that leaves is announced to the rest with SYS_DEL; a kicked one gets only its close frame", () => {
    const { join, step, server, events } = setup();
    const [a, b, c, d] = [join(), join(), join(), join()];
    for (const { client } of [a, b, c, d]) client.take();
    events.length = 0;
    c.client.peer.close(1000);
    step();
    expect([a.client.take(), b.client.take(), d.client.take()]).toEqual([
      [sysDel(c.id)],
      [sysDel(c.id)],
      [sysDel(c.id)],
    ]);
    expect(events).toEqual([`peer_disconnected ${c.id}`]);
    expect(server.disconnectPeer(a.id, 4000, "kick")).toBe(OK);
    step();
    expect(a.client.take()).toEqual([]);
    expect(a.client.peer.getReadyState()).toBe(WebSocketPeer.STATE_CLOSED);
    expect([a.client.peer.getCloseCode(), a.client.peer.getCloseReason()]).toEqual([4000, "kick"]);
    expect([b.client.take(), d.client.take()]).toEqual([[sysDel(a.id)], [sysDel(a.id)]]);
    expect(events).toEqual([`peer_disconnected ${c.id}`, `peer_disconnected ${a.id}`]);
    // force: the rest are told at once, and no peer_disconnected follows.
    expect(server.disconnectPeer(b.id, true)).toBe(OK);
    expect(d.client.take()).toEqual([]);
    step();
    expect(d.client.take()).toEqual([sysDel(b.id)]);
    expect(b.client.peer.getReadyState()).toBe(WebSocketPeer.STATE_CLOSED);
    expect(events).toEqual([`peer_disconnected ${c.id}`, `peer_disconnected ${a.id}`]);
    expect(server.disconnectPeer(b.id, true)).toBe(ERR_INVALID_PARAMETER);
    expect(server.disconnectPeer(12345)).toBe(ERR_INVALID_PARAMETER);
  });

  it("refuseNewConnections turns new clients away with HTTP 503; the ones in keep playing", () => {
    const { join, step, server, network } = setup();
    const a = join();
    const b = join();
    server.refuseNewConnections = true;
    const late = new RawClient(network, "ws://127.0.0.1:7000/");
    frames(network, [late, a.client, b.client, server], 3);
    expect(late.peer.getReadyState()).toBe(WebSocketPeer.STATE_CLOSED);
    expect(server.getPeerCount()).toBe(2);
    for (const { client } of [a, b]) client.take();
    a.client.send(data(a.id, b.id, "04aa"));
    step(2);
    expect(b.client.take()).toEqual([data(a.id, b.id, "04aa")]);
  });
});
