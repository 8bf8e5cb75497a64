import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ERR_ALREADY_IN_USE,
  ERR_INVALID_PARAMETER,
  ERR_UNAVAILABLE,
  ERR_UNCONFIGURED,
  MemoryNetwork,
  MultiplayerPeer,
  OK,
  TLSOptions,
  WebSocketMultiplayerPeer,
} from "../src/index.js";
import { frames } from "./multiplayer/support.js";
import { pump } from "./websocket/support.js";

const { CONNECTION_DISCONNECTED, CONNECTION_CONNECTING, CONNECTION_CONNECTED } = MultiplayerPeer;

/** A server and a connected client on a memory network. */
function pair() {
  const network = new MemoryNetwork({ seed: 41 });
  const server = new WebSocketMultiplayerPeer({ network });
  expect(server.createServer(7700)).toBe(OK);
  const client = new WebSocketMultiplayerPeer({ network });
  expect(client.createClient("ws://127.0.0.1:7700/")).toBe(OK);
  const step = (count = 3) => frames(network, [client, server], count);
  step();
  expect(client.getConnectionStatus()).toBe(CONNECTION_CONNECTED);
  return { network, server, client, step, id: client.getUniqueId() };
}

describe("MultiplayerPeer", () => {
  it("has Godot's constants", () => {
    expect([
      MultiplayerPeer.CONNECTION_DISCONNECTED,
      MultiplayerPeer.CONNECTION_CONNECTING,
      MultiplayerPeer.CONNECTION_CONNECTED,
    ]).toEqual([0, 1, 2]);
    expect([
      MultiplayerPeer.TRANSFER_MODE_UNRELIABLE,
      MultiplayerPeer.TRANSFER_MODE_UNRELIABLE_ORDERED,
      MultiplayerPeer.TRANSFER_MODE_RELIABLE,
    ]).toEqual([0, 1, 2]);
    expect([MultiplayerPeer.TARGET_PEER_BROADCAST, MultiplayerPeer.TARGET_PEER_SERVER]).toEqual([0, 1]);
  });
});

describe("WebSocketMultiplayerPeer", () => {
  it("starts disconnected with Godot's defaults; handshakeTimeout rejects values ≤ 0", () => {
    const peer = new WebSocketMultiplayerPeer({ network: new MemoryNetwork() });
    expect(peer.getConnectionStatus()).toBe(CONNECTION_DISCONNECTED);
    expect(peer.getUniqueId()).toBe(0);
    expect([peer.inboundBufferSize, peer.outboundBufferSize, peer.maxQueuedPackets]).toEqual([
      65535, 65535, 4096,
    ]);
    expect([peer.handshakeTimeout, peer.transferMode, peer.transferChannel]).toEqual([3, 2, 0]);
    expect([peer.refuseNewConnections, peer.supportedProtocols, peer.handshakeHeaders]).toEqual([
      false,
      [],
      [],
    ]);
    expect(peer.isServerRelaySupported()).toBe(true);
    expect(peer.godotVersion).toBe(4);
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) peer.handshakeTimeout = bad;
    expect(peer.handshakeTimeout).toBe(3);
    peer.handshakeTimeout = 0.5;
    expect(peer.handshakeTimeout).toBe(0.5);
    peer.supportedProtocols = [" ludus "];
    expect(peer.supportedProtocols).toEqual(["ludus"]);
  });

  it("create* in the wrong state or with the wrong TLS options fails with Godot's errors and changes nothing", () => {
    const network = new MemoryNetwork({ seed: 42 });
    const peer = new WebSocketMultiplayerPeer({ network });
    expect(peer.createServer(7800, "*", TLSOptions.client())).toBe(ERR_INVALID_PARAMETER);
    expect(peer.createClient("ws://127.0.0.1:7800/", TLSOptions.server("key", "cert"))).toBe(
      ERR_INVALID_PARAMETER,
    );
    expect(peer.createClient("")).toBe(ERR_INVALID_PARAMETER);
    expect(peer.createServer(-5)).toBe(ERR_INVALID_PARAMETER);
    expect(peer.getConnectionStatus()).toBe(CONNECTION_DISCONNECTED);
    expect(peer.createServer(7800)).toBe(OK);
    expect([peer.getConnectionStatus(), peer.getUniqueId(), peer.getLocalPort()]).toEqual([
      CONNECTION_CONNECTED,
      1,
      7800,
    ]);
    expect(peer.createServer(7801)).toBe(ERR_ALREADY_IN_USE);
    expect(peer.createClient("ws://127.0.0.1:7800/")).toBe(ERR_ALREADY_IN_USE);
    const other = new WebSocketMultiplayerPeer({ network });
    expect(other.createServer(7800)).toBe(ERR_ALREADY_IN_USE);
    expect(other.createClient("ws://127.0.0.1:7800/")).toBe(OK);
    expect(other.getConnectionStatus()).toBe(CONNECTION_CONNECTING);
    expect(other.createServer(7802)).toBe(ERR_ALREADY_IN_USE);
  });

  it("packets: ERR_UNCONFIGURED unless connected, ERR_UNAVAILABLE when none, unknown targets refused", () => {
    const lone = new WebSocketMultiplayerPeer({ network: new MemoryNetwork() });
    expect(lone.putPacket(new Uint8Array([1]))).toBe(ERR_UNCONFIGURED);
    expect(lone.getPacket().byteLength).toBe(0);
    expect(lone.getPacketError()).toBe(ERR_UNCONFIGURED);
    expect(lone.getPacketPeer()).toBe(0);
    const { server, client, step, id } = pair();
    expect(server.getPacket().byteLength).toBe(0);
    expect(server.getPacketError()).toBe(ERR_UNAVAILABLE);
    server.setTargetPeer(12345);
    expect(server.putPacket(new Uint8Array([1]))).toBe(ERR_INVALID_PARAMETER);
    server.setTargetPeer(MultiplayerPeer.TARGET_PEER_SERVER);
    expect(server.putPacket(new Uint8Array([1]))).toBe(ERR_INVALID_PARAMETER);
    expect(server.putPacket(new Uint8Array(0))).toBe(OK);
    // A client's target is ignored: everything goes to the server.
    client.setTargetPeer(98765);
    expect(client.putPacket(new Uint8Array([7, 7]))).toBe(OK);
    server.setTargetPeer(id);
    expect(server.putVar({ hp: 3, name: "orc" })).toBe(OK);
    step();
    expect([server.getPacketPeer(), server.getPacketChannel(), server.getPacketMode()]).toEqual([id, 0, 2]);
    expect(Array.from(server.getPacket())).toEqual([7, 7]);
    expect(client.getPacketPeer()).toBe(1);
    expect(client.getVar()).toEqual(
      new Map<string, unknown>([
        ["hp", 3],
        ["name", "orc"],
      ]),
    );
    expect(() => server.setTargetPeer("2" as unknown as number)).toThrow(TypeError);
  });

  it("disconnectPeer: peer_disconnected at the next poll, or at once and silently with force; unknown ids refused", () => {
    const { network, server, client, id } = pair();
    const second = new WebSocketMultiplayerPeer({ network });
    second.createClient("ws://127.0.0.1:7700/");
    frames(network, [client, second, server], 3);
    const events: string[] = [];
    server.peerDisconnected.connect((peerId) => events.push(`server lost ${peerId}`));
    client.peerDisconnected.connect((peerId) => events.push(`client lost ${peerId}`));
    second.peerDisconnected.connect((peerId) => events.push(`second lost ${peerId}`));
    expect(server.disconnectPeer(424242)).toBe(ERR_INVALID_PARAMETER);
    expect(server.disconnectPeer(id)).toBe(OK);
    expect(events).toEqual([]);
    expect(server.getPeer(id)).not.toBeNull();
    frames(network, [server], 1);
    expect(events).toEqual([`server lost ${id}`]);
    expect(server.getPeer(id)).toBeNull();
    frames(network, [client, second, server], 3);
    expect(events).toEqual([`server lost ${id}`, "client lost 1"]);
    expect(client.getConnectionStatus()).toBe(CONNECTION_DISCONNECTED);
    const secondId = second.getUniqueId();
    expect(server.disconnectPeer(secondId, true)).toBe(OK);
    expect(server.getPeer(secondId)).toBeNull();
    frames(network, [client, second, server], 3);
    expect(events).toEqual([`server lost ${id}`, "client lost 1", "second lost 1"]);
    expect(client.disconnectPeer(1)).toBe(ERR_INVALID_PARAMETER);
  });

  it("close() ends the session at once with no signal; the peer can be used again", () => {
    const { network, server, client, step, id } = pair();
    const events: string[] = [];
    server.peerDisconnected.connect((peerId) => events.push(`server lost ${peerId}`));
    client.peerDisconnected.connect((peerId) => events.push(`client lost ${peerId}`));
    client.close();
    expect([client.getConnectionStatus(), client.getUniqueId()]).toEqual([CONNECTION_DISCONNECTED, 0]);
    step();
    expect(events).toEqual([`server lost ${id}`]);
    server.close();
    expect([server.getConnectionStatus(), server.getUniqueId(), server.getLocalPort()]).toEqual([
      CONNECTION_DISCONNECTED,
      0,
      0,
    ]);
    step();
    expect(events).toHaveLength(1);
    expect(server.createServer(7700)).toBe(OK);
    expect(client.createClient("ws://127.0.0.1:7700/")).toBe(OK);
    frames(network, [client, server], 3);
    expect(client.getConnectionStatus()).toBe(CONNECTION_CONNECTED);
  });

  it("over wss on loopback: createServer with server TLS options, createClient trusting its certificate", async () => {
    const key = readFileSync(new URL("./fixtures/tls/localhost.key", import.meta.url), "utf8");
    const cert = readFileSync(new URL("./fixtures/tls/localhost.crt", import.meta.url), "utf8");
    const server = new WebSocketMultiplayerPeer();
    expect(server.createServer(0, "*", TLSOptions.server(key, cert))).toBe(OK);
    const client = new WebSocketMultiplayerPeer();
    try {
      expect(client.createClient(`wss://localhost:${server.getLocalPort()}/`, TLSOptions.client(cert))).toBe(
        OK,
      );
      await pump([client, server], () => client.getConnectionStatus() !== CONNECTION_CONNECTING);
      expect(client.getConnectionStatus()).toBe(CONNECTION_CONNECTED);
      expect(client.getUniqueId()).toBeGreaterThanOrEqual(2);
      server.setTargetPeer(client.getUniqueId());
      expect(server.putPacket(new Uint8Array([1, 2, 3]))).toBe(OK);
      await pump([client, server], () => client.getAvailablePacketCount() > 0);
      expect(Array.from(client.getPacket())).toEqual([1, 2, 3]);
    } finally {
      client.close();
      server.close();
    }
  });
});
