// idle_poll_10k and idle_memory_10k, from one run: 10,000 idle WebSocket connections
// (plain `ws` clients in the client process) held by the server.
// - idle_memory_10k: the server's heap (V8 used heap after full GCs) and RSS per
//   connection, gdnet WebSocketServer against a plain `ws` server holding the same
//   connections, each measured against the same server before any connection.
//   Ratio = anchor heap per connection / gdnet heap per connection (higher is better).
// - idle_poll_10k: gdnet only: nanoseconds and bytes allocated per `poll()` with 10,000
//   idle peers, against the same server's `poll()` with no peer at all (the anchor), so
//   the ratio shows whether the cost follows activity (1.0) or peer count (< 1). Bytes
//   per call are the slope of heap growth between runs of N and 2N calls (fixed costs of
//   measuring cancel out), the smallest of five such pairs that ran without a GC (see
//   measurePolls); GCs during the calls are counted.
import v8 from "node:v8";
import WebSocket, { WebSocketServer } from "ws";
import { median } from "../harness.mjs";
import { fail, gdnet, main, ready, sleep, tick } from "./common.mjs";
import { measurePolls } from "./poll-cost.mjs";

export const scenario = {
  name: "idle_10k",
  parts: ["idle_poll_10k", "idle_memory_10k"],
  file: new URL(import.meta.url),
  serverReport: true,
  rounds: { smoke: 1, quick: 1, full: 3 },
  params: {
    smoke: { clients: 200, polls: 20_000 },
    quick: { clients: 10_000, polls: 500_000 },
    full: { clients: 10_000, polls: 2_000_000 },
  },
  summarize(samples) {
    const m = (side, key) => median(samples[side].map((s) => s.server[key]));
    const gdnetHeap = m("gdnet", "heapPerConnection");
    const anchorHeap = m("anchor", "heapPerConnection");
    const pollBusy = m("gdnet", "pollNs");
    const pollEmpty = m("gdnet", "emptyPollNs");
    return {
      idle_poll_10k: {
        unit: "ns/poll",
        gdnet: pollBusy,
        anchor: pollEmpty,
        ratio: pollEmpty / pollBusy,
        ns_per_call: pollBusy,
        bytes_per_call: m("gdnet", "pollBytes"),
        empty_ns_per_call: pollEmpty,
        empty_bytes_per_call: m("gdnet", "emptyPollBytes"),
        gcs_during_calls: m("gdnet", "pollGcs"),
        connections: m("gdnet", "connections"),
      },
      idle_memory_10k: {
        unit: "heap bytes/connection",
        gdnet: gdnetHeap,
        anchor: anchorHeap,
        ratio: anchorHeap / gdnetHeap,
        gdnet_minus_anchor_bytes: gdnetHeap - anchorHeap,
        gdnet_rss_per_connection: m("gdnet", "rssPerConnection"),
        anchor_rss_per_connection: m("anchor", "rssPerConnection"),
        connections: m("gdnet", "connections"),
        samples: {
          gdnet: samples.gdnet.map((s) => s.server.heapPerConnection),
          anchor: samples.anchor.map((s) => s.server.heapPerConnection),
        },
      },
    };
  },
};

/** V8's used heap after full collections, and the RSS. */
function memory() {
  for (let i = 0; i < 3; i++) globalThis.gc();
  return { heap: v8.getHeapStatistics().used_heap_size, rss: process.memoryUsage().rss };
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
    out.emptyPollBytes = empty.bytes;
  }
  console.log(`REPORT ${JSON.stringify(out)}`);
}

/** Lets the last handshakes and their garbage settle. */
async function settle() {
  for (let i = 0; i < 20; i++) await sleep(25);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main({
    async "server:gdnet"({ clients, polls }) {
      const { WebSocketServer: Server } = await gdnet();
      const server = new Server();
      server.listen(0);
      const empty = await measurePolls(server, polls);
      const base = memory();
      ready(server.getLocalPort());
      while (server.getPeerCount() < clients) {
        server.poll();
        await tick();
      }
      await settle();
      server.poll();
      const loaded = memory();
      const busy = await measurePolls(server, polls);
      report({ clients, base, loaded, busy, empty });
      await new Promise(() => {});
    },
    async "server:anchor"({ clients }) {
      const server = new WebSocketServer({ port: 0, perMessageDeflate: false });
      await new Promise((resolve) => server.on("listening", resolve));
      const base = memory();
      ready(server.address().port);
      while (server.clients.size < clients) await tick();
      await settle();
      const loaded = memory();
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

async function holdConnections({ clients, port }) {
  // Connect in batches so the listen backlog is never overrun.
  for (let i = 0; i < clients; i += 500) {
    const batch = [];
    for (let k = i; k < Math.min(clients, i + 500); k++) {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false });
      batch.push(
        new Promise((resolve) => {
          socket.on("open", resolve);
          socket.on("error", (error) => fail(`client: ${error.message}`));
        }),
      );
    }
    await Promise.all(batch);
  }
  console.log(`RESULT ${JSON.stringify({ open: clients })}`);
  // Hold the connections until the harness ends this process.
  await new Promise(() => {});
}
