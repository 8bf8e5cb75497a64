// echo_1, echo_100, echo_1000: N WebSocket connections bounce 32-byte binary messages off
// an echo server, `window` messages in flight per connection (each reply is answered
// with a new message at once). Round trips per second, counted by the clients over a
// measurement window that starts after a warm-up. echo_100_w1: one message in flight
// (latency-bound), with p50/p99 round-trip times.
//
// gdnet: a WebSocketServer polled in a frame loop (read every packet, send it back),
// and WebSocketPeer clients polled in a frame loop, all with gdnet's default limits.
// Anchor: a plain `ws` server and `ws` clients written the usual event-driven way (reply
// inside the 'message' listener). Both sides keep exactly `window` messages in flight.
//
// godot_echo_100 (in godot_echo.mjs) reuses the anchor's clients and server from here.
import WebSocket, { WebSocketServer } from "ws";
import { median, percentile } from "../harness.mjs";
import { fail, gdnet, main, measurementWindow, ready, result, tick, waitUntilDone } from "./common.mjs";

const SIZE = 32;
const message = new Uint8Array(SIZE).fill(3);

/** Parameters per size: smoke (tiny, for the tests), quick, full. */
export function echoParams(connections, window) {
  const big = connections >= 1000;
  return {
    smoke: { connections: Math.min(connections, 10), window, seconds: 0.2, warmup: 0.1 },
    quick: { connections, window, seconds: big ? 1 : 0.8, warmup: big ? 0.5 : 0.3 },
    full: { connections, window, seconds: big ? 2 : 1.5, warmup: big ? 1 : 0.5 },
  };
}

/** Medians of the rates and, with one message in flight, of p50/p99 round-trip times. */
export function echoSummary([a, b] = ["gdnet", "anchor"]) {
  return (samples, params) => {
    const summary = { unit: "round trips/s" };
    for (const side of [a, b]) summary[side] = median(samples[side].map((s) => s.rate));
    summary.ratio = summary[a] / summary[b];
    if (params.window === 1) {
      for (const side of [a, b]) {
        summary[`${side}_p50_ms`] = median(samples[side].map((s) => s.p50));
        summary[`${side}_p99_ms`] = median(samples[side].map((s) => s.p99));
      }
    }
    summary.samples = { [a]: samples[a].map((s) => s.rate), [b]: samples[b].map((s) => s.rate) };
    return summary;
  };
}

function echoScenario(name, connections, window) {
  return {
    name,
    file: new URL(import.meta.url),
    params: echoParams(connections, window),
    summarize: echoSummary(),
  };
}

export const scenarios = [
  echoScenario("echo_1", 1, 64),
  echoScenario("echo_100", 100, 64),
  echoScenario("echo_1000", 1000, 64),
  echoScenario("echo_100_w1", 100, 1),
];

/** Counts round trips in the measurement window; with one in flight, keeps their times too. */
function roundTrips(params) {
  const window = measurementWindow(params);
  const times = params.window === 1 ? [] : null;
  return {
    window,
    record(sentAt) {
      const now = performance.now();
      if (!window.inside(now)) return;
      window.record();
      if (times !== null && times.length < 500_000) times.push(now - sentAt);
    },
    report() {
      const out = { rate: window.rate() };
      if (times !== null && times.length > 0) {
        out.p50 = percentile(times, 50);
        out.p99 = percentile(times, 99);
      }
      return out;
    },
  };
}

/** The `ws` echo server, written the usual way. */
export function startWsEchoServer() {
  const server = new WebSocketServer({ port: 0, perMessageDeflate: false });
  server.on("connection", (socket) => {
    socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary }));
  });
  server.on("listening", () => ready(server.address().port));
}

/** `ws` clients, written the usual way: each reply is answered inside the 'message' listener. */
export async function runWsEchoClients(params) {
  const sockets = [];
  await new Promise((resolve) => {
    let open = 0;
    for (let i = 0; i < params.connections; i++) {
      const socket = new WebSocket(`ws://127.0.0.1:${params.port}/`, { perMessageDeflate: false });
      socket.on("open", () => {
        if (++open === params.connections) resolve();
      });
      socket.on("error", (error) => fail(`client: ${error.message}`));
      socket.on("close", () => fail("client: a connection closed"));
      sockets.push(socket);
    }
  });
  const trips = roundTrips(params);
  for (const socket of sockets) {
    let sentAt = 0;
    socket.on("message", () => {
      trips.record(sentAt);
      sentAt = performance.now();
      socket.send(message);
    });
    for (let k = 0; k < params.window; k++) {
      sentAt = performance.now();
      socket.send(message);
    }
  }
  await waitUntilDone(trips.window);
  result(trips.report());
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main({
    async "server:gdnet"() {
      const { WebSocketServer: Server, OK } = await gdnet();
      const server = new Server();
      server.listen(0);
      ready(server.getLocalPort());
      for (;;) {
        server.poll();
        while (server.getAvailablePacketCount() > 0) {
          const peer = server.getPeer(server.getPacketPeer());
          const packet = server.getPacket();
          if (peer !== null && peer.putPacket(packet) !== OK) fail("server: a send was refused");
        }
        await tick();
      }
    },
    async "server:anchor"() {
      startWsEchoServer();
    },
    async "client:gdnet"(params) {
      const { WebSocketPeer, OK } = await gdnet();
      const peers = [];
      for (let i = 0; i < params.connections; i++) {
        const peer = new WebSocketPeer();
        peer.connectToUrl(`ws://127.0.0.1:${params.port}/`);
        peers.push(peer);
      }
      for (let open = 0; open < peers.length; await tick()) {
        open = 0;
        for (const peer of peers) {
          peer.poll();
          const state = peer.getReadyState();
          if (state === WebSocketPeer.STATE_OPEN) open++;
          else if (state === WebSocketPeer.STATE_CLOSED) fail("client: a connection failed");
        }
      }
      const trips = roundTrips(params);
      const sentAt = new Float64Array(peers.length);
      for (let i = 0; i < peers.length; i++) {
        for (let k = 0; k < params.window; k++) {
          sentAt[i] = performance.now();
          peers[i].putPacket(message);
        }
      }
      while (!trips.window.done) {
        for (let i = 0; i < peers.length; i++) {
          const peer = peers[i];
          peer.poll();
          for (let n = peer.getAvailablePacketCount(); n > 0; n--) {
            peer.getPacket();
            trips.record(sentAt[i]);
            sentAt[i] = performance.now();
            if (peer.putPacket(message) !== OK) fail("client: a send was refused");
          }
          if (peer.getReadyState() !== WebSocketPeer.STATE_OPEN) fail("client: a connection closed");
        }
        await tick();
      }
      result(trips.report());
    },
    async "client:anchor"(params) {
      await runWsEchoClients(params);
    },
  });
}
