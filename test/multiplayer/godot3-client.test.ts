import { describe, expect, it } from "vitest";
import {
  ERR_INVALID_PARAMETER,
  ERR_UNCONFIGURED,
  MemoryNetwork,
  MultiplayerPeer,
  OK,
  WebSocketClient,
  type WebSocketPeer,
  WebSocketServer,
} from "../../src/index.js";
import { hex, toHex } from "../support/hex.js";
import { frames, le32 } from "./support.js";

/*
 * gdnet's WebSocketClient in Godot 3's multiplayer mode, against a bare WebSocketServer
 * that plays a Godot 3.2.3 server by sending hand-built bytes of
 * reference/godot3-multiplayer.md.
 */

const { CONNECTION_CONNECTING, CONNECTION_CONNECTED, CONNECTION_DISCONNECTED } = MultiplayerPeer;
const SERVER = "01000000";
const sysId = (id: number) => `03${SERVER}00000000${le32(id)}`;
const sysAdd = (id: number) => `01${SERVER}00000000${le32(id)}`;
const sysDel = (id: number) => `02${SERVER}00000000${le32(id)}`;
const data = (from: number, to: number, payload: string) => `00${le32(from)}${le32(to)}${payload}`;

const ME = 0x04156f75;
const OTHER = 0x6c864a3c;

function setup() {
  const network = new MemoryNetwork({ seed: 11 });
  const fake = new WebSocketServer({ network });
  expect(fake.listen(7100)).toBe(OK);
  const client = new WebSocketClient({ network });
  const events: string[] = [];
  client.peerConnected.connect((id) => events.push(`peer_connected ${id}`));
  client.peerDisconnected.connect((id) => events.push(`peer_disconnected ${id}`));
  client.connectionSucceeded.connect(() => events.push(`succeeded ${client.getUniqueId()}`));
  client.connectionFailed.connect(() => events.push("failed"));
  client.serverDisconnected.connect(() => events.push("server_disconnected"));
  client.connectionEstablished.connect(() => events.push("established"));
  client.connectionClosed.connect(() => events.push("closed"));
  client.connectionError.connect(() => events.push("error"));
  client.dataReceived.connect(() => events.push("data"));
  const step = (count = 3) => frames(network, [client, fake], count);
  let wire: WebSocketPeer | null = null;
  /** The server side of the client's connection. */
  const side = () => {
    if (wire === null) {
      step();
      wire = fake.getPeer(fake.getPeerIds()[0]!);
    }
    return wire!;
  };
  const serverSends = (...messages: string[]) => {
    for (const message of messages) expect(side().send(hex(message))).toBe(OK);
    step();
  };
  const serverGot = () => {
    const out: string[] = [];
    while (side().getAvailablePacketCount() > 0) out.push(toHex(side().getPacket()));
    return out;
  };
  return { network, fake, client, events, step, serverSends, serverGot };
}

describe("Godot 3 multiplayer mode of WebSocketClient (gd_mp_api)", () => {
  it("connects only once the server sent SYS_ID and SYS_ADD(1): peer_connected(1), then connection_succeeded", () => {
    const { client, events, step, serverSends } = setup();
    expect(client.connectToUrl("ws://127.0.0.1:7100/", [], true)).toBe(OK);
    expect(client.getConnectionStatus()).toBe(CONNECTION_CONNECTING);
    step();
    // The socket is open, but nothing is reported until the server speaks.
    expect(events).toEqual([]);
    expect(client.getConnectionStatus()).toBe(CONNECTION_CONNECTING);
    serverSends(sysId(ME));
    expect(client.getUniqueId()).toBe(ME);
    expect(client.getConnectionStatus()).toBe(CONNECTION_CONNECTING);
    serverSends(sysAdd(1), sysAdd(OTHER));
    expect(events).toEqual(["peer_connected 1", `succeeded ${ME}`, `peer_connected ${OTHER}`]);
    expect(client.getConnectionStatus()).toBe(CONNECTION_CONNECTED);
  });

  it("DATA for this client is queued with `from` as its sender; DATA for someone else is dropped", () => {
    const { client, serverSends } = setup();
    client.connectToUrl("ws://127.0.0.1:7100/", [], true);
    serverSends(sysId(ME), sysAdd(1), sysAdd(OTHER));
    serverSends(
      data(OTHER, ME, "04aa"),
      data(OTHER, 0, "04bb"),
      data(OTHER, -12345, "04cc"),
      data(OTHER, 12345, "04dd"),
      data(OTHER, -ME, "04ee"),
      data(1, ME, "04ff"),
    );
    const got: string[] = [];
    while (client.getAvailablePacketCount() > 0) {
      const from = client.getPacketPeer();
      got.push(`${from} ${toHex(client.getPacket())}`);
    }
    expect(got).toEqual([`${OTHER} 04aa`, `${OTHER} 04bb`, `${OTHER} 04cc`, `1 04ff`]);
    expect(client.getPacketPeer()).toBe(0);
    expect(client.getPacket().byteLength).toBe(0);
  });

  it("putPacket sends DATA with from = its id and to = the target peer", () => {
    const { client, serverSends, serverGot, step } = setup();
    client.connectToUrl("ws://127.0.0.1:7100/", [], true);
    step();
    expect(client.putPacket(hex("04aa"))).toBe(ERR_UNCONFIGURED);
    serverSends(sysId(ME), sysAdd(1));
    expect(client.putPacket(hex("04aa"))).toBe(OK);
    client.setTargetPeer(OTHER);
    expect(client.putPacket(hex("04bb"))).toBe(OK);
    client.setTargetPeer(-OTHER);
    expect(client.putPacket(hex("04cc"))).toBe(OK);
    client.setTargetPeer(MultiplayerPeer.TARGET_PEER_SERVER);
    expect(client.putPacket(hex("04dd"))).toBe(OK);
    expect(client.putPacket(new Uint8Array(0))).toBe(OK);
    step();
    expect(serverGot()).toEqual([
      data(ME, 0, "04aa"),
      data(ME, OTHER, "04bb"),
      data(ME, -OTHER, "04cc"),
      data(ME, 1, "04dd"),
    ]);
  });

  it("SYS_DEL removes a known peer; duplicates, unknown ids and malformed messages change nothing", () => {
    const { client, events, serverSends } = setup();
    client.connectToUrl("ws://127.0.0.1:7100/", [], true);
    serverSends(sysId(ME), sysAdd(1), sysAdd(OTHER));
    events.length = 0;
    serverSends(
      sysAdd(OTHER),
      sysDel(777),
      `01${SERVER}00000000`,
      "0901000000",
      `07${SERVER}00000000${le32(55)}`,
      sysId(999),
      sysDel(OTHER),
    );
    expect(events).toEqual([`peer_disconnected ${OTHER}`]);
    expect(client.getUniqueId()).toBe(ME);
    expect(client.getConnectionStatus()).toBe(CONNECTION_CONNECTED);
  });

  it("a lost connection after success is server_disconnected; before success it is connection_failed", () => {
    const first = setup();
    first.client.connectToUrl("ws://127.0.0.1:7100/", [], true);
    first.serverSends(sysId(ME), sysAdd(1));
    first.fake.disconnectPeer(first.fake.getPeerIds()[0]!, 4000, "kick");
    first.step();
    expect(first.events).toEqual(["peer_connected 1", `succeeded ${ME}`, "server_disconnected"]);
    expect(first.client.getConnectionStatus()).toBe(CONNECTION_DISCONNECTED);
    expect(first.client.getUniqueId()).toBe(0);

    const second = setup();
    second.client.connectToUrl("ws://127.0.0.1:7100/", [], true);
    second.serverSends(sysId(ME));
    second.fake.stop();
    second.step();
    expect(second.events).toEqual(["failed"]);

    const third = setup();
    third.client.connectToUrl("ws://127.0.0.1:7199/", [], true);
    third.step();
    expect(third.events).toEqual(["failed"]);
    expect(third.client.getConnectionStatus()).toBe(CONNECTION_DISCONNECTED);
  });

  it("disconnectPeer(1) closes and reports server_disconnected; force and close() drop it with no signal", () => {
    const { client, events, serverSends, step, fake } = setup();
    client.connectToUrl("ws://127.0.0.1:7100/", [], true);
    serverSends(sysId(ME), sysAdd(1));
    events.length = 0;
    expect(client.disconnectPeer(5)).toBe(ERR_INVALID_PARAMETER);
    expect(client.disconnectPeer(1)).toBe(OK);
    step();
    expect(events).toEqual(["server_disconnected"]);
    expect(client.disconnectPeer(1)).toBe(ERR_INVALID_PARAMETER);

    expect(client.connectToUrl("ws://127.0.0.1:7100/", [], true)).toBe(OK);
    step();
    const id = fake.getPeerIds().at(-1)!;
    fake.getPeer(id)!.send(hex(sysId(ME)));
    fake.getPeer(id)!.send(hex(sysAdd(1)));
    step();
    events.length = 0;
    expect(client.disconnectPeer(1, true)).toBe(OK);
    expect(client.getConnectionStatus()).toBe(CONNECTION_DISCONNECTED);
    step();
    expect(events).toEqual([]);
  });

  it("without gdMpApi the client is a plain WebSocket client and its multiplayer API is idle", () => {
    const { client, events, step, fake } = setup();
    expect(client.connectToUrl("ws://127.0.0.1:7100/")).toBe(OK);
    step();
    fake.getPeer(fake.getPeerIds()[0]!)!.send(hex(sysId(ME)));
    step();
    expect(events).toEqual(["established", "data"]);
    expect(client.getAvailablePacketCount()).toBe(0);
    expect(client.getUniqueId()).toBe(0);
    expect(client.putPacket(hex("04aa"))).toBe(ERR_UNCONFIGURED);
    expect(client.getConnectionStatus()).toBe(CONNECTION_CONNECTED);
    expect(client.getPeer(1)!.getAvailablePacketCount()).toBe(1);
  });
});
