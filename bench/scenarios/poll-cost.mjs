// What one `server.poll()` costs when nothing happens: time and bytes allocated per call.
// Shared by idle.mjs (idle_poll_10k) and cluster.mjs (cluster_idle).
import { PerformanceObserver } from "node:perf_hooks";
import v8 from "node:v8";
import { median } from "../harness.mjs";
import { sleep } from "./common.mjs";

/** Polls `server` `calls` times; returns the heap growth and the GCs that ran meanwhile. */
function heapGrowth(server, calls) {
  let gcs = 0;
  const observer = new PerformanceObserver((list) => {
    gcs += list.getEntries().length;
  });
  observer.observe({ entryTypes: ["gc"] });
  globalThis.gc();
  const before = v8.getHeapStatistics().used_heap_size;
  for (let i = 0; i < calls; i++) server.poll();
  const after = v8.getHeapStatistics().used_heap_size;
  gcs += observer.takeRecords().length;
  observer.disconnect();
  return { bytes: after - before, gcs };
}

/**
 * ns per `server.poll()` (median of five batches, after a warm-up that lets the JIT
 * settle) and bytes allocated per call, with the GCs counted. `settleMs`: a pause after
 * the timing, so that background work the warm-up started (compilation, sweeping, a
 * client's timers) is over before the heap is measured. Needs `--expose-gc`.
 */
export async function measurePolls(server, calls, settleMs = 0) {
  for (let i = 0; i < 1_000_000; i++) server.poll();
  const batch = Math.ceil(calls / 5);
  const times = [];
  for (let b = 0; b < 5; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) server.poll();
    times.push(Number(process.hrtime.bigint() - start) / batch);
  }
  if (settleMs > 0) await sleep(settleMs);
  // A first run compiles heapGrowth itself, so that its code is not counted below.
  heapGrowth(server, calls);
  // An allocation made by every call shows in every pair alike; what the runtime
  // allocates now and then (compiled code, the GC observer) only adds to some pairs. So
  // the estimate is the smallest slope among the pairs no GC ran in (a GC would shrink
  // the heap and hide allocations), or the median of all when a GC ran in every pair.
  const slopes = [];
  const clean = [];
  let gcs = 0;
  for (let k = 0; k < 5; k++) {
    const once = heapGrowth(server, calls);
    const twice = heapGrowth(server, 2 * calls);
    const slope = Math.max(0, (twice.bytes - once.bytes) / calls);
    slopes.push(slope);
    if (once.gcs + twice.gcs === 0) clean.push(slope);
    gcs += once.gcs + twice.gcs;
  }
  return { ns: median(times), bytes: clean.length > 0 ? Math.min(...clean) : median(slopes), gcs };
}
