// hostile, WebSocket parts: what a hostile client costs a server's frame, gdnet's
// WebSocketServer (polled in a frame loop, default pollBudget) beside a raw `ws` server
// (event-driven echo, maxPayload 65535 as gdnet's inboundBufferSize, and a connection not
// upgraded within the handshake timeout destroyed, as gdnet does: 1 s for the half-open
// attack, 20 s for the others) under the
// same attack, from the same attacker (test/hostile/attackers/ws-attacker.mjs, the one
// the tests use). Three processes per run: the server, a well-behaved `ws` client that
// keeps one 64-byte message in flight and times each echo, and the attacker.
// - hostile_ws_flood: one client sending 64-byte messages as fast as TCP takes them
// - hostile_ws_handshakes: 5,000 connections upgrading at once, each echoing a message
// - hostile_ws_pings: 100,000 pings from a client that never reads
// - hostile_ws_noread: 16 KiB messages from a client that never reads their echoes
// - hostile_ws_halfopen: 2,000 connections that never finish their upgrade
// Figures, in the server process: its peak RSS growth over its baseline after a full GC
// (the headline; ratio anchor/gdnet, higher is better for gdnet; growths under 1 MB
// count as 1 MB), gdnet's longest poll() and both sides' longest event-loop stall, the
// RSS and heap plus array buffers left after the attack, a settling wait and a forced
// GC; in the good client, the p50/p99 round trip during the attack.
import { spawn } from "node:child_process";
import http from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import WebSocket, { WebSocketServer as WsServer } from "ws";
import { percentile } from "../harness.mjs";
import { gdnet, main, sleep } from "./common.mjs";
import { alternateRounds, attackFigures, medianOf } from "./hostile_common.mjs";

const ATTACKER = fileURLToPath(new URL("../../test/hostile/attackers/ws-attacker.mjs", import.meta.url));
const THIS_FILE = fileURLToPath(import.meta.url);

/** Each attack's parameters at each size; smoke is tiny and skips the settling wait. */
const ATTACKS = {
  flood: {
    attack: "flood",
    smoke: { messages: 2000, size: 64 },
    quick: { messages: 300_000, size: 64 },
    full: { messages: 1_000_000, size: 64 },
  },
  handshakes: {
    attack: "echo-many",
    smoke: { count: 50, messages: 1 },
    quick: { count: 2000, messages: 1 },
    full: { count: 5000, messages: 1 },
  },
  pings: {
    attack: "ping-flood",
    smoke: { pings: 1000, payload: 125 },
    quick: { pings: 100_000, payload: 125 },
    full: { pings: 100_000, payload: 125 },
  },
  noread: {
    attack: "flood",
    smoke: { messages: 50, size: 16 * 1024, read: false },
    quick: { messages: 2000, size: 16 * 1024, read: false },
    full: { messages: 4000, size: 16 * 1024, read: false },
  },
  halfopen: {
    attack: "half-open",
    smoke: { count: 50, head: "GET / HTTP/1.1\r\nHost: x\r\n" },
    quick: { count: 2000, head: "GET / HTTP/1.1\r\nHost: x\r\n" },
    full: { count: 2000, head: "GET / HTTP/1.1\r\nHost: x\r\n" },
  },
};
const ROUNDS = { smoke: 1, quick: 1, full: 3 };
const SETTLE_MS = { smoke: 0, quick: 1000, full: 3000 };

/** A child process with line-based stdout and a stdin for commands. */
function child(args, label) {
  const process_ = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "inherit"] });
  const lines = [];
  const waiters = new Set();
  let buffer = "";
  process_.stdout.setEncoding("utf8");
  process_.stdout.on("data", (chunk) => {
    buffer += chunk;
    let newline = buffer.indexOf("\n");
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      lines.push(line);
      for (const waiter of waiters) waiter(line);
      newline = buffer.indexOf("\n");
    }
  });
  let exited = false;
  process_.on("exit", () => {
    exited = true;
    for (const waiter of waiters) waiter(null);
  });
  return {
    /** Resolves with the first line that `match(line)` accepts. */
    line(match, timeoutMs = 180_000) {
      const found = lines.find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`${label}: no line within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = (line) => {
          if (line === null) {
            clearTimeout(timer);
            waiters.delete(waiter);
            reject(new Error(`${label} exited`));
          } else if (match(line)) {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve(line);
          }
        };
        waiters.add(waiter);
      });
    },
    send(command) {
      if (!exited) process_.stdin.write(`${command}\n`);
    },
    kill() {
      if (!exited) process_.kill();
    },
  };
}

const startsWith = (prefix) => (line) => line.startsWith(prefix);

/** One run: server, good client, attacker; returns the server's and the client's figures. */
async function runAttack(kind, variant, size) {
  const spec = ATTACKS[kind];
  // A short handshake timeout where the attack is to hold handshakes open; elsewhere one
  // long enough for thousands of connections that wait for each other to all connect.
  const handshakeTimeout = kind === "halfopen" ? 1 : 20;
  const params = { kind, handshakeTimeout, settleMs: SETTLE_MS[size], lifetime: 280 };
  const server = child(
    ["--expose-gc", THIS_FILE, "server", variant, JSON.stringify(params)],
    `${kind} server`,
  );
  let good = null;
  let attacker = null;
  try {
    const port = Number((await server.line(startsWith("READY "))).slice(6));
    good = child([THIS_FILE, "good", "ws", JSON.stringify({ port, lifetime: 280 })], `${kind} good client`);
    await good.line(startsWith("OPEN"));
    attacker = child(
      [ATTACKER, JSON.stringify({ attack: spec.attack, port, limitMs: 60_000, ...spec[size] })],
      `${kind} attacker`,
    );
    const done = JSON.parse(await attacker.line(startsWith('{"event":"done"')));
    attacker.send("end");
    good.send("stop");
    const rtt = JSON.parse((await good.line(startsWith("RESULT "))).slice(7));
    server.send("report");
    const figures = JSON.parse((await server.line(startsWith("RESULT "))).slice(7));
    return { ...figures, ...rtt, attack: done };
  } finally {
    attacker?.kill();
    good?.kill();
    server.kill();
  }
}

/** A part of the `hostile` scenario: rounds of gdnet and ws, alternating. */
function attackPart(kind) {
  return {
    name: `hostile_ws_${kind}`,
    async run(size) {
      const samples = await alternateRounds(ROUNDS[size], (variant) => runAttack(kind, variant, size));
      const m = (variant, key) => medianOf(samples, variant, key);
      return {
        ...attackFigures(samples),
        gdnet_p50_ms: m("gdnet", "p50"),
        anchor_p50_ms: m("anchor", "p50"),
        gdnet_p99_ms: m("gdnet", "p99"),
        anchor_p99_ms: m("anchor", "p99"),
        p99_ratio: m("anchor", "p99") / m("gdnet", "p99"),
        gdnet_polls: m("gdnet", "polls"),
        attack: samples.gdnet[0].attack,
        anchor_attack: samples.anchor[0].attack,
      };
    },
  };
}

export const hostileWsParts = ["flood", "handshakes", "pings", "noread", "halfopen"].map(attackPart);

/** RSS, and V8's heap plus array buffers, after full collections, in bytes. */
function settledMemory() {
  for (let i = 0; i < 3; i++) globalThis.gc();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heap: usage.heapUsed + usage.arrayBuffers };
}

/**
 * The server side's measurements: baseline after a GC, peak RSS sampled every 5 ms and
 * the event loop's longest stall until "report" arrives on stdin, then (after the
 * settling wait) what is left after a forced GC.
 */
function watchServer(params, extra) {
  const baseline = settledMemory();
  let peak = baseline.rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", async (data) => {
    if (!data.includes("report")) return;
    clearInterval(timer);
    delay.disable();
    peak = Math.max(peak, process.memoryUsage.rss());
    const stats = extra.stop();
    if (params.settleMs > 0) await sleep(params.settleMs);
    const after = settledMemory();
    console.log(
      `RESULT ${JSON.stringify({
        ...stats,
        peakGrowthMB: (peak - baseline.rss) / 1e6,
        longestStallMs: delay.max / 1e6,
        afterGrowthMB: (after.rss - baseline.rss) / 1e6,
        heapAfterGrowthMB: (after.heap - baseline.heap) / 1e6,
      })}`,
    );
    process.exit(0);
  });
}

/** gdnet: a WebSocketServer polled in a frame loop that echoes every packet. */
async function gdnetServer(params) {
  const { WebSocketServer } = await gdnet();
  const server = new WebSocketServer();
  server.handshakeTimeout = params.handshakeTimeout;
  if (server.listen(0, { bindAddress: "127.0.0.1" }) !== 0) throw new Error("listen failed");
  while (server.getLocalPort() === 0) {
    server.poll();
    await sleep(1);
  }
  let running = true;
  let longestPollMs = 0;
  let polls = 0;
  watchServer(params, {
    stop() {
      running = false;
      return { longestPollMs, polls };
    },
  });
  console.log(`READY ${server.getLocalPort()}`);
  while (running) {
    const start = performance.now();
    server.poll();
    while (server.getAvailablePacketCount() > 0) {
      const peer = server.getPeer(server.getPacketPeer());
      const packet = server.getPacket();
      peer?.putPacket(packet);
    }
    longestPollMs = Math.max(longestPollMs, performance.now() - start);
    polls++;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const UPGRADE_TIMER = Symbol("upgradeTimer");

/**
 * The anchor: a raw ws server echoing each message as it arrives. A connection that has
 * not upgraded `handshakeTimeout` seconds after its accept is destroyed, as gdnet does
 * (node:http's own header timeout did not drop a head that never ends, in a trial).
 */
async function anchorServer(params) {
  const httpServer = http.createServer();
  httpServer.on("connection", (socket) => {
    const timer = setTimeout(() => socket.destroy(), params.handshakeTimeout * 1000);
    socket[UPGRADE_TIMER] = timer;
    socket.once("close", () => clearTimeout(timer));
  });
  const wss = new WsServer({ server: httpServer, maxPayload: 65535 });
  wss.on("connection", (socket, request) => {
    clearTimeout(request.socket[UPGRADE_TIMER]);
    socket.on("error", () => {});
    socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary }));
  });
  await new Promise((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  watchServer(params, { stop: () => ({ longestPollMs: 0, polls: 0 }) });
  console.log(`READY ${httpServer.address().port}`);
}

/** The well-behaved client: one 64-byte message in flight, each round trip timed. */
async function goodClient(params) {
  const socket = new WebSocket(`ws://127.0.0.1:${params.port}/good`);
  const times = [];
  let sentAt = 0;
  const payload = Buffer.alloc(64, 7);
  socket.on("open", () => {
    console.log("OPEN");
    sentAt = performance.now();
    socket.send(payload);
  });
  socket.on("message", () => {
    times.push(performance.now() - sentAt);
    sentAt = performance.now();
    socket.send(payload);
  });
  socket.on("error", () => {});
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (data) => {
    if (!data.includes("stop")) return;
    // An echo still outstanding counts with the time it has waited so far.
    times.push(performance.now() - sentAt);
    console.log(
      `RESULT ${JSON.stringify({ p50: percentile(times, 50), p99: percentile(times, 99), roundTrips: times.length })}`,
    );
    process.exit(0);
  });
}

if (process.argv[1] === THIS_FILE) {
  await main({ "server:gdnet": gdnetServer, "server:anchor": anchorServer, "good:ws": goodClient });
}
