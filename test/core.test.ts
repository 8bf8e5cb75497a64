import { describe, expect, it } from "vitest";
import { STAGING_BYTES_LIMIT, STAGING_MESSAGES_LIMIT, StagingBudget } from "../src/core/StagingBudget.js";
import { StagingQueue } from "../src/core/StagingQueue.js";
import { ERR_INVALID_PARAMETER, ErrorCode, errorName, OK, RandomSource, Signal } from "../src/index.js";

describe("ErrorCode", () => {
  it("has Godot's numbers and top-level constants", () => {
    expect(ErrorCode.ERR_ALREADY_IN_USE).toBe(22);
    expect(ErrorCode.ERR_INVALID_PARAMETER).toBe(31);
    expect(ErrorCode.ERR_BUSY).toBe(44);
    expect(ErrorCode.ERR_PRINTER_ON_FIRE).toBe(48);
    expect(OK).toBe(0);
    expect(errorName(26)).toBe("ERR_CANT_RESOLVE");
  });
});

describe("Signal", () => {
  it("calls listeners in connection order and refuses a double connection", () => {
    const signal = new Signal<[number]>();
    const seen: string[] = [];
    const a = (n: number) => seen.push(`a${n}`);
    const b = (n: number) => seen.push(`b${n}`);
    expect(signal.connect(a)).toBe(OK);
    expect(signal.connect(b)).toBe(OK);
    expect(signal.connect(a)).toBe(ERR_INVALID_PARAMETER);
    signal.emit(1);
    expect(seen).toEqual(["a1", "b1"]);
    expect(signal.getConnectionCount()).toBe(2);
  });

  it("a listener that disconnects itself during an emission still ran once, and not again", () => {
    const signal = new Signal<[]>();
    let calls = 0;
    const once = () => {
      calls++;
      signal.disconnect(once);
    };
    const other = () => {
      calls += 10;
    };
    signal.connect(once);
    signal.connect(other);
    signal.emit();
    signal.emit();
    expect(calls).toBe(21);
    expect(signal.isConnected(once)).toBe(false);
  });
});

describe("StagingQueue", () => {
  it("applies events in arrival order only when drained, and events staged while draining wait", () => {
    const queue = new StagingQueue();
    const applied: unknown[] = [];
    const target = {
      applyStagedEvent(kind: number, a: unknown) {
        applied.push([kind, a]);
        if (kind === 1) queue.push(target, 9, "late");
      },
    };
    queue.push(target, 1, "x");
    queue.push(target, 2, "y");
    expect(applied).toEqual([]);
    expect(queue.size).toBe(2);
    expect(queue.drain()).toBe(2);
    expect(applied).toEqual([
      [1, "x"],
      [2, "y"],
    ]);
    expect(queue.size).toBe(1);
    queue.drain();
    expect(applied.at(-1)).toEqual([9, "late"]);
    expect(queue.isEmpty).toBe(true);
  });

  it("tells its owner when it goes from empty to busy, once", () => {
    let wakeups = 0;
    const queue = new StagingQueue(() => wakeups++);
    const target = { applyStagedEvent() {} };
    queue.push(target, 1);
    queue.push(target, 1);
    expect(wakeups).toBe(1);
    queue.drain();
    queue.push(target, 1);
    expect(wakeups).toBe(2);
  });

  it("discards the waiting events of one target", () => {
    const queue = new StagingQueue();
    const seen: string[] = [];
    const a = { applyStagedEvent: () => seen.push("a") };
    const b = { applyStagedEvent: () => seen.push("b") };
    queue.push(a, 1);
    queue.push(b, 1);
    queue.push(a, 1);
    queue.discard(a);
    queue.drain();
    expect(seen).toEqual(["b"]);
  });
});

describe("StagingBudget", () => {
  const sink = { applyStagedEvent() {} };

  it("holds a connection once it staged the byte limit since the last drain, and lets it go after the next drain", () => {
    const queue = new StagingQueue();
    const holds: boolean[] = [];
    const budget = new StagingBudget(queue, { holdForDrain: (held) => holds.push(held) });
    const half = STAGING_BYTES_LIMIT / 2;
    queue.push(sink, 0);
    budget.staged(half);
    queue.drain();
    // A drain in between: the count starts again, so this is not past the limit.
    queue.push(sink, 0);
    budget.staged(half);
    expect(holds).toEqual([]);
    queue.push(sink, 0);
    budget.staged(half);
    expect(holds).toEqual([true]);
    expect(budget.holding).toBe(true);
    queue.push(sink, 0);
    budget.staged(half);
    expect(holds).toEqual([true]);
    queue.drain();
    expect(holds).toEqual([true, false]);
    expect(budget.holding).toBe(false);
  });

  it("holds a connection past the message limit, however small the messages", () => {
    const queue = new StagingQueue();
    let held = false;
    const budget = new StagingBudget(queue, { holdForDrain: (value) => (held = value) });
    for (let i = 0; i < STAGING_MESSAGES_LIMIT - 1; i++) budget.staged(0);
    expect(held).toBe(false);
    budget.staged(0);
    expect(held).toBe(true);
    queue.drain();
    expect(held).toBe(false);
  });

  it("a listener added during a drain waits for the following one", () => {
    const queue = new StagingQueue();
    const seen: string[] = [];
    const late = { drained: () => seen.push("late") };
    queue.push({ applyStagedEvent: () => queue.afterNextDrain(late) }, 0);
    queue.afterNextDrain({ drained: () => seen.push("early") });
    queue.drain();
    expect(seen).toEqual(["early"]);
    queue.drain();
    expect(seen).toEqual(["early", "late"]);
  });
});

describe("RandomSource", () => {
  it("repeats for a seed, differs across seeds, and makes ids as Godot does (31-bit, not 0 or 1)", () => {
    const a = new RandomSource(42);
    const b = new RandomSource(42);
    const c = new RandomSource(43);
    const fromA = Array.from({ length: 5 }, () => a.nextPeerId());
    expect(Array.from({ length: 5 }, () => b.nextPeerId())).toEqual(fromA);
    expect(Array.from({ length: 5 }, () => c.nextPeerId())).not.toEqual(fromA);
    for (let i = 0; i < 10_000; i++) {
      const id = a.nextPeerId();
      expect(id >= 2 && id <= 0x7fffffff && Number.isInteger(id)).toBe(true);
    }
    const taken = new Set([fromA[0]]);
    const again = new RandomSource(42).nextPeerId((id) => taken.has(id));
    expect(again).not.toBe(fromA[0]);
  });
});
