import { describe, expect, it } from "vitest";
import {
  ERR_ALREADY_IN_USE,
  ERR_INVALID_PARAMETER,
  ErrorCode,
  MemoryNetwork,
  OK,
  WebSocketClient,
  WebSocketPeer,
  WebSocketServer,
} from "../src/index.js";

/*
 * WebSocketServer on the in-memory network: the hooks a protocol layered on the server
 * (Godot 3's multiplayer mode) uses, and seeded ids.
 */

/** A layer that consumes every packet itself and accepts `gdMpApi`. */
class LayeredServer extends WebSocketServer {
  readonly seen: string[] = [];

  protected override configureGdMpApi(enabled: boolean): ErrorCode {
    this.seen.push(`gdMpApi ${enabled}`);
    return ErrorCode.OK;
  }

  protected override onPeerConnected(id: number, protocol: string): void {
    this.seen.push(`connected ${protocol}`);
    this.getPeer(id)!.sendText("welcome");
  }

  protected override onPeerPacket(id: number): void {
    this.seen.push(`packet ${new TextDecoder().decode(this.getPeer(id)!.getPacket())}`);
  }

  protected override onPeerDisconnected(id: number, wasClean: boolean): void {
    this.seen.push(`disconnected ${this.hasPeer(id)} ${wasClean}`);
    super.onPeerDisconnected(id, wasClean);
  }
}

class LayeredClient extends WebSocketClient {
  readonly seen: string[] = [];

  protected override configureGdMpApi(enabled: boolean): ErrorCode {
    this.seen.push(`gdMpApi ${enabled}`);
    return ErrorCode.OK;
  }

  protected override onPacket(): void {
    this.seen.push(`packet ${new TextDecoder().decode(this.getPeer(1)!.getPacket())}`);
  }
}

function frames(network: MemoryNetwork, objects: { poll(): unknown }[], count: number): void {
  for (let i = 0; i < count; i++) {
    network.advance(16);
    for (const object of objects) object.poll();
  }
}

describe("WebSocketServer hooks and ids", () => {
  it("a subclass sees connections, packets and disconnections in poll() and may consume packets", () => {
    const network = new MemoryNetwork({ seed: 5 });
    const server = new LayeredServer({ network });
    const dataSignals: number[] = [];
    const disconnects: boolean[] = [];
    server.dataReceived.connect((id) => dataSignals.push(id));
    server.clientDisconnected.connect((_id, clean) => disconnects.push(clean));
    expect(server.listen(7000, { gdMpApi: true })).toBe(OK);
    const client = new LayeredClient({ network });
    expect(client.connectToUrl("ws://127.0.0.1:7000/", [], true)).toBe(OK);
    frames(network, [client, server], 3);
    client.getPeer(1)!.sendText("hello");
    frames(network, [client, server], 3);
    client.disconnectFromHost(4000);
    frames(network, [client, server], 3);
    expect(server.seen).toEqual(["gdMpApi true", "connected ", "packet hello", "disconnected false true"]);
    expect(client.seen).toEqual(["gdMpApi true", "packet welcome"]);
    // Consumed by the layer: no dataReceived, nothing left in the server-level queue.
    expect(dataSignals).toEqual([]);
    expect(server.getAvailablePacketCount()).toBe(0);
    expect(disconnects).toEqual([true]);
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
    expect(server.disconnectPeer(id, 1001)).toBe(ERR_INVALID_PARAMETER);
    expect(server.disconnectPeer(id, 4000, "x".repeat(124))).toBe(ERR_INVALID_PARAMETER);
    expect(server.broadcast(new Uint8Array([1]), 9)).toBe(ERR_INVALID_PARAMETER);
    expect(server.getPeer(id)!.getReadyState()).toBe(WebSocketPeer.STATE_OPEN);
    expect(server.broadcast(new Uint8Array([1]))).toBe(OK);
    frames(network, [client, server], 2);
    expect(client.getAvailablePacketCount()).toBe(1);
  });
});
