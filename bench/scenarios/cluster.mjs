// cluster_broadcast and cluster_idle: a gdnet server spanning processes on Redis
// (docs/cluster.md). The scenario starts its own redis-server (no persistence) on a free
// port and its own processes.
//
// - cluster_broadcast: three server processes on one Redis, clients (plain `ws`, in this
//   process) spread over them. One server broadcasts 64-byte messages, a burst per frame,
//   as fast as its frame loop goes (a refused broadcast, inbox full, is retried next
//   frame); each message carries its send time, so the clients measure delivery latency
//   (p50/p99) and the delivered rate. At quick and full size the anchor is socket.io with
//   @socket.io/redis-adapter on the same Redis, the same clients count and burst (ratio:
//   gdnet / socket.io). At smoke size (run by the tests) socket.io stays out and the
//   anchor is one gdnet server without cluster holding every client.
// - cluster_idle: nanoseconds and bytes allocated per `poll()` of a clustered server that
//   knows 10,000 remote peers (a fake process registers them in Redis), against the same
//   server's poll before they were known (ratio: empty / busy). Goal: ≤ 1 µs, 0 bytes.
import { spawn } from "node:child_process";
import { connect, createServer } from "node:net";
import WebSocket from "ws";
import { hasCommand, percentile, startProcess } from "../harness.mjs";
import { gdnet, main, ready, sleep, tick } from "./common.mjs";
import { measurePolls } from "./poll-cost.mjs";

const SIZES = {
  smoke: { servers: 3, clients: 30, messages: 20, burst: 5, socketio: false, remote: 200, polls: 20_000 },
  quick: {
    servers: 3,
    clients: 1000,
    messages: 100,
    burst: 5,
    socketio: true,
    remote: 10_000,
    polls: 500_000,
  },
  full: {
    servers: 3,
    clients: 1000,
    messages: 300,
    burst: 5,
    socketio: true,
    remote: 10_000,
    polls: 2_000_000,
  },
};
const FILE = new URL(import.meta.url).pathname;
const LIMIT_MS = 30_000;

export const scenario = {
  name: "cluster",
  parts: ["cluster_broadcast", "cluster_idle"],
  requires: "redis-server",
  available: () => hasCommand("redis-server"),
  async run({ size = "full" } = {}) {
    const params = SIZES[size];
    const redis = await startRedis();
    try {
      const gdnetRun = await broadcastRun("gdnet", redis.url, params, params.servers);
      const anchorKind = params.socketio ? "socketio" : "single";
      const anchorRun = await broadcastRun(
        anchorKind,
        redis.url,
        params,
        params.socketio ? params.servers : 1,
      );
      const idle = await idleRun(redis.url, params);
      return {
        cluster_broadcast: {
          unit: "messages/s",
          gdnet: gdnetRun.rate,
          anchor: anchorRun.rate,
          ratio: gdnetRun.rate / anchorRun.rate,
          anchorName: params.socketio
            ? "socket.io + @socket.io/redis-adapter"
            : "gdnet, one process, no cluster",
          gdnet_p50_ms: gdnetRun.p50,
          gdnet_p99_ms: gdnetRun.p99,
          anchor_p50_ms: anchorRun.p50,
          anchor_p99_ms: anchorRun.p99,
          join_ms: gdnetRun.joinMs,
          leave_ms: gdnetRun.leaveMs,
          delivered: { gdnet: gdnetRun.delivered, anchor: anchorRun.delivered, expected: gdnetRun.expected },
          clients: params.clients,
          processes: params.servers,
        },
        cluster_idle: {
          unit: "ns/poll",
          gdnet: idle.pollNs,
          anchor: idle.emptyPollNs,
          ratio: idle.emptyPollNs / idle.pollNs,
          ns_per_call: idle.pollNs,
          bytes_per_call: idle.pollBytes,
          empty_ns_per_call: idle.emptyPollNs,
          gcs_during_calls: idle.gcs,
          connections: idle.remote,
        },
      };
    } finally {
      redis.stop();
    }
  },
};

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startRedis() {
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  const url = `redis://127.0.0.1:${port}`;
  const end = performance.now() + 10_000;
  for (;;) {
    if (await answers(port)) break;
    if (performance.now() > end) throw new Error("redis-server did not start");
    await sleep(50);
  }
  return { url, stop: () => child.kill("SIGKILL") };
}

/** Whether a Redis answers PING on `port`. */
function answers(port) {
  return new Promise((resolve) => {
    const probe = connect(port, "127.0.0.1", () => probe.write("PING\r\n"));
    probe.on("data", (data) => {
      probe.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
    probe.on("error", () => resolve(false));
  });
}

/** One broadcast run: start servers, connect clients, broadcast, collect. */
async function broadcastRun(kind, redisUrl, params, serverCount) {
  const name = `bench${Math.floor(Math.random() * 1e9)}`;
  const servers = [];
  try {
    for (let i = 0; i < serverCount; i++) {
      const server = startProcess(
        process.execPath,
        [FILE, "server", kind, JSON.stringify({ redis: redisUrl, name })],
        `cluster ${kind} server`,
      );
      servers.push(server);
    }
    const ports = [];
    for (const server of servers) ports.push(Number(await server.line("READY")));
    const clients = [];
    const received = { count: 0, latencies: [], last: 0 };
    const onMessage = (data) => {
      const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : data;
      if (bytes.byteLength !== 64) return;
      const view = new DataView(bytes.buffer, bytes.byteOffset, 64);
      const now = performance.timeOrigin + performance.now();
      received.latencies.push(now - view.getFloat64(0, true));
      received.count++;
      received.last = now;
    };
    for (let i = 0; i < params.clients; i++) {
      clients.push(await connectClient(kind, ports[i % ports.length], onMessage));
    }
    const control = await connectControl(kind, ports[0]);
    // Everyone must be in the cluster before the first broadcast.
    await control.waitForPeers(params.clients + 1);
    const start = performance.timeOrigin + performance.now();
    control.go(params.messages);
    const expected = params.messages * params.clients;
    const end = performance.now() + LIMIT_MS;
    while (received.count < expected && performance.now() < end) await sleep(5);
    // gdnet only: how long a join on another process, then its clean leave, take to show
    // on the broadcasting server (asked every 5 ms, so within a few ms).
    let joinMs = Number.NaN;
    let leaveMs = Number.NaN;
    if (kind === "gdnet" && ports.length > 1) {
      const joinedAt = performance.now();
      const extra = await connectClient(kind, ports[1], () => {});
      while ((await control.count()) < params.clients + 2) await sleep(5);
      joinMs = performance.now() - joinedAt;
      const leftAt = performance.now();
      extra.close(true);
      while ((await control.count()) > params.clients + 1) await sleep(5);
      leaveMs = performance.now() - leftAt;
    }
    for (const client of [...clients, control]) client.close();
    return {
      joinMs,
      leaveMs,
      rate: received.count / ((received.last - start) / 1000),
      p50: percentile(received.latencies, 50),
      p99: percentile(received.latencies, 99),
      delivered: received.count,
      expected,
    };
  } finally {
    for (const server of servers) server.kill();
  }
}

async function connectClient(kind, port, onMessage) {
  if (kind === "socketio") {
    const { io } = await import("socket.io-client");
    const socket = io(`http://127.0.0.1:${port}`, { transports: ["websocket"], reconnection: false });
    socket.on("m", onMessage);
    await new Promise((resolve, reject) => {
      socket.on("connect", resolve);
      socket.on("connect_error", reject);
    });
    return { close: () => socket.close() };
  }
  for (;;) {
    const socket = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
    socket.binaryType = "nodebuffer";
    socket.on("message", onMessage);
    const opened = await new Promise((resolve) => {
      socket.on("open", () => resolve(true));
      socket.on("error", () => resolve(false));
      socket.on("unexpected-response", () => resolve(false));
    });
    // A server answers 503 until it has leased its first ids from Redis.
    if (opened) return { close: (clean) => (clean ? socket.close() : socket.terminate()) };
    await sleep(20);
  }
}

/** The client that tells the broadcasting server to start, and asks it how many peers it lists. */
async function connectControl(kind, port) {
  const answers = [];
  if (kind === "socketio") {
    const { io } = await import("socket.io-client");
    const socket = io(`http://127.0.0.1:${port}`, { transports: ["websocket"], reconnection: false });
    socket.on("count", (n) => answers.push(n));
    await new Promise((resolve) => socket.on("connect", resolve));
    return {
      async waitForPeers(n) {
        for (;;) {
          socket.emit("count");
          await sleep(50);
          if (answers.at(-1) >= n) return;
        }
      },
      go: (messages) => socket.emit("go", messages),
      close: () => socket.close(),
    };
  }
  const socket = await new Promise((resolve) => {
    const attempt = () => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}`);
      ws.on("open", () => resolve(ws));
      ws.on("error", () => setTimeout(attempt, 20));
    };
    attempt();
  });
  socket.on("message", (data, isBinary) => {
    if (!isBinary) answers.push(Number(data.toString()));
  });
  return {
    async waitForPeers(n) {
      for (;;) {
        socket.send("count");
        await sleep(50);
        if (answers.at(-1) >= n) return;
      }
    },
    async count() {
      const before = answers.length;
      socket.send("count");
      while (answers.length === before) await sleep(1);
      return answers.at(-1);
    },
    go: (messages) => socket.send(`go:${messages}`),
    close: () => socket.terminate(),
  };
}

/** The message: its send time (ms since the epoch, sub-millisecond), then padding to 64 bytes. */
function stamped() {
  const message = new Uint8Array(64);
  new DataView(message.buffer).setFloat64(0, performance.timeOrigin + performance.now(), true);
  return message;
}

async function idleRun(redisUrl, params) {
  const child = startProcess(
    process.execPath,
    [
      "--expose-gc",
      FILE,
      "idle",
      "gdnet",
      JSON.stringify({ redis: redisUrl, remote: params.remote, polls: params.polls }),
    ],
    "cluster idle",
  );
  try {
    return JSON.parse(await child.line("REPORT", 240_000));
  } finally {
    child.kill();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main({
    async "server:gdnet"({ redis, name }) {
      await gdnetServer({ redis, name, cluster: true });
    },
    async "server:single"({ redis, name }) {
      await gdnetServer({ redis, name, cluster: false });
    },
    async "server:socketio"({ redis }) {
      const { Server } = await import("socket.io");
      const { createAdapter } = await import("@socket.io/redis-adapter");
      const { default: Redis } = await import("ioredis");
      const pub = new Redis(redis);
      const sub = pub.duplicate();
      const io = new Server({ adapter: createAdapter(pub, sub) });
      io.on("connection", (socket) => {
        socket.on("count", async () => socket.emit("count", (await io.fetchSockets()).length));
        socket.on("go", async (messages) => {
          for (let sent = 0; sent < messages; ) {
            for (let i = 0; i < 5 && sent < messages; i++, sent++) io.emit("m", stamped());
            await tick();
          }
        });
      });
      const port = await freePort();
      io.listen(port);
      ready(port);
      await new Promise(() => {});
    },
    async "idle:gdnet"({ redis, remote, polls }) {
      const { WebSocketServer } = await gdnet();
      const { redisClusterBus } = await import("../../dist/cluster/redis-bus.js");
      const server = new WebSocketServer();
      const name = `idle${process.pid}`;
      server.listen(0, { cluster: { redis, name } });
      for (let i = 0; i < 100; i++) {
        server.poll();
        await sleep(5);
      }
      const empty = await measurePolls(server, polls, 500);
      // A fake process registers `remote` peers; the server fetches them on its heartbeat.
      const fake = redisClusterBus(redis, name, "benchfake");
      const peers = new Map();
      for (let i = 0; i < remote; i++) peers.set(1_000_000 + i, `10.1.${i >> 8}.${i & 255} 40000 `);
      fake.open({
        busUp: () => fake.register(peers, 1, [], 60_000, () => {}),
        busDown: () => {},
      });
      const keepAlive = setInterval(() => fake.heartbeat([], 60_000, () => {}), 250);
      while (server.getPeerCount() < remote) {
        server.poll();
        await tick();
      }
      const busy = await measurePolls(server, polls, 500);
      clearInterval(keepAlive);
      console.log(
        `REPORT ${JSON.stringify({ remote: server.getPeerCount(), pollNs: busy.ns, pollBytes: busy.bytes, gcs: busy.gcs, emptyPollNs: empty.ns })}`,
      );
      await new Promise(() => {});
    },
  });
}

async function gdnetServer({ redis, name, cluster }) {
  const { WebSocketServer, OK } = await gdnet();
  const server = new WebSocketServer();
  // Broadcasts are measured, not the per-client outbound limit: let every client keep up.
  server.outboundBufferSize = 1 << 26;
  server.maxQueuedPackets = 1 << 20;
  const port = await freePort();
  const options = cluster ? { cluster: { redis, name, inboxLimit: 1_000_000 } } : {};
  if (server.listen(port, options) !== OK) throw new Error("listen failed");
  let toSend = 0;
  server.dataReceived.connect((id) => {
    const peer = server.getPeer(id);
    const text = new TextDecoder().decode(peer.getPacket());
    if (text === "count") peer.sendText(String(server.getPeerCount()));
    else if (text.startsWith("go:")) toSend = Number(text.slice(3));
  });
  ready(port);
  for (;;) {
    server.poll();
    for (let i = 0; i < 5 && toSend > 0; i++) {
      if (server.broadcast(stamped()) !== OK) break;
      toSend--;
    }
    await tick();
  }
}
