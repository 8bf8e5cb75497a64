import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  ERR_ALREADY_IN_USE,
  ERR_INVALID_PARAMETER,
  ERR_OUT_OF_MEMORY,
  FAILED,
  MemoryNetwork,
  OK,
  StreamPeerTCP,
  TCPServer,
  TLSOptions,
  WebSocketPeer,
  WebSocketServer,
} from "../src/index.js";
import { encodeFrame, OPCODE_CONTINUATION, OPCODE_PING, OPCODE_TEXT } from "../src/websocket/frames.js";

/*
 * WebSocketPeer on the in-memory network: defaults, bad input, the heartbeat on the
 * virtual clock, malformed bytes from a raw TCP client, backpressure and determinism.
 * The behaviour shared with real sockets is in test/contract/websocket.contract.ts.
 */

const { STATE_CONNECTING, STATE_OPEN, STATE_CLOSED, WRITE_MODE_TEXT, WRITE_MODE_BINARY } = WebSocketPeer;
const MASK = new Uint8Array([1, 2, 3, 4]);
const UPGRADE =
  "GET /raw HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

function frames(network: MemoryNetwork, objects: { poll(): unknown }[], count = 1): void {
  for (let i = 0; i < count; i++) {
    network.advance(16);
    for (const object of objects) object.poll();
  }
}

function until(network: MemoryNetwork, objects: { poll(): unknown }[], done: () => boolean): void {
  for (let i = 0; i < 1000; i++) {
    if (done()) return;
    frames(network, objects);
  }
  throw new Error("condition not reached within 1000 frames");
}

/** A server and an open client on one memory network. */
function openPair(setup: (client: WebSocketPeer) => void = () => {}, seed = 1) {
  const network = new MemoryNetwork({ seed });
  const server = new WebSocketServer({ network });
  expect(server.listen(8080)).toBe(OK);
  const client = new WebSocketPeer({ network });
  setup(client);
  expect(client.connectToUrl("ws://127.0.0.1:8080/")).toBe(OK);
  until(
    network,
    [client, server],
    () => client.getReadyState() === STATE_OPEN && server.getPeerCount() === 1,
  );
  const peer = server.getPeer(server.getPeerIds()[0]!)!;
  return { network, server, client, peer };
}

/** A raw TCP client that has completed the upgrade by hand, with the server peer it became. */
function rawUpgraded() {
  const network = new MemoryNetwork({ seed: 3 });
  const server = new WebSocketServer({ network });
  server.listen(8080);
  const raw = new StreamPeerTCP({ network });
  raw.connectToHost("127.0.0.1", 8080);
  until(network, [raw, server], () => raw.getStatus() === StreamPeerTCP.STATUS_CONNECTED);
  raw.putData(new TextEncoder().encode(UPGRADE));
  until(network, [raw, server], () => server.getPeerCount() === 1 && raw.getAvailableBytes() > 0);
  const head = new TextDecoder().decode(raw.getData(raw.getAvailableBytes())[1]);
  expect(head).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
  expect(head).toContain("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n");
  const id = server.getPeerIds()[0]!;
  return { network, server, raw, id, peer: server.getPeer(id)! };
}

describe("WebSocketPeer", () => {
  it("starts CLOSED with Godot's defaults and constants", () => {
    const peer = new WebSocketPeer({ network: new MemoryNetwork() });
    expect(peer.getReadyState()).toBe(STATE_CLOSED);
    expect([STATE_CONNECTING, STATE_OPEN, WebSocketPeer.STATE_CLOSING, STATE_CLOSED]).toEqual([0, 1, 2, 3]);
    expect([WRITE_MODE_TEXT, WRITE_MODE_BINARY]).toEqual([0, 1]);
    expect(peer.inboundBufferSize).toBe(65535);
    expect(peer.outboundBufferSize).toBe(65535);
    expect(peer.maxQueuedPackets).toBe(4096);
    expect(peer.heartbeatInterval).toBe(0);
    expect(peer.closeTimeout).toBe(5);
    expect(peer.supportedProtocols).toEqual([]);
    expect(peer.handshakeHeaders).toEqual([]);
    expect(peer.getCloseCode()).toBe(-1);
    expect(peer.getCloseReason()).toBe("");
    expect(peer.getSelectedProtocol()).toBe("");
    expect(peer.getRequestedUrl()).toBe("");
    expect(peer.getConnectedHost()).toBe("");
    expect(peer.getConnectedPort()).toBe(0);
    expect(peer.getAvailablePacketCount()).toBe(0);
    expect(peer.getCurrentOutboundBufferedAmount()).toBe(0);
    expect(peer.wasStringPacket()).toBe(false);
    expect(peer.getWriteMode()).toBe(WRITE_MODE_BINARY);
  });

  it("property setters: protocols are stripped, a negative or non-finite heartbeat is ignored", () => {
    const peer = new WebSocketPeer({ network: new MemoryNetwork() });
    peer.supportedProtocols = ["  chat", "v2 \t"];
    expect(peer.supportedProtocols).toEqual(["chat", "v2"]);
    peer.heartbeatInterval = 1.2345;
    expect(peer.heartbeatInterval).toBe(1.234);
    peer.heartbeatInterval = -1;
    peer.heartbeatInterval = Number.NaN;
    peer.heartbeatInterval = Number.POSITIVE_INFINITY;
    expect(peer.heartbeatInterval).toBe(1.234);
    peer.setWriteMode(7);
    expect(peer.getWriteMode()).toBe(WRITE_MODE_BINARY);
    peer.setWriteMode(WRITE_MODE_TEXT);
    expect(peer.getWriteMode()).toBe(WRITE_MODE_TEXT);
  });

  it("bad arguments: Godot's error codes (or TypeError for wrong types), and the peer stays usable", () => {
    const { network, server, client, peer } = openPair();
    const fresh = new WebSocketPeer({ network });
    expect(fresh.connectToUrl("ws://127.0.0.1:8080/", TLSOptions.server("key", "cert"))).toBe(
      ERR_INVALID_PARAMETER,
    );
    expect(fresh.connectToUrl("ftp://127.0.0.1/")).toBe(ERR_INVALID_PARAMETER);
    expect(fresh.connectToUrl("ws://[::1/")).toBe(ERR_INVALID_PARAMETER);
    expect(fresh.connectToUrl("ws://a b:80/")).toBe(ERR_INVALID_PARAMETER);
    expect(() => fresh.connectToUrl(42 as unknown as string)).toThrow(TypeError);
    expect(() => client.send("text" as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => client.sendText(new Uint8Array(1) as unknown as string)).toThrow(TypeError);
    expect(() => client.close(1000, 5 as unknown as string)).toThrow(TypeError);
    expect(client.send(new Uint8Array(1), -1)).toBe(ERR_INVALID_PARAMETER);
    expect(client.close(Number.NaN)).toBe(ERR_INVALID_PARAMETER);
    expect(client.connectToUrl("ws://127.0.0.1:8080/")).toBe(ERR_ALREADY_IN_USE);
    expect(fresh.acceptStream(new StreamPeerTCP({ network }))).toBe(ERR_INVALID_PARAMETER);
    expect(fresh.acceptStream({} as StreamPeerTCP)).toBe(ERR_INVALID_PARAMETER);
    // A server's peer is polled by its server and cannot connect elsewhere.
    expect(peer.connectToUrl("ws://127.0.0.1:8080/")).toBe(ERR_ALREADY_IN_USE);
    peer.sendText("queued");
    frames(network, [client]);
    expect(client.getAvailablePacketCount()).toBe(1);
    peer.poll();
    expect(client.getReadyState()).toBe(STATE_OPEN);
    expect(client.putPacket(new Uint8Array(0))).toBe(OK);
    expect(client.putVar({ answer: 42, list: [1, "two"] })).toBe(OK);
    frames(network, [server], 2);
    expect(peer.getAvailablePacketCount()).toBe(1);
    expect(peer.getVar()).toEqual(
      new Map<string, unknown>([
        ["answer", 42],
        ["list", [1, "two"]],
      ]),
    );
    expect(peer.wasStringPacket()).toBe(false);
  });

  it("wasStringPacket describes the packet last returned, and putPacket follows the write mode", () => {
    const { network, server, client, peer } = openPair();
    client.setWriteMode(WRITE_MODE_TEXT);
    client.putPacket(new TextEncoder().encode("as text"));
    client.setWriteMode(WRITE_MODE_BINARY);
    client.putPacket(new Uint8Array([1]));
    until(network, [server], () => peer.getAvailablePacketCount() === 2);
    expect(peer.wasStringPacket()).toBe(false);
    peer.getPacket();
    expect(peer.wasStringPacket()).toBe(true);
    peer.getPacket();
    expect(peer.wasStringPacket()).toBe(false);
  });

  it("the heartbeat pings at the first poll after OPEN, then every interval on the poll clock", () => {
    const network = new MemoryNetwork({ seed: 2 });
    const client = new WebSocketPeer({ network });
    client.heartbeatInterval = 1;
    const raw = handWrittenServer(network, client);
    // The ping went out in the poll that opened the connection: FIN+PING, masked, empty.
    until(network, [raw], () => raw.getAvailableBytes() >= 6);
    expect([...raw.getData(6)[1]].slice(0, 2)).toEqual([0x89, 0x80]);
    network.advance(900);
    client.poll();
    frames(network, [raw]);
    expect(raw.getAvailableBytes()).toBe(0);
    raw.putData(new Uint8Array([0x8a, 0x00]));
    frames(network, [client]);
    expect(client.getReadyState()).toBe(STATE_OPEN);
    network.advance(100);
    client.poll();
    frames(network, [raw]);
    expect([...raw.getData(6)[1]].slice(0, 2)).toEqual([0x89, 0x80]);
    // This one is not answered: the poll an interval later closes the connection.
    network.advance(960);
    client.poll();
    expect(client.getReadyState()).toBe(STATE_OPEN);
    network.advance(30);
    client.poll();
    expect(client.getReadyState()).toBe(STATE_CLOSED);
    expect(client.getCloseCode()).toBe(-1);
  });

  it("a remote that stops answering pings is closed with -1 at the second interval (virtual clock)", () => {
    const { network, server, client } = openPair((c) => {
      c.heartbeatInterval = 2;
    });
    const pings = () => server.getPeerCount();
    // Answered pings keep it open across many intervals.
    for (let i = 0; i < 10; i++) {
      network.advance(2000);
      client.poll();
      server.poll();
    }
    expect(client.getReadyState()).toBe(STATE_OPEN);
    expect(pings()).toBe(1);
    network.dropHost("127.0.0.1");
    network.advance(1999);
    client.poll();
    expect(client.getReadyState()).toBe(STATE_OPEN);
    network.advance(1);
    client.poll();
    expect(client.getReadyState()).toBe(STATE_OPEN);
    network.advance(2000);
    client.poll();
    expect(client.getReadyState()).toBe(STATE_CLOSED);
    expect(client.getCloseCode()).toBe(-1);
  });

  it("a host name that does not resolve is CLOSED with -1 at a later poll, not at connectToUrl", () => {
    const network = new MemoryNetwork();
    const client = new WebSocketPeer({ network });
    expect(client.connectToUrl("ws://nowhere.invalid:80/")).toBe(OK);
    expect(client.getReadyState()).toBe(STATE_CONNECTING);
    frames(network, [client]);
    expect(client.getReadyState()).toBe(STATE_CLOSED);
    expect(client.getCloseCode()).toBe(-1);
  });

  it("a ping from a raw client is answered with a pong carrying its payload", () => {
    const { network, server, raw } = rawUpgraded();
    raw.putData(encodeFrame(OPCODE_PING, new Uint8Array([9, 9]), MASK));
    until(network, [raw, server], () => raw.getAvailableBytes() >= 4);
    expect([...raw.getData(4)[1]]).toEqual([0x8a, 0x02, 9, 9]);
  });

  it("a fragmented message is reassembled into one packet", () => {
    const { network, server, raw, peer } = rawUpgraded();
    const first = encodeFrame(OPCODE_TEXT, new TextEncoder().encode("frag-"), MASK);
    first[0] = first[0]! & 0x7f;
    const middle = encodeFrame(OPCODE_CONTINUATION, new TextEncoder().encode("ment-"), MASK);
    middle[0] = middle[0]! & 0x7f;
    raw.putData(first);
    raw.putData(middle);
    raw.putData(encodeFrame(OPCODE_CONTINUATION, new TextEncoder().encode("ed"), MASK));
    until(network, [raw, server], () => peer.getAvailablePacketCount() === 1);
    expect(new TextDecoder().decode(peer.getPacket())).toBe("frag-ment-ed");
    expect(peer.wasStringPacket()).toBe(true);
  });

  it("a text message that is not UTF-8 fails the connection with 1007", () => {
    const { network, server, raw, peer, id } = rawUpgraded();
    const events: string[] = [];
    server.clientDisconnected.connect((who, clean) => events.push(`${who} ${clean}`));
    raw.putData(encodeFrame(OPCODE_TEXT, new Uint8Array([0xff, 0xfe]), MASK));
    until(network, [raw, server], () => server.getPeerCount() === 0);
    expect(peer.getCloseCode()).toBe(1007);
    expect(peer.getCloseReason()).toBe("Invalid frame payload data");
    expect(events).toEqual([`${id} false`]);
    // The close frame with 1007 was sent to the raw client.
    until(network, [raw], () => raw.getAvailableBytes() >= 4);
    expect([...raw.getData(4)[1]]).toEqual([0x88, 0x02, 0x03, 0xef]);
  });

  it("a request head over 4096 bytes is refused with 400", () => {
    const network = new MemoryNetwork({ seed: 4 });
    const server = new WebSocketServer({ network });
    server.listen(8080);
    const raw = new StreamPeerTCP({ network });
    raw.connectToHost("127.0.0.1", 8080);
    until(network, [raw, server], () => raw.getStatus() === StreamPeerTCP.STATUS_CONNECTED);
    raw.putData(new TextEncoder().encode(`GET / HTTP/1.1\r\nX-Long: ${"a".repeat(5000)}\r\n`));
    until(network, [raw, server], () => raw.getAvailableBytes() > 0);
    expect(new TextDecoder().decode(raw.getData(raw.getAvailableBytes())[1])).toMatch(/^HTTP\/1\.1 400 /);
    expect(server.getPeerCount()).toBe(0);
  });

  it("a peer that does not read pauses reading; nothing is lost and order is kept once it reads", () => {
    const { network, server, client, peer } = openPair((c) => {
      c.maxQueuedPackets = 8;
      c.inboundBufferSize = 4096;
    });
    for (let i = 0; i < 100; i++) expect(peer.send(new Uint8Array(1024).fill(i))).toBe(OK);
    frames(network, [client, server], 20);
    expect(client.getAvailablePacketCount()).toBeLessThanOrEqual(8);
    const seen: number[] = [];
    until(network, [client, server], () => {
      while (client.getAvailablePacketCount() > 0) seen.push(client.getPacket()[0]!);
      return seen.length === 100;
    });
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it("a send while CONNECTING or CLOSING fails; one over the outbound limit queues nothing", () => {
    const network = new MemoryNetwork();
    const server = new WebSocketServer({ network });
    server.listen(8080);
    const client = new WebSocketPeer({ network });
    client.connectToUrl("ws://127.0.0.1:8080/");
    expect(client.sendText("early")).toBe(FAILED);
    until(network, [client, server], () => client.getReadyState() === STATE_OPEN);
    client.outboundBufferSize = 3;
    expect(client.send(new Uint8Array(4))).toBe(ERR_OUT_OF_MEMORY);
    client.outboundBufferSize = 0;
    expect(client.send(new Uint8Array(100_000))).toBe(OK);
    client.close();
    expect(client.sendText("late")).toBe(FAILED);
  });

  it("the same seed gives the same ids and the same bytes on the wire", () => {
    const run = () => {
      const network = new MemoryNetwork({ seed: 77 });
      const client = new WebSocketPeer({ network });
      const raw = handWrittenServer(network, client);
      client.sendText("same");
      until(network, [raw], () => raw.getAvailableBytes() >= 10);
      const server = new WebSocketServer({ network });
      server.listen(9001);
      const others = [new WebSocketPeer({ network }), new WebSocketPeer({ network })];
      for (const other of others) other.connectToUrl("ws://127.0.0.1:9001/");
      until(network, [...others, server], () => server.getPeerCount() === 2);
      return {
        request: raw.request,
        frames: [...raw.getData(raw.getAvailableBytes())[1]],
        ids: server.getPeerIds(),
      };
    };
    const first = run();
    expect(run()).toEqual(first);
    expect(first.request).toMatch(/^GET \/x HTTP\/1\.1\r\nHost: 127\.0\.0\.1:9000\r\nUpgrade: websocket\r\n/);
    // A masked text frame of 4 bytes follows the heartbeat-free connection's handshake.
    expect(first.frames.slice(0, 2)).toEqual([0x81, 0x84]);
    expect(first.frames).toHaveLength(10);
  });
});

/**
 * A server written by hand on a TCPServer: reads `client`'s upgrade request, answers it,
 * and returns the raw stream (with the request text) once the client is OPEN.
 */
function handWrittenServer(
  network: MemoryNetwork,
  client: WebSocketPeer,
): StreamPeerTCP & { request: string } {
  const tcp = new TCPServer({ network });
  expect(tcp.listen(9000)).toBe(OK);
  expect(client.connectToUrl("ws://127.0.0.1:9000/x")).toBe(OK);
  until(network, [client, tcp], () => tcp.isConnectionAvailable());
  const raw = tcp.takeConnection()! as StreamPeerTCP & { request: string };
  tcp.stop();
  until(network, [client, raw], () => raw.getAvailableBytes() > 0);
  const request = new TextDecoder().decode(raw.getData(raw.getAvailableBytes())[1]);
  const key = /Sec-WebSocket-Key: (.*)\r\n/.exec(request)![1]!;
  const accept = createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
  raw.putData(
    new TextEncoder().encode(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    ),
  );
  until(network, [client, raw], () => client.getReadyState() === STATE_OPEN);
  raw.request = request;
  return raw;
}
