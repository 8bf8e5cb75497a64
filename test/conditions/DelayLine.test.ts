import { describe, expect, it } from "vitest";
import { DelayLine } from "../../src/conditions/DelayLine.js";
import { NetworkConditions } from "../../src/conditions/NetworkConditions.js";
import { type StagedEventTarget, StagingQueue } from "../../src/core/StagingQueue.js";

/** A queue with conditions on a hand-driven clock; `arrivals(target)` lists when each of its events became visible. */
function conditionedQueue(conditions: NetworkConditions) {
  let now = 0;
  const queue = new StagingQueue();
  DelayLine.install(queue, conditions, () => now);
  const seen = new Map<StagedEventTarget, [number, number][]>();
  const target = (): StagedEventTarget => {
    const self: StagedEventTarget = {
      applyStagedEvent(_kind, a) {
        seen.get(self)!.push([a as number, now]);
      },
    };
    seen.set(self, []);
    return self;
  };
  return {
    queue,
    target,
    at(ms: number) {
      now = ms;
    },
    /** Drains once per millisecond up to `until`. */
    run(until: number) {
      for (; now <= until; now++) queue.drain();
    },
    arrivals: (t: StagedEventTarget) => seen.get(t)!,
  };
}

/** Each connection's delays for `count` events staged 1 ms apart, on conditions seeded with `seed`. */
function delays(seed: number, count: number): number[][] {
  const line = conditionedQueue(new NetworkConditions({ latency: 50, jitter: 20, seed }));
  const connections = [line.target(), line.target()];
  for (let i = 0; i < count + 100; i++) {
    line.at(i);
    if (i < count) for (const connection of connections) line.queue.push(connection, 1, i);
    line.queue.drain();
  }
  for (const connection of connections) {
    // Never reordered: each connection's events come out in the order they went in.
    expect(line.arrivals(connection).map(([sentAt]) => sentAt)).toEqual(
      Array.from({ length: count }, (_, i) => i),
    );
  }
  return connections.map((connection) =>
    line.arrivals(connection).map(([sentAt, seenAt]) => seenAt - sentAt),
  );
}

describe("DelayLine", () => {
  it("holds each event latency ± jitter on the owner's clock and keeps each connection's order", () => {
    const [first, second] = delays(5, 200);
    for (const connection of [first!, second!]) {
      expect(connection).toHaveLength(200);
      expect(Math.min(...connection)).toBeGreaterThanOrEqual(30);
      expect(Math.max(...connection)).toBeLessThanOrEqual(71);
      expect(new Set(connection).size).toBeGreaterThan(10);
    }
  });

  it("derives each connection's draws from the seed and the connection's order: same seed same delays, connections differ", () => {
    const run = delays(5, 100);
    expect(delays(5, 100)).toEqual(run);
    expect(run[0]).not.toEqual(run[1]);
    expect(delays(6, 100)).not.toEqual(run);
  });

  it("keeps an event staged during the drain (a target's own reaction) out of the line", () => {
    const line = conditionedQueue(new NetworkConditions({ latency: 100 }));
    const seen: string[] = [];
    const target: StagedEventTarget = {
      applyStagedEvent(kind) {
        seen.push(`${kind}`);
        if (kind === 1) line.queue.push(target, 2);
      },
    };
    line.queue.push(target, 1);
    line.run(99);
    expect(seen).toEqual([]);
    line.run(101);
    // The reaction waits for the next drain only, not for the latency.
    expect(seen).toEqual(["1", "2"]);
  });

  it("a blackhole holds everything until lifted, then releases it in order", () => {
    const conditions = new NetworkConditions({ latency: 10, blackhole: true });
    const line = conditionedQueue(conditions);
    const target = line.target();
    for (let i = 0; i < 5; i++) line.queue.push(target, 1, i);
    line.run(500);
    expect(line.arrivals(target)).toEqual([]);
    expect(line.queue.isEmpty).toBe(false);
    conditions.blackhole = false;
    line.run(501);
    expect(line.arrivals(target).map(([i]) => i)).toEqual([0, 1, 2, 3, 4]);
    expect(line.queue.isEmpty).toBe(true);
  });
});
