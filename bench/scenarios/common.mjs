// Shared pieces of the scenario processes.
import { median } from "../harness.mjs";

/** Yields to the event loop once (a frame loop's turn: Node runs its I/O, then comes back). */
export const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Resolves after `ms` milliseconds. */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** gdnet from the build (the bench measures what users import). */
export async function gdnet() {
  return import("../../dist/index.js");
}

/**
 * Entry point of a scenario process: `node file role variant params`. A process never
 * outlives `params.lifetime` seconds (default 120), so a harness that dies cannot leave
 * a spinning frame loop behind.
 */
export async function main(roles) {
  const [role, variant, json] = process.argv.slice(2);
  const params = JSON.parse(json);
  const run = roles[`${role}:${variant}`];
  if (!run) throw new Error(`no role ${role}:${variant}`);
  setTimeout(
    () => {
      console.error(`${role} ${variant}: lifetime exceeded`);
      process.exit(3);
    },
    (params.lifetime ?? 120) * 1000,
  ).unref();
  // A clean exit on Ctrl-C or `kill -INT`, so that `node --cpu-prof` writes its profile.
  process.on("SIGINT", () => process.exit(0));
  await run(params);
}

export function ready(port) {
  console.log(`READY ${port}`);
}

/** Prints the client's result line and ends the process. */
export function result(value) {
  console.log(`RESULT ${JSON.stringify(value)}`);
  process.exit(0);
}

/** Fails the process with a message (a connection that could not be made, …). */
export function fail(message) {
  console.error(message);
  process.exit(1);
}

/**
 * A measurement window: `warmup` seconds ignored, then `seconds` measured. `record(n)`
 * counts `n` events at the current time; events outside the window are ignored.
 */
export function measurementWindow({ seconds, warmup, untilFirstEvent = false }) {
  const start = performance.now() + warmup * 1000;
  let end = start + seconds * 1000;
  let count = 0;
  // With `untilFirstEvent` (smoke runs), a window that has counted nothing stays open past
  // its end, and ends at its first event: on a loaded machine a stall can outlast a tiny
  // window, and a rate of 0 would say nothing about the code.
  const waiting = () => untilFirstEvent && count === 0;
  const open = (now) => now >= start && (now < end || waiting());
  return {
    start,
    get end() {
      return end;
    },
    get done() {
      return performance.now() >= end && !waiting();
    },
    /** Whether `now` is inside the window. */
    inside(now) {
      return open(now);
    },
    record(n = 1) {
      const now = performance.now();
      if (!open(now)) return;
      if (now >= end) end = now;
      count += n;
    },
    /** Events per second over the window. */
    rate() {
      return count / ((end - start) / 1000);
    },
  };
}

/** Waits until `window.done`, polling every 10 ms of real time (for event-driven clients). */
export async function waitUntilDone(window) {
  while (!window.done) await sleep(Math.max(1, Math.min(10, window.end - performance.now())));
}

/** Summary for a scenario whose samples carry `rate`: medians of both variants and their ratio. */
export function throughputSummary(unit, [a, b] = ["gdnet", "anchor"]) {
  return (samples) => {
    const rateA = median(samples[a].map((s) => s.rate));
    const rateB = median(samples[b].map((s) => s.rate));
    return {
      unit,
      [a]: rateA,
      [b]: rateB,
      ratio: rateA / rateB,
      samples: { [a]: samples[a].map((s) => s.rate), [b]: samples[b].map((s) => s.rate) },
    };
  };
}
