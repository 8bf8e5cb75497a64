/**
 * An object that applies events staged for it. Public classes implement this; platform
 * code never calls it directly, it only pushes into a {@link StagingQueue}.
 */
export interface StagedEventTarget {
  /** Applies one staged event. `kind` is a small integer defined by the event's family. */
  applyStagedEvent(kind: number, a: unknown, b: unknown): void;
}

/** Something waiting for a {@link StagingQueue} to be drained. */
export interface DrainListener {
  /** The queue's owner has applied what was staged before. */
  drained(): void;
}

/**
 * Something standing between the platform and a {@link StagingQueue}: conditions that
 * hold events and writes back (`src/conditions/`), a recorder that writes down what
 * reached the owner (`src/replay/`). It sees every event staged from outside the owner's
 * drain (what a drain's own targets stage in reaction is theirs and passes by).
 */
export interface StagingTap {
  /** An event staged from outside the owner's drain; `true` when the tap took it (it stages it later with `stageNow`). */
  staged(target: StagedEventTarget, kind: number, a: unknown, b: unknown): boolean;
  /** The owner's drain is about to start: the tap stages what is due now. */
  beforeDrain(): void;
  /** Whether the tap holds something back, so an owner that skips an empty queue drains anyway. */
  readonly holding: boolean;
  /** A write on a connection staging into this queue: `true` when the tap holds it (and releases it later). */
  holdWrite?(writer: HeldWriter, bytes: Uint8Array): boolean;
  /** A reading of live transport state (a buffered amount) about to be answered to the owner; returns the answer. */
  observe?(value: number): number;
  /** Bytes held back for `target` (they count against its connection's staging budget). */
  heldBytes?(target: StagedEventTarget): number;
}

/** A connection whose writes a {@link StagingTap} may hold back. */
export interface HeldWriter {
  /** Hands a held write to the network (`deliver`) or drops it. */
  releaseWrite(bytes: Uint8Array, deliver: boolean): void;
  /** Resets the connection: the owner sees a reset at its next drain, the remote an RST. */
  resetLink?(): void;
}

/**
 * The one staging mechanism of gdnet (SPEC §1.2): platform code (socket callbacks,
 * browser events, the in-memory network) pushes events here at any time, and the owning
 * object's `poll()` drains them in arrival order.
 *
 * A queue can serve many targets (a server stages the events of all its peers in one
 * queue), so `poll()` costs what happened since the last poll, not the number of idle
 * peers. Events are stored flat, four slots each, so staging allocates nothing once the
 * backing array has grown to the busiest frame's size.
 */
export class StagingQueue {
  /** Four slots per event: target, kind, a, b. Slots past `#tail` are spare capacity. */
  #slots: unknown[] = [];
  #head = 0;
  #tail = 0;
  #onFirstEvent: (() => void) | undefined;
  #drains = 0;
  /** Told once at the end of the next drain (see `afterNextDrain`). */
  #drainWaiters: DrainListener[] | null = null;
  /** Units of work the current drain may still do (see `drain`); infinite outside drains. */
  #remaining = Number.POSITIVE_INFINITY;
  #draining = false;
  /** Conditions or a recorder between the platform and this queue (see {@link StagingTap}); `null` for none. */
  tap: StagingTap | null = null;

  /**
   * @param onFirstEvent called when the queue goes from empty to non-empty, so an owner
   *   that polls several queues can keep a list of only the busy ones.
   */
  constructor(onFirstEvent?: () => void) {
    this.#onFirstEvent = onFirstEvent;
  }

  /** Stages one event for `target`. Safe to call from any callback, at any time. */
  push(target: StagedEventTarget, kind: number, a?: unknown, b?: unknown): void {
    if (this.tap !== null && !this.#draining && this.tap.staged(target, kind, a, b)) return;
    this.stageNow(target, kind, a, b);
  }

  /** Stages one event, past any {@link StagingTap} (a tap releasing what it held). */
  stageNow(target: StagedEventTarget, kind: number, a?: unknown, b?: unknown): void {
    const slots = this.#slots;
    const tail = this.#tail;
    const wasEmpty = tail === this.#head;
    // Reuse the slots of drained events: the array keeps its capacity, so a queue that
    // has seen its busiest frame stages without allocating.
    if (tail === slots.length) {
      slots.push(target, kind, a, b);
    } else {
      slots[tail] = target;
      slots[tail + 1] = kind;
      slots[tail + 2] = a;
      slots[tail + 3] = b;
    }
    this.#tail = tail + 4;
    if (wasEmpty && this.#onFirstEvent !== undefined) this.#onFirstEvent();
  }

  /** The number of events waiting. */
  get size(): number {
    return (this.#tail - this.#head) >> 2;
  }

  /** Whether no event is waiting. */
  get isEmpty(): boolean {
    return this.#tail === this.#head && (this.tap === null || !this.tap.holding);
  }

  /**
   * Applies the events staged before this call, in arrival order, until `budget` units of
   * work are spent (SPEC §1.3: a frame budget counted in work, never in time). Each event
   * costs one unit; a target may spend more while it applies one (a message it parses, a
   * handshake it decides) with {@link StagingQueue.spend}. What the budget leaves stays
   * staged, in order, for the next drain. Events staged while draining (by a target's
   * reaction) wait for the next drain, so one poll never chases its own tail. Returns
   * the number of events applied.
   *
   * Only a complete drain counts as one for {@link StagingQueue.drains} and tells the
   * {@link StagingQueue.afterNextDrain} listeners: platform code holds a reader back
   * until everything it staged was applied, so a budget never lets staging grow.
   */
  drain(budget = Number.POSITIVE_INFINITY): number {
    this.tap?.beforeDrain();
    const slots = this.#slots;
    const end = this.#tail;
    // Listeners that wait for this drain (not those that start waiting during it).
    const waiters = this.#drainWaiters;
    this.#drainWaiters = null;
    this.#remaining = budget;
    let applied = 0;
    const wasDraining = this.#draining;
    this.#draining = true;
    while (this.#head < end && this.#remaining > 0) {
      const i = this.#head;
      const target = slots[i] as StagedEventTarget;
      const kind = slots[i + 1] as number;
      const a = slots[i + 2];
      const b = slots[i + 3];
      slots[i] = slots[i + 2] = slots[i + 3] = undefined;
      this.#head = i + 4;
      applied++;
      this.#remaining--;
      target.applyStagedEvent(kind, a, b);
    }
    this.#draining = wasDraining;
    const complete = this.#head >= end;
    this.#remaining = Number.POSITIVE_INFINITY;
    if (this.#head === this.#tail) {
      this.#head = 0;
      this.#tail = 0;
    } else if (this.#head >= 4096 && this.#head * 2 >= this.#tail) {
      // Events left for later kept the queue from emptying: move them to the front.
      slots.copyWithin(0, this.#head, this.#tail);
      slots.fill(undefined, this.#tail - this.#head, this.#tail);
      this.#tail -= this.#head;
      this.#head = 0;
    }
    if (!complete) {
      // Not everything they staged was applied: they go on waiting.
      if (waiters !== null) {
        const later = this.#drainWaiters;
        this.#drainWaiters = later === null ? waiters : waiters.concat(later);
      }
      return applied;
    }
    this.#drains++;
    if (waiters !== null) for (const waiter of waiters) waiter.drained();
    return applied;
  }

  /** Spends `units` of the current drain's budget (no effect outside a drain). */
  spend(units: number): void {
    this.#remaining -= units;
  }

  /** Whether the current drain has spent its budget: a target should leave the rest of its work staged. */
  get exhausted(): boolean {
    return this.#remaining <= 0;
  }

  /** How many drains have run; platform code compares it to know whether its events were applied. */
  get drains(): number {
    return this.#drains;
  }

  /** Calls `listener.drained()` once, at the end of the next drain (after its events are applied). */
  afterNextDrain(listener: DrainListener): void {
    if (this.#drainWaiters === null) this.#drainWaiters = [listener];
    else this.#drainWaiters.push(listener);
  }

  /** Drops every waiting event of `target` (used when a target is discarded). */
  discard(target: StagedEventTarget): void {
    const slots = this.#slots;
    for (let i = this.#head; i < this.#tail; i += 4) {
      if (slots[i] === target) {
        slots[i] = DISCARDED;
        slots[i + 2] = slots[i + 3] = undefined;
      }
    }
  }
}

const DISCARDED: StagedEventTarget = { applyStagedEvent() {} };
