import { readFileSync } from "node:fs";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  ERR_ALREADY_IN_USE,
  ERR_INVALID_PARAMETER,
  ERR_OUT_OF_MEMORY,
  FAILED,
  OK,
  TLSOptions,
  WebSocketClient,
  WebSocketPeer,
  WebSocketServer,
} from "../src/index.js";
import { pump, pumpFor } from "./websocket/support.js";

/*
 * WebSocketServer on real loopback sockets: scale, memory bounds under a client that
 * never reads, real-time heartbeat, TLS, and what stop() leaves behind. The behaviour
 * shared with the in-memory network is in test/contract/websocket.contract.ts.
 */

const { STATE_OPEN, STATE_CLOSED, STATE_CONNECTING } = WebSocketPeer;
const key = readFileSync(new URL("./fixtures/tls/localhost.key", import.meta.url), "utf8");
const cert = readFileSync(new URL("./fixtures/tls/localhost.crt", import.meta.url), "utf8");

/** A raw ws client whose socket stops reading once open: it never takes what the server sends. */
async function neverReadingClient(server: WebSocketServer): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.getLocalPort()}/`, { perMessageDeflate: false });
  ws.on("error", () => {});
  await pump([server], () => ws.readyState === WebSocket.OPEN && server.getPeerCount() === 1);
  ws.pause();
  return ws;
}

function counts(): { timers: number; sockets: number; servers: number } {
  const info = process.getActiveResourcesInfo();
  return {
    timers: info.filter((name) => name === "Timeout").length,
    sockets: info.filter((name) => name === "TCPSocketWrap").length,
    servers: info.filter((name) => name === "TCPServerWrap").length,
  };
}

describe("WebSocketServer on loopback", () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  function startServer(options: Parameters<WebSocketServer["listen"]>[1] = {}): WebSocketServer {
    const server = new WebSocketServer();
    expect(server.listen(0, options)).toBe(OK);
    cleanups.push(() => server.stop());
    return server;
  }

  it("1,000 clients connect in one test, each with a unique id ≥ 2", async () => {
    const server = startServer();
    const ids = new Set<number>();
    server.clientConnected.connect((id) => ids.add(id));
    const clients: WebSocketPeer[] = [];
    for (let i = 0; i < 1000; i++) {
      const client = new WebSocketPeer();
      expect(client.connectToUrl(`ws://127.0.0.1:${server.getLocalPort()}/`)).toBe(OK);
      clients.push(client);
      cleanups.push(() => client.close(-1));
      if (i % 100 === 99) {
        await pump(
          [...clients, server],
          () => ids.size === clients.length && clients.every((c) => c.getReadyState() === STATE_OPEN),
          20_000,
        );
      }
    }
    expect(ids.size).toBe(1000);
    expect(server.getPeerCount()).toBe(1000);
    expect(new Set(server.getPeerIds())).toEqual(ids);
    for (const id of ids) {
      expect(Number.isInteger(id)).toBe(true);
      expect(id).toBeGreaterThanOrEqual(2);
      expect(id).toBeLessThanOrEqual(0x7fffffff);
    }
    expect(clients.every((client) => client.getReadyState() === STATE_OPEN)).toBe(true);
    // One broadcast reaches all of them.
    expect(server.broadcastText("all")).toBe(OK);
    await pump(
      [...clients, server],
      () => clients.every((client) => client.getAvailablePacketCount() === 1),
      20_000,
    );
  }, 60_000);

  it("a client that never reads leaves server memory bounded: sends fail once its outbound limit is reached", async () => {
    const server = startServer({ outboundBufferSize: 256 * 1024 });
    const ws = await neverReadingClient(server);
    cleanups.push(() => ws.terminate());
    await pump([server], () => server.getPeerCount() === 1);
    const peer = server.getPeer(server.getPeerIds()[0]!)!;
    const message = new Uint8Array(16 * 1024);
    globalThis.gc?.();
    const before = process.memoryUsage();
    let accepted = 0;
    let refused = 0;
    // Try to push 256 MiB at a client that reads nothing.
    for (let round = 0; round < 1024 && refused < 2000; round++) {
      for (let i = 0; i < 16; i++) {
        if (peer.send(message) === OK) accepted++;
        else refused++;
      }
      await new Promise((resolve) => setImmediate(resolve));
      server.poll();
    }
    expect(refused).toBeGreaterThan(0);
    expect(peer.send(message)).toBe(ERR_OUT_OF_MEMORY);
    expect(peer.getReadyState()).toBe(STATE_OPEN);
    // What waits in the server is within the limit; the rest sits in the kernel's buffers.
    expect(peer.getCurrentOutboundBufferedAmount()).toBeLessThanOrEqual(256 * 1024);
    const after = process.memoryUsage();
    const grown =
      after.heapUsed +
      after.external +
      after.arrayBuffers -
      (before.heapUsed + before.external + before.arrayBuffers);
    expect(accepted * message.byteLength).toBeLessThan(64 * 1024 * 1024);
    expect(grown).toBeLessThan(48 * 1024 * 1024);
  });

  it("past maxQueuedPackets, once the network stops taking data, send returns ERR_OUT_OF_MEMORY and queues nothing", async () => {
    const server = startServer({ outboundBufferSize: 0, maxQueuedPackets: 8 });
    const ws = await neverReadingClient(server);
    cleanups.push(() => ws.terminate());
    await pump([server], () => server.getPeerCount() === 1);
    const peer = server.getPeer(server.getPeerIds()[0]!)!;
    const message = new Uint8Array(64 * 1024);
    let result = OK;
    let sent = 0;
    while (result === OK && sent < 100_000) {
      result = peer.send(message);
      if (result === OK) sent++;
    }
    expect(result).toBe(ERR_OUT_OF_MEMORY);
    const buffered = peer.getCurrentOutboundBufferedAmount();
    expect(buffered).toBeGreaterThan(0);
    expect(peer.send(new Uint8Array(1))).toBe(ERR_OUT_OF_MEMORY);
    expect(peer.getCurrentOutboundBufferedAmount()).toBe(buffered);
  });

  it("stop() closes everyone, frees the port and leaves no timers or sockets behind", async () => {
    // Let what earlier tests closed finish closing first.
    await pumpFor([], 200);
    const baseline = counts();
    const server = new WebSocketServer();
    expect(server.listen(0)).toBe(OK);
    const port = server.getLocalPort();
    const clients = [new WebSocketPeer(), new WebSocketPeer(), new WebSocketPeer()];
    for (const client of clients) client.connectToUrl(`ws://127.0.0.1:${port}/`);
    await pump([...clients, server], () => server.getPeerCount() === 3);
    const raw = net.connect(port, "127.0.0.1");
    await new Promise((resolve) => raw.once("connect", resolve));
    raw.resume();
    const rawClosed = new Promise((resolve) => raw.once("close", resolve));
    await pumpFor([server], 20);
    expect(counts().sockets).toBe(baseline.sockets + 8);
    expect(counts().servers).toBe(baseline.servers + 1);
    server.stop();
    await pump(clients, () => clients.every((client) => client.getReadyState() === STATE_CLOSED));
    expect(clients.map((client) => client.getCloseCode())).toEqual([1001, 1001, 1001]);
    await rawClosed;
    await pumpFor([], 50);
    expect(counts()).toEqual(baseline);
    const again = new WebSocketServer();
    expect(again.listen(port)).toBe(OK);
    again.stop();
  });

  it("with heartbeatInterval, a client that stops answering pings is dropped, not before an interval (real time)", async () => {
    const server = startServer({ heartbeatInterval: 0.25 });
    let disconnectedAt = 0;
    server.clientDisconnected.connect((_id, clean) => {
      expect(clean).toBe(false);
      disconnectedAt = performance.now();
    });
    const silent = new WebSocket(`ws://127.0.0.1:${server.getLocalPort()}/`, { autoPong: false });
    cleanups.push(() => silent.terminate());
    const answering = new WebSocketPeer();
    answering.connectToUrl(`ws://127.0.0.1:${server.getLocalPort()}/`);
    await pump([server, answering], () => server.getPeerCount() === 2);
    const openedAt = performance.now();
    await pump([server, answering], () => disconnectedAt !== 0, 5000);
    // Not before one interval; how soon after is the contract tests' business, on a clock
    // they control (here the pump's bound is only the hang guard).
    expect(disconnectedAt - openedAt).toBeGreaterThanOrEqual(240);
    // A peer that answers stays through many intervals.
    await pumpFor([server, answering], 1200);
    expect(server.getPeerCount()).toBe(1);
    expect(answering.getReadyState()).toBe(STATE_OPEN);
    answering.close();
  });

  it("wss:// works with a self-signed certificate that the client trusts, and fails without it", async () => {
    const server = startServer({ tlsKey: key, tlsCert: cert, supportedProtocols: ["chat"] });
    const trusted = new WebSocketPeer();
    trusted.supportedProtocols = ["chat"];
    expect(
      trusted.connectToUrl(`wss://localhost:${server.getLocalPort()}/secure`, TLSOptions.client(cert)),
    ).toBe(OK);
    await pump(
      [trusted, server],
      () => trusted.getReadyState() !== STATE_CONNECTING && server.getPeerCount() === 1,
    );
    expect(trusted.getReadyState()).toBe(STATE_OPEN);
    const peer = server.getPeer(server.getPeerIds()[0]!)!;
    expect(peer.getRequestedUrl()).toBe(`wss://localhost:${server.getLocalPort()}/secure`);
    trusted.sendText("secret");
    await pump([server], () => peer.getAvailablePacketCount() === 1);
    expect(new TextDecoder().decode(peer.getPacket())).toBe("secret");

    const untrusted = new WebSocketPeer();
    untrusted.supportedProtocols = ["chat"];
    expect(untrusted.connectToUrl(`wss://127.0.0.1:${server.getLocalPort()}/`)).toBe(OK);
    await pump([untrusted, server], () => untrusted.getReadyState() === STATE_CLOSED);
    expect(untrusted.getCloseCode()).toBe(-1);
    expect(server.getPeerCount()).toBe(1);

    const client = new WebSocketClient();
    client.trustedSslCertificate = cert;
    let established = "";
    client.connectionEstablished.connect((protocol) => {
      established = protocol;
    });
    expect(client.connectToUrl(`wss://127.0.0.1:${server.getLocalPort()}/`, ["chat"])).toBe(OK);
    await pump([client, server], () => established !== "");
    expect(established).toBe("chat");
    expect(trusted.connectToUrl("wss://localhost:1/", TLSOptions.server(key, cert))).toBe(
      ERR_INVALID_PARAMETER,
    );
    trusted.close();
    client.disconnectFromHost();
  });

  it("a specific bind address is bound at a later poll; a busy one is reported there", async () => {
    const server = new WebSocketServer();
    expect(server.listen(0, { bindAddress: "127.0.0.1" })).toBe(OK);
    cleanups.push(() => server.stop());
    expect(server.getLocalPort()).toBe(0);
    await pump([server], () => server.getLocalPort() !== 0);
    expect(server.isListening()).toBe(true);
    const busy = new WebSocketServer();
    expect(busy.listen(server.getLocalPort(), { bindAddress: "127.0.0.1" })).toBe(OK);
    let result = OK;
    await pump([{ poll: () => (result = busy.poll()) }], () => !busy.isListening());
    expect(result).toBe(ERR_ALREADY_IN_USE);
    expect(busy.getLocalPort()).toBe(0);
    expect(busy.listen(0, ["chat"])).toBe(OK);
    expect(busy.supportedProtocols).toEqual(["chat"]);
    expect(busy.setBuffers(64, 10, 64, 10)).toBe(FAILED);
    busy.stop();
    expect(busy.setBuffers(0, 10, 64, 10)).toBe(ERR_INVALID_PARAMETER);
    expect(busy.setBuffers(256, 10, 128, 20)).toBe(OK);
    expect([busy.inboundBufferSize, busy.outboundBufferSize, busy.maxQueuedPackets]).toEqual([
      262144, 131072, 20,
    ]);
  });
});
