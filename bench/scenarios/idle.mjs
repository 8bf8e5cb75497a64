// idle_poll_10k and idle_memory_10k, from one run: 10,000 idle WebSocket connections
// (plain `ws` clients in the client process) held by the server.
// - idle_memory_10k: the server's heap and RSS per connection, gdnet WebSocketServer
//   against a plain `ws` server holding the same connections. Ratio = anchor heap per
//   connection / gdnet heap per connection (higher is better).
// - idle_poll_10k: gdnet only: nanoseconds and bytes allocated per `poll()` with 10,000
//   idle peers, against the same server's `poll()` with no peer at all (the anchor), so
//   the ratio shows whether the cost follows activity (1.0) or peer count (< 1).
import { PerformanceObserver } from "node:perf_hooks";
import v8 from "node:v8";
import WebSocket, { WebSocketServer } from "ws";
import { median } from "../harness.mjs";
import { gdnet, main, ready, result, tick } from "./common.mjs";

export const scenario = {
  name: "idle_10k",
  file: new URL(import.meta.url),
  serverReport: true,
  params: {
    smoke: { clients: 200, polls: 20_000 },
    quick: { clients: 10_000, polls: 1_000_000 },
    full: { clients: 10_000, polls: 2_000_000 },
  },
  summarize(samples) {
    const m = (side, key) => median(samples[side].map((s) => s.server[key]));
    const gdnetHeap = m("gdnet", "heapPerConnection");
    const anchorHeap = m("anchor", "heapPerConnection");
    const pollBusy = m("gdnet", "pollNs");
    const pollEmpty = m("gdnet", "emptyPollNs");
    return {
      figures: {
        idle_memory_10k: {
          unit: "heap bytes/connection",
          gdnet: gdnetHeap,
          anchor: anchorHeap,
          ratio: anchorHeap / gdnetHeap,
          gdnet_rss_per_connection: m("gdnet", "rssPerConnection"),
          anchor_rss_per_connection: m("anchor", "rssPerConnection"),
          gdnet_minus_anchor_bytes: gdnetHeap - anchorHeap,
          connections: m("gdnet", "connections"),
        },
        idle_poll_10k: {
          unit: "ns/poll",
          gdnet: pollBusy,
          anchor: pollEmpty,
          ratio: pollEmpty / pollBusy,
          bytes_per_poll: m("gdnet", "pollBytes"),
          gcs_during_polls: m("gdnet", "pollGcs"),
          connections: m("gdnet", "connections"),
        },
      },
    };
  },
};

function heap() {
  globalThis.gc();
  globalThis.gc();
  return { heap: v8.getHeapStatistics().used_heap_size, rss: process.memoryUsage().rss };
}

/** ns per call and bytes allocated per call of `fn`, and how many GCs ran meanwhile. */
function measureCalls(fn, calls) {
  for (let i = 0; i < 10_000; i++) fn();
  let gcs = 0;
  const observer = new PerformanceObserver((list) => {
    gcs += list.getEntries().length;
  });
  observer.observe({ entryTypes: ["gc"] });
  globalThis.gc();
  const before = v8.getHeapStatistics().used_heap_size;
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) fn();
  const elapsed = Number(process.hrtime.bigint() - start);
  const after = v8.getHeapStatistics().used_heap_size;
  const gcRecords = observer.takeRecords().length;
  observer.disconnect();
  return { ns: elapsed / calls, bytes: Math.max(0, after - before) / calls, gcs: gcs + gcRecords };
}

async function settle() {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 25));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main({
    async "server:gdnet"({ clients, polls }) {
      const { WebSocketServer: Server } = await gdnet();
      const server = new Server();
      server.listen(0);
      const empty = measureCalls(() => server.poll(), polls);
      const base = heap();
      ready(server.getLocalPort());
      while (server.getPeerCount() < clients) {
        server.poll();
        await tick();
      }
      for (let i = 0; i < 50; i++) {
        server.poll();
        await tick();
      }
      await settle();
      server.poll();
      const loaded = heap();
      const busy = measureCalls(() => server.poll(), polls);
      report({ clients, base, loaded, busy, empty });
      await new Promise(() => {});
    },
    async "server:anchor"({ clients }) {
      const server = new WebSocketServer({ port: 0, perMessageDeflate: false });
      await new Promise((resolve) => server.on("listening", resolve));
      const base = heap();
      ready(server.address().port);
      while (server.clients.size < clients) await tick();
      await settle();
      const loaded = heap();
      report({ clients, base, loaded });
      await new Promise(() => {});
    },
    async "client:gdnet"(params) {
      await holdConnections(params);
    },
    async "client:anchor"(params) {
      await holdConnections(params);
    },
  });
}

function report({ clients, base, loaded, busy, empty }) {
  const out = {
    connections: clients,
    heapPerConnection: (loaded.heap - base.heap) / clients,
    rssPerConnection: (loaded.rss - base.rss) / clients,
  };
  if (busy) {
    out.pollNs = busy.ns;
    out.pollBytes = busy.bytes;
    out.pollGcs = busy.gcs;
    out.emptyPollNs = empty.ns;
  }
  console.log(`REPORT ${JSON.stringify(out)}`);
}

async function holdConnections({ clients, port }) {
  const sockets = [];
  let open = 0;
  // Connect in batches so the listen backlog is never overrun.
  for (let i = 0; i < clients; i += 500) {
    const batch = [];
    for (let k = i; k < Math.min(clients, i + 500); k++) {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false });
      batch.push(
        new Promise((resolve, reject) => {
          socket.on("open", () => {
            open++;
            resolve();
          });
          socket.on("error", reject);
        }),
      );
      sockets.push(socket);
    }
    await Promise.all(batch);
  }
  result({ open });
  await new Promise(() => {});
}
