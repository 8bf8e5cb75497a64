import { describe, expect, it } from "vitest";
import {
  ERR_ALREADY_IN_USE,
  ERR_INVALID_PARAMETER,
  MemoryNetwork,
  OK,
  WebSocketClient,
  WebSocketPeer,
  WebSocketServer,
} from "../src/index.js";

/*
 * WebSocketServer on the in-memory network: Godot 3's multiplayer mode (a part the
 * server and client have), seeded ids, bad arguments.
 */

function frames(network: MemoryNetwork, objects: { poll(): unknown }[], count: number): void {
  for (let i = 0; i < count; i++) {
    network.advance(16);
    for (const object of objects) object.poll();
  }
}

describe("WebSocketServer hooks and ids", () => {
  it("in gdMpApi mode the protocol takes the packets: peer signals instead of client signals, no dataReceived", () => {
    const network = new MemoryNetwork({ seed: 5 });
    const server = new WebSocketServer({ network });
    const seen: string[] = [];
    server.clientConnected.connect(() => seen.push("clientConnected"));
    server.dataReceived.connect(() => seen.push("dataReceived"));
    server.clientDisconnected.connect(() => seen.push("clientDisconnected"));
    server.peerConnected.connect((id) => seen.push(`peerConnected ${id}`));
    server.peerDisconnected.connect((id) => seen.push(`peerDisconnected ${id}`));
    expect(server.listen(7000, { gdMpApi: true })).toBe(OK);
    const client = new WebSocketClient({ network });
    let succeeded = 0;
    client.connectionSucceeded.connect(() => succeeded++);
    client.connectionEstablished.connect(() => seen.push("client connectionEstablished"));
    expect(client.connectToUrl("ws://127.0.0.1:7000/", [], true)).toBe(OK);
    frames(network, [client, server], 4);
    const id = client.getUniqueId();
    expect(id).toBeGreaterThanOrEqual(2);
    expect(succeeded).toBe(1);
    client.setTargetPeer(1);
    expect(client.putPacket(new TextEncoder().encode("hello"))).toBe(OK);
    frames(network, [client, server], 3);
    expect(server.getPacketPeer()).toBe(id);
    expect(new TextDecoder().decode(server.getPacket())).toBe("hello");
    expect(server.getAvailablePacketCount()).toBe(0);
    client.disconnectFromHost(4000);
    frames(network, [client, server], 3);
    expect(seen).toEqual([`peerConnected ${id}`, `peerDisconnected ${id}`]);
    // The same server without the mode is a plain WebSocket server again.
    server.stop();
    expect(server.listen(7000)).toBe(OK);
    const plain = new WebSocketPeer({ network });
    plain.connectToUrl("ws://127.0.0.1:7000/");
    frames(network, [plain, server], 3);
    plain.sendText("plain");
    frames(network, [plain, server], 3);
    expect(seen.slice(2)).toEqual(["clientConnected", "dataReceived"]);
  });

  it("ids come from the network's seed: the same seed gives the same ids", () => {
    const ids = (seed: number) => {
      const network = new MemoryNetwork({ seed });
      const server = new WebSocketServer({ network });
      server.listen(7000);
      const clients = Array.from({ length: 5 }, () => new WebSocketPeer({ network }));
      for (const client of clients) client.connectToUrl("ws://127.0.0.1:7000/");
      frames(network, [...clients, server], 3);
      return server.getPeerIds();
    };
    const first = ids(21);
    expect(first).toHaveLength(5);
    expect(new Set(first).size).toBe(5);
    expect(ids(21)).toEqual(first);
    expect(ids(22)).not.toEqual(first);
  });

  it("bad arguments to every server method give Godot's errors (or TypeError) and the server stays usable", () => {
    const network = new MemoryNetwork({ seed: 6 });
    const server = new WebSocketServer({ network });
    expect(server.getPeer(123)).toBeNull();
    expect(server.hasPeer(0)).toBe(false);
    expect(server.getPeerAddress(123)).toBe("");
    expect(server.getPeerPort(123)).toBe(0);
    expect(server.disconnectPeer(123)).toBe(ERR_INVALID_PARAMETER);
    expect(server.getPacket().byteLength).toBe(0);
    expect(server.getPacketPeer()).toBe(0);
    expect(server.broadcastText("nobody")).toBe(OK);
    expect(() => server.broadcast("x" as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => server.broadcastText(5 as unknown as string)).toThrow(TypeError);
    expect(server.listen(1.5)).toBe(ERR_INVALID_PARAMETER);
    expect(server.listen(7000, { bindAddress: "" })).toBe(ERR_INVALID_PARAMETER);
    expect(server.isListening()).toBe(false);
    expect(server.listen(7000, { bindAddress: "*" })).toBe(OK);
    expect(server.listen(7001)).toBe(ERR_ALREADY_IN_USE);
    const client = new WebSocketPeer({ network });
    client.connectToUrl("ws://127.0.0.1:7000/");
    frames(network, [client, server], 3);
    const id = server.getPeerIds()[0]!;
    expect(server.disconnectPeer(id, 1005)).toBe(ERR_INVALID_PARAMETER);
    expect(server.disconnectPeer(id, 4000, "x".repeat(124))).toBe(ERR_INVALID_PARAMETER);
    expect(server.broadcast(new Uint8Array([1]), 9)).toBe(ERR_INVALID_PARAMETER);
    expect(server.getPeer(id)!.getReadyState()).toBe(WebSocketPeer.STATE_OPEN);
    expect(server.broadcast(new Uint8Array([1]))).toBe(OK);
    frames(network, [client, server], 2);
    expect(client.getAvailablePacketCount()).toBe(1);
  });
});
