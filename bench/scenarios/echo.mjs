// echo_1, echo_100, echo_1000: N WebSocket connections bouncing 32-byte binary messages
// off an echo server, `window` messages in flight per connection. Round trips per
// second, measured by the clients. echo_100_w1: one in flight (latency-bound), with
// p50/p99 round-trip times.
// gdnet: a WebSocketServer polled in a frame loop, WebSocketPeer clients polled in a
// frame loop. Anchor: a plain `ws` server and `ws` clients, written the usual
// event-driven way.
import WebSocket, { WebSocketServer } from "ws";
import { median, percentile } from "../harness.mjs";
import { gdnet, main, ready, result, tick } from "./common.mjs";

const SIZE = 32;

function echoScenario(name, connections, window, sizes) {
  return {
    name,
    file: new URL(import.meta.url),
    unit: "round trips/s",
    params: {
      smoke: { connections: Math.min(connections, 10), window, seconds: 0.3, warmup: 0.1 },
      quick: { connections, window, seconds: sizes.quick, warmup: 0.5 },
      full: { connections, window, seconds: sizes.full, warmup: 1 },
    },
    summarize(samples) {
      const rate = (side) => median(samples[side].map((s) => s.rate));
      const summary = { unit: "round trips/s", gdnet: rate("gdnet"), anchor: rate("anchor") };
      summary.ratio = summary.gdnet / summary.anchor;
      if (window === 1) {
        for (const side of ["gdnet", "anchor"]) {
          summary[`${side}_p50_ms`] = median(samples[side].map((s) => s.p50));
          summary[`${side}_p99_ms`] = median(samples[side].map((s) => s.p99));
        }
      }
      summary.samples = {
        gdnet: samples.gdnet.map((s) => s.rate),
        anchor: samples.anchor.map((s) => s.rate),
      };
      return summary;
    },
  };
}

export const scenarios = [
  echoScenario("echo_1", 1, 64, { quick: 2, full: 5 }),
  echoScenario("echo_100", 100, 64, { quick: 2, full: 5 }),
  echoScenario("echo_1000", 1000, 64, { quick: 3, full: 6 }),
  echoScenario("echo_100_w1", 100, 1, { quick: 2, full: 5 }),
];

const message = new Uint8Array(SIZE).fill(3);

/** Counts round trips after the warm-up and, for window 1, keeps their times. */
function recorder({ seconds, warmup, window }) {
  const start = performance.now();
  const measureFrom = start + warmup * 1000;
  const end = measureFrom + seconds * 1000;
  let count = 0;
  const times = [];
  return {
    get done() {
      return performance.now() >= end;
    },
    record(sentAt) {
      const now = performance.now();
      if (now < measureFrom) return;
      count++;
      if (window === 1 && times.length < 200_000) times.push(now - sentAt);
    },
    report() {
      const elapsed = (Math.min(performance.now(), end) - measureFrom) / 1000;
      const out = { rate: count / elapsed };
      if (window === 1) {
        out.p50 = percentile(times, 50);
        out.p99 = percentile(times, 99);
      }
      return out;
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main({
    async "server:gdnet"() {
      const { WebSocketServer: Server } = await gdnet();
      const server = new Server();
      server.maxQueuedPackets = 1 << 16;
      server.outboundBufferSize = 1 << 22;
      server.inboundBufferSize = 1 << 16;
      server.listen(0);
      ready(server.getLocalPort());
      for (;;) {
        server.poll();
        while (server.getAvailablePacketCount() > 0) {
          const id = server.getPacketPeer();
          const packet = server.getPacket();
          server.getPeer(id)?.putPacket(packet);
        }
        await tick();
      }
    },
    async "server:anchor"() {
      const server = new WebSocketServer({ port: 0, perMessageDeflate: false });
      server.on("connection", (socket) => {
        socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary }));
      });
      server.on("listening", () => ready(server.address().port));
    },
    async "client:gdnet"(params) {
      const { WebSocketPeer } = await gdnet();
      const peers = [];
      for (let i = 0; i < params.connections; i++) {
        const peer = new WebSocketPeer();
        peer.maxQueuedPackets = 1 << 16;
        peer.outboundBufferSize = 1 << 22;
        peer.connectToUrl(`ws://127.0.0.1:${params.port}/`);
        peers.push(peer);
      }
      while (peers.some((p) => p.getReadyState() !== WebSocketPeer.STATE_OPEN)) {
        for (const peer of peers) peer.poll();
        await tick();
      }
      const sentAt = peers.map(() => []);
      const clock = recorder(params);
      peers.forEach((peer, i) => {
        for (let k = 0; k < params.window; k++) {
          sentAt[i].push(performance.now());
          peer.putPacket(message);
        }
      });
      while (!clock.done) {
        for (let i = 0; i < peers.length; i++) {
          const peer = peers[i];
          peer.poll();
          for (let n = peer.getAvailablePacketCount(); n > 0; n--) {
            peer.getPacket();
            clock.record(sentAt[i].shift());
            sentAt[i].push(performance.now());
            peer.putPacket(message);
          }
        }
        await tick();
      }
      result(clock.report());
      process.exit(0);
    },
    async "client:anchor"(params) {
      const sockets = [];
      await new Promise((resolve) => {
        let open = 0;
        for (let i = 0; i < params.connections; i++) {
          const socket = new WebSocket(`ws://127.0.0.1:${params.port}/`, { perMessageDeflate: false });
          socket.on("open", () => {
            if (++open === params.connections) resolve();
          });
          sockets.push(socket);
        }
      });
      const clock = recorder(params);
      sockets.forEach((socket) => {
        const sentAt = [];
        socket.on("message", () => {
          clock.record(sentAt.shift());
          sentAt.push(performance.now());
          socket.send(message);
        });
        for (let k = 0; k < params.window; k++) {
          sentAt.push(performance.now());
          socket.send(message);
        }
      });
      while (!clock.done) await new Promise((resolve) => setTimeout(resolve, 20));
      result(clock.report());
      process.exit(0);
    },
  });
}
