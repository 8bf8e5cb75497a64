import { describe, expect, it } from "vitest";
import {
  ERR_INVALID_PARAMETER,
  FAILED,
  MemoryNetwork,
  OK,
  WebSocketClient,
  WebSocketPeer,
  WebSocketServer,
} from "../src/index.js";

/*
 * WebSocketClient, Godot 3's wrapper, on the in-memory network: its signals, when they
 * fire, and its Godot 3 helpers.
 */

function setup(protocols: string[] = []) {
  const network = new MemoryNetwork({ seed: 9 });
  const server = new WebSocketServer({ network });
  expect(server.listen(4000, { supportedProtocols: protocols })).toBe(OK);
  const client = new WebSocketClient({ network });
  const events: string[] = [];
  client.connectionEstablished.connect((protocol) => events.push(`established "${protocol}"`));
  client.connectionClosed.connect((clean) => events.push(`closed ${clean}`));
  client.connectionError.connect(() => events.push("error"));
  client.dataReceived.connect(() => {
    const peer = client.getPeer(1)!;
    events.push(`data ${new TextDecoder().decode(peer.getPacket())}`);
  });
  client.serverCloseRequest.connect((code, reason) => events.push(`close-request ${code} "${reason}"`));
  const frame = (count = 1) => {
    for (let i = 0; i < count; i++) {
      network.advance(16);
      server.poll();
      client.poll();
    }
  };
  return { network, server, client, events, frame };
}

describe("WebSocketClient", () => {
  it("emits connectionEstablished, one dataReceived per packet, serverCloseRequest and connectionClosed, only in poll()", () => {
    const { network, server, client, events, frame } = setup(["chat"]);
    expect(client.getConnectionStatus()).toBe(WebSocketClient.CONNECTION_DISCONNECTED);
    expect(client.connectToUrl("ws://127.0.0.1:4000/", ["chat"])).toBe(OK);
    expect(client.getConnectionStatus()).toBe(WebSocketClient.CONNECTION_CONNECTING);
    frame(3);
    expect(events).toEqual(['established "chat"']);
    expect(client.getConnectionStatus()).toBe(WebSocketClient.CONNECTION_CONNECTED);
    expect(client.getConnectedHost()).toBe("127.0.0.1");
    expect(client.getConnectedPort()).toBe(4000);
    const id = server.getPeerIds()[0]!;
    const peer = server.getPeer(id)!;
    peer.sendText("one");
    peer.sendText("two");
    peer.close(4000, "bye");
    // Everything has arrived, but nothing is reported before the client polls.
    network.advance(16);
    server.poll();
    network.advance(16);
    expect(events).toEqual(['established "chat"']);
    client.poll();
    expect(events).toEqual([
      'established "chat"',
      "data one",
      "data two",
      'close-request 4000 "bye"',
      "closed true",
    ]);
    expect(client.getConnectionStatus()).toBe(WebSocketClient.CONNECTION_DISCONNECTED);
    expect(client.getPeer(1)!.getCloseCode()).toBe(4000);
  });

  it("a connection that cannot be made emits connectionError, not connectionClosed", () => {
    const { client, events, frame } = setup(["chat"]);
    expect(client.connectToUrl("ws://127.0.0.1:4001/")).toBe(OK);
    frame(3);
    expect(events).toEqual(["error"]);
    expect(client.connectToUrl("ws://127.0.0.1:4000/", ["other"])).toBe(OK);
    frame(3);
    expect(events).toEqual(["error", "error"]);
  });

  it("disconnectFromHost closes with the code; connectionClosed(true) follows at a later poll", () => {
    const { server, client, events, frame } = setup();
    const disconnects: string[] = [];
    server.clientCloseRequest.connect((_id, code, reason) => disconnects.push(`${code} ${reason}`));
    client.connectToUrl("ws://127.0.0.1:4000/");
    frame(3);
    expect(client.disconnectFromHost(4010, "x".repeat(124))).toBe(ERR_INVALID_PARAMETER);
    expect(client.disconnectFromHost(1004)).toBe(ERR_INVALID_PARAMETER);
    expect(client.disconnectFromHost(4010, "leaving")).toBe(OK);
    expect(events).toEqual(['established ""']);
    frame(3);
    expect(events).toEqual(['established ""', "closed true"]);
    expect(disconnects).toEqual(["4010 leaving"]);
  });

  it("a close() that aborts a connect emits nothing", () => {
    const { client, events, frame } = setup();
    client.connectToUrl("ws://127.0.0.1:4000/");
    client.disconnectFromHost();
    frame(5);
    expect(events).toEqual([]);
  });

  it("getPeer(1) is the peer, other ids are null; Godot 3 helpers", () => {
    const { client } = setup();
    expect(client.getPeer(1)).toBeInstanceOf(WebSocketPeer);
    expect(client.getPeer(2)).toBeNull();
    expect(client.getPeer(0)).toBeNull();
    expect(client.setBuffers(0, 1, 1, 1)).toBe(ERR_INVALID_PARAMETER);
    expect(client.setBuffers(256, 100, 128, 200)).toBe(OK);
    const peer = client.getPeer(1)!;
    expect([peer.inboundBufferSize, peer.outboundBufferSize, peer.maxQueuedPackets]).toEqual([
      262144, 131072, 200,
    ]);
    expect(client.verifySsl).toBe(true);
    expect(client.trustedSslCertificate).toBeNull();
    client.connectToUrl("ws://127.0.0.1:4000/");
    expect(client.setBuffers(64, 1, 64, 1)).toBe(FAILED);
    expect(client.connectToUrl("")).toBe(ERR_INVALID_PARAMETER);
  });

  it("custom headers go with the request", () => {
    const { server, client, events, frame } = setup();
    let seen = "";
    server.handshakeHook = (request) => {
      seen = request.headers.get("x-player") ?? "";
      return true;
    };
    client.connectToUrl("ws://127.0.0.1:4000/", [], false, ["X-Player: alice"]);
    frame(3);
    expect(seen).toBe("alice");
    expect(events).toEqual(['established ""']);
  });
});
