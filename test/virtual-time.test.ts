import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  HTTPRequest,
  MemoryNetwork,
  OK,
  type Pollable,
  StreamPeerTCP,
  TCPServer,
  WebSocketPeer,
  WebSocketServer,
} from "../src/index.js";

/*
 * Timeouts of minutes, on MemoryNetwork's virtual clock: each fires after its virtual
 * duration and not before, while the test takes no real time and uses no real timer.
 */

const realTimers = {
  setTimeout: globalThis.setTimeout,
  setInterval: globalThis.setInterval,
  setImmediate: globalThis.setImmediate,
};
let timersUsed = 0;
let startedAt = 0;

beforeEach(() => {
  timersUsed = 0;
  startedAt = performance.now();
  for (const name of Object.keys(realTimers) as (keyof typeof realTimers)[]) {
    const real = realTimers[name] as (...args: unknown[]) => unknown;
    (globalThis as Record<string, unknown>)[name] = (...args: unknown[]) => {
      timersUsed++;
      return real(...args);
    };
  }
});

afterEach(() => {
  Object.assign(globalThis, realTimers);
  expect(timersUsed, "real timers used").toBe(0);
  // Each test simulates minutes; waiting for them in real time would take that long. The
  // bound is loose so that a slow machine cannot fail it.
  expect(performance.now() - startedAt, "real milliseconds spent").toBeLessThan(20_000);
});

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** Steps one-second frames until `done()` or `limitMs` of virtual time; returns the virtual ms it took. */
function stepUntil(
  network: MemoryNetwork,
  objects: Pollable[],
  done: () => boolean,
  limitMs: number,
): number {
  const start = network.now();
  while (!done()) {
    if (network.now() - start > limitMs) return Number.POSITIVE_INFINITY;
    network.step(SECOND, objects);
  }
  return network.now() - start;
}

describe("timeouts of minutes on the virtual clock", () => {
  it("StreamPeerTCP gives up a 10-minute connect to an address nobody has at 10 minutes", () => {
    const network = new MemoryNetwork({ seed: 1 });
    const peer = new StreamPeerTCP({ network });
    peer.connectTimeout = 10 * MINUTE;
    expect(peer.connectToHost("10.1.2.3", 80)).toBe(OK);
    const took = stepUntil(
      network,
      [peer],
      () => peer.getStatus() !== StreamPeerTCP.STATUS_CONNECTING,
      20 * MINUTE,
    );
    expect(peer.getStatus()).toBe(StreamPeerTCP.STATUS_ERROR);
    expect(took).toBeGreaterThanOrEqual(10 * MINUTE);
    expect(took).toBeLessThanOrEqual(10 * MINUTE + 2 * SECOND);
  });

  it("HTTPRequest with a 5-minute timeout gets RESULT_TIMEOUT from a server that never answers, at 5 minutes", () => {
    const network = new MemoryNetwork({ seed: 2 });
    network.host("api.test").serveHttp(80, () => {});
    const request = new HTTPRequest({ network });
    request.timeout = 5 * 60;
    const results: number[] = [];
    request.requestCompleted.connect((result) => results.push(result));
    expect(request.request("http://api.test/slow")).toBe(OK);
    const took = stepUntil(network, [request], () => results.length > 0, 10 * MINUTE);
    expect(results).toEqual([HTTPRequest.RESULT_TIMEOUT]);
    expect(took).toBeGreaterThanOrEqual(5 * MINUTE);
    expect(took).toBeLessThanOrEqual(5 * MINUTE + 2 * SECOND);
  });

  it("a WebSocketServer with a 3-minute handshake timeout drops a TCP client that never upgrades, at 3 minutes", () => {
    const network = new MemoryNetwork({ seed: 3 });
    const server = new WebSocketServer({ network: network.host("game.test") });
    server.handshakeTimeout = 3 * 60;
    expect(server.listen(9000)).toBe(OK);
    const raw = new StreamPeerTCP({ network: network.host("client.test") });
    raw.connectToHost("game.test", 9000);
    const took = stepUntil(
      network,
      [server, raw],
      () =>
        raw.getStatus() !== StreamPeerTCP.STATUS_CONNECTING &&
        raw.getStatus() !== StreamPeerTCP.STATUS_CONNECTED,
      10 * MINUTE,
    );
    expect(raw.getStatus()).not.toBe(StreamPeerTCP.STATUS_CONNECTED);
    expect(took).toBeGreaterThanOrEqual(3 * MINUTE);
    expect(took).toBeLessThanOrEqual(3 * MINUTE + 2 * SECOND);
    expect(server.getPeerCount()).toBe(0);
  });

  it("a 2-minute heartbeat closes a peer whose server went silent with -1, between one and two intervals", () => {
    const network = new MemoryNetwork({ seed: 4 });
    const server = new WebSocketServer({ network: network.host("game.test") });
    expect(server.listen(9000)).toBe(OK);
    const peer = new WebSocketPeer({ network: network.host("client.test") });
    peer.heartbeatInterval = 2 * 60;
    peer.connectToUrl("ws://game.test:9000/");
    stepUntil(network, [server, peer], () => peer.getReadyState() === WebSocketPeer.STATE_OPEN, MINUTE);
    network.step(SECOND, [server, peer], 5);
    network.dropHost("game.test");
    const took = stepUntil(
      network,
      [peer],
      () => peer.getReadyState() === WebSocketPeer.STATE_CLOSED,
      10 * MINUTE,
    );
    expect(peer.getCloseCode()).toBe(-1);
    expect(took).toBeGreaterThanOrEqual(2 * MINUTE - 6 * SECOND);
    expect(took).toBeLessThanOrEqual(4 * MINUTE);
  });

  it("a 4-minute close timeout ends a CLOSING peer whose remote vanished with -1, at 4 minutes", () => {
    const network = new MemoryNetwork({ seed: 5 });
    const server = new WebSocketServer({ network: network.host("game.test") });
    expect(server.listen(9000)).toBe(OK);
    const peer = new WebSocketPeer({ network: network.host("client.test") });
    peer.closeTimeout = 4 * 60;
    peer.connectToUrl("ws://game.test:9000/");
    stepUntil(network, [server, peer], () => peer.getReadyState() === WebSocketPeer.STATE_OPEN, MINUTE);
    network.dropHost("game.test");
    peer.close(1000, "bye");
    expect(peer.getReadyState()).toBe(WebSocketPeer.STATE_CLOSING);
    const took = stepUntil(
      network,
      [peer],
      () => peer.getReadyState() === WebSocketPeer.STATE_CLOSED,
      10 * MINUTE,
    );
    expect(peer.getCloseCode()).toBe(-1);
    expect(took).toBeGreaterThanOrEqual(4 * MINUTE);
    expect(took).toBeLessThanOrEqual(4 * MINUTE + 2 * SECOND);
  });

  it("a TCPServer accepts on the virtual network without any real time passing", () => {
    const network = new MemoryNetwork({ seed: 6 });
    const server = new TCPServer({ network });
    expect(server.listen(7000)).toBe(OK);
    const peer = new StreamPeerTCP({ network });
    peer.connectToHost("127.0.0.1", 7000);
    stepUntil(network, [server, peer], () => server.isConnectionAvailable(), MINUTE);
    expect(server.takeConnection()?.getStatus()).toBe(StreamPeerTCP.STATUS_CONNECTED);
  });
});
