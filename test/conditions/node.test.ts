import net from "node:net";
import { describe, expect, it } from "vitest";
import { STAGING_BYTES_LIMIT } from "../../src/core/StagingBudget.js";
import { NetworkConditions, StreamPeerTCP, WebSocketPeer, WebSocketServer } from "../../src/index.js";
import { firstMismatch, streamChunk } from "../support/stream-pattern.js";

/** Polls `objects` every millisecond or so until `done()`; the limit is a hang guard. */
async function pollUntil(
  objects: { poll(): unknown }[],
  done: () => boolean,
  limitMs = 15_000,
): Promise<void> {
  const end = performance.now() + limitMs;
  while (!done()) {
    if (performance.now() > end) throw new Error("not reached before the hang guard");
    for (const object of objects) object.poll();
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

async function echoServer(): Promise<WebSocketServer> {
  const server = new WebSocketServer();
  server.dataReceived.connect((id) => {
    const peer = server.getPeer(id)!;
    peer.send(peer.getPacket());
  });
  expect(server.listen(0, { bindAddress: "127.0.0.1" })).toBe(0);
  await pollUntil([server], () => server.getLocalPort() > 0);
  return server;
}

describe("conditions on real sockets", () => {
  it("with 100 ms ± 20 ms on a Node client, no round trip is shorter than 2 × 80 ms and order is kept", async () => {
    const server = await echoServer();
    const client = new WebSocketPeer({ conditions: { latency: 100, jitter: 20, seed: 7 } });
    expect(client.connectToUrl(`ws://127.0.0.1:${server.getLocalPort()}/`)).toBe(0);
    await pollUntil([client, server], () => client.getReadyState() === WebSocketPeer.STATE_OPEN);
    const sentAt: number[] = [];
    const roundTrips: number[] = [];
    const order: number[] = [];
    const count = 40;
    await pollUntil([client, server], () => {
      while (client.getAvailablePacketCount() > 0) {
        const n = client.getPacket()[0]!;
        order.push(n);
        roundTrips.push(performance.now() - sentAt[n]!);
      }
      // One message every few ms, so the jitter of neighbours could reorder them.
      if (sentAt.length < count && (sentAt.length === 0 || performance.now() - sentAt.at(-1)! >= 3)) {
        sentAt.push(performance.now());
        client.send(new Uint8Array([sentAt.length - 1]));
      }
      return order.length === count;
    });
    expect(order).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(Math.min(...roundTrips)).toBeGreaterThanOrEqual(2 * (100 - 20) - 1);
    client.close();
    server.stop();
  }, 30_000);

  it("a blackhole set at run time ends in the heartbeat's close path on both sides", async () => {
    const server = await echoServer();
    server.heartbeatInterval = 0.3;
    const disconnects: [boolean, number][] = [];
    server.clientDisconnected.connect((_id, clean, code) => disconnects.push([clean, code]));
    const conditions = new NetworkConditions();
    const client = new WebSocketPeer({ conditions });
    client.heartbeatInterval = 0.3;
    expect(client.connectToUrl(`ws://127.0.0.1:${server.getLocalPort()}/`)).toBe(0);
    await pollUntil(
      [client, server],
      () => client.getReadyState() === WebSocketPeer.STATE_OPEN && server.getPeerCount() === 1,
    );
    conditions.blackhole = true;
    await pollUntil(
      [client, server],
      () => client.getReadyState() === WebSocketPeer.STATE_CLOSED && disconnects.length === 1,
    );
    expect(client.getCloseCode()).toBe(-1);
    expect(disconnects).toEqual([[false, -1]]);
    server.stop();
  }, 30_000);

  it("a reset from the conditions is seen by both sides as an unclean close", async () => {
    const server = await echoServer();
    const disconnects: [boolean, number][] = [];
    server.clientDisconnected.connect((_id, clean, code) => disconnects.push([clean, code]));
    const conditions = new NetworkConditions({ latency: 5 });
    const client = new WebSocketPeer({ conditions });
    expect(client.connectToUrl(`ws://127.0.0.1:${server.getLocalPort()}/`)).toBe(0);
    await pollUntil(
      [client, server],
      () => client.getReadyState() === WebSocketPeer.STATE_OPEN && server.getPeerCount() === 1,
    );
    conditions.reset();
    await pollUntil(
      [client, server],
      () => client.getReadyState() === WebSocketPeer.STATE_CLOSED && disconnects.length === 1,
    );
    expect(client.getCloseCode()).toBe(-1);
    expect(disconnects).toEqual([[false, -1]]);
    server.stop();
  }, 30_000);

  it("a stall holds both directions for its length and then lets everything through in order, counted as buffered meanwhile", async () => {
    const server = await echoServer();
    const conditions = new NetworkConditions();
    const client = new WebSocketPeer({ conditions });
    expect(client.connectToUrl(`ws://127.0.0.1:${server.getLocalPort()}/`)).toBe(0);
    await pollUntil([client, server], () => client.getReadyState() === WebSocketPeer.STATE_OPEN);
    conditions.stall(300);
    client.poll();
    const stalledAt = performance.now();
    for (let i = 0; i < 5; i++) expect(client.send(new Uint8Array([i]))).toBe(0);
    // Held by the stall: waiting to be sent, as a slow network would leave them.
    expect(client.getCurrentOutboundBufferedAmount()).toBeGreaterThan(0);
    const order: number[] = [];
    await pollUntil([client, server], () => {
      while (client.getAvailablePacketCount() > 0) order.push(client.getPacket()[0]!);
      return order.length === 5;
    });
    // A lower bound only (the stall held everything back at least this long), which a slow
    // machine can only make longer; 1 ms of timer slack.
    expect(performance.now() - stalledAt).toBeGreaterThanOrEqual(300 - 1);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(client.getCurrentOutboundBufferedAmount()).toBe(0);
    client.close();
    server.stop();
  }, 30_000);

  it("what the conditions hold of a fast sender counts against the staging budget, and everything arrives in order", async () => {
    const total = 16 * 1024 * 1024;
    const server = net.createServer((socket) => {
      for (let offset = 0; offset < total; offset += 64 * 1024) socket.write(streamChunk(offset, 64 * 1024));
      socket.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const peer = new StreamPeerTCP({ conditions: { latency: 300 } });
    expect(peer.connectToHost("127.0.0.1", (server.address() as net.AddressInfo).port)).toBe(0);
    const received: Uint8Array[] = [];
    let receivedBytes = 0;
    let mostStaged = 0;
    await pollUntil(
      [peer],
      () => {
        mostStaged = Math.max(mostStaged, peer.stagedBytes);
        const available = peer.getAvailableBytes();
        if (available > 0) {
          const [, data] = peer.getData(available);
          received.push(data);
          receivedBytes += data.byteLength;
        }
        return receivedBytes === total;
      },
      25_000,
    );
    // Past the budget by one socket read at most (libuv reads up to 64 KiB).
    expect(mostStaged).toBeGreaterThan(STAGING_BYTES_LIMIT / 2);
    expect(mostStaged).toBeLessThanOrEqual(STAGING_BYTES_LIMIT + 64 * 1024);
    const all = new Uint8Array(total);
    let offset = 0;
    for (const chunk of received) {
      all.set(chunk, offset);
      offset += chunk.byteLength;
    }
    expect(firstMismatch(all, 0)).toBe(-1);
    peer.disconnectFromHost();
    server.close();
  }, 30_000);

  it("conditions on a server delay every connection both ways, each keeping its order", async () => {
    const server = new WebSocketServer({ conditions: { latency: 40, jitter: 10, seed: 3 } });
    server.dataReceived.connect((id) => {
      const peer = server.getPeer(id)!;
      peer.send(peer.getPacket());
    });
    expect(server.listen(0, { bindAddress: "127.0.0.1" })).toBe(0);
    await pollUntil([server], () => server.getLocalPort() > 0);
    const clients = [new WebSocketPeer(), new WebSocketPeer(), new WebSocketPeer()];
    for (const client of clients) client.connectToUrl(`ws://127.0.0.1:${server.getLocalPort()}/`);
    await pollUntil([server, ...clients], () =>
      clients.every((c) => c.getReadyState() === WebSocketPeer.STATE_OPEN),
    );
    const sentAt = clients.map(() => [] as number[]);
    const order = clients.map(() => [] as number[]);
    const roundTrips: number[] = [];
    const count = 15;
    await pollUntil([server, ...clients], () => {
      clients.forEach((client, c) => {
        while (client.getAvailablePacketCount() > 0) {
          const n = client.getPacket()[0]!;
          order[c]!.push(n);
          roundTrips.push(performance.now() - sentAt[c]![n]!);
        }
        const sent = sentAt[c]!;
        if (sent.length < count && (sent.length === 0 || performance.now() - sent.at(-1)! >= 2)) {
          sent.push(performance.now());
          client.send(new Uint8Array([sent.length - 1]));
        }
      });
      return order.every((o) => o.length === count);
    });
    for (const o of order) expect(o).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(Math.min(...roundTrips)).toBeGreaterThanOrEqual(2 * (40 - 10) - 1);
    for (const client of clients) client.close();
    server.stop();
  }, 30_000);
});
