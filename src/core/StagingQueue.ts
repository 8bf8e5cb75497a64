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

  /**
   * @param onFirstEvent called when the queue goes from empty to non-empty, so an owner
   *   that polls several queues can keep a list of only the busy ones.
   */
  constructor(onFirstEvent?: () => void) {
    this.#onFirstEvent = onFirstEvent;
  }

  /** Stages one event for `target`. Safe to call from any callback, at any time. */
  push(target: StagedEventTarget, kind: number, a?: unknown, b?: unknown): void {
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
    return this.#tail === this.#head;
  }

  /**
   * Applies every event that was staged before this call, in arrival order. Events
   * staged while draining (by a target's reaction) wait for the next drain, so one
   * poll never chases its own tail. Returns the number of events applied.
   */
  drain(): number {
    const slots = this.#slots;
    const end = this.#tail;
    const waiters = this.#drainWaiters;
    this.#drainWaiters = null;
    let applied = 0;
    while (this.#head < end) {
      const i = this.#head;
      const target = slots[i] as StagedEventTarget;
      const kind = slots[i + 1] as number;
      const a = slots[i + 2];
      const b = slots[i + 3];
      slots[i] = slots[i + 2] = slots[i + 3] = undefined;
      this.#head = i + 4;
      applied++;
      target.applyStagedEvent(kind, a, b);
    }
    if (this.#head === this.#tail) {
      this.#head = 0;
      this.#tail = 0;
    } else if (this.#head >= 4096 && this.#head * 2 >= this.#tail) {
      // Events staged during drains kept the queue from emptying: move them to the front.
      slots.copyWithin(0, this.#head, this.#tail);
      slots.fill(undefined, this.#tail - this.#head, this.#tail);
      this.#tail -= this.#head;
      this.#head = 0;
    }
    this.#drains++;
    if (waiters !== null) for (const waiter of waiters) waiter.drained();
    return applied;
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
