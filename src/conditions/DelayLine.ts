import type { Clock } from "../core/Clock.js";
import { DeadlineList } from "../core/DeadlineList.js";
import type { HeldWriter, StagedEventTarget, StagingQueue, StagingTap } from "../core/StagingQueue.js";
import { connectionSeed, LinkDirection } from "./LinkModel.js";
import type { NetworkConditions } from "./NetworkConditions.js";

/*
 * Conditions on real sockets, as a tap on the owner's StagingQueue (the one staging
 * mechanism): an event the platform stages waits here until it is due on the owner's
 * clock, then is staged into the same queue at the start of the owner's drain; a write
 * waits here until due, then goes to the connection's writer. Each connection (in order
 * of first sight) gets its own seeded model per direction, so order is kept per stream
 * and a server's connections draw their jitter from seeds derived from the server's.
 */

interface HeldEvent {
  target: StagedEventTarget;
  kind: number;
  a: unknown;
  b: unknown;
}

interface HeldWrite {
  writer: HeldWriter;
  bytes: Uint8Array;
}

/** The conditions of one owner's queue. */
export class DelayLine implements StagingTap {
  /** A tap after this one (a recorder writes down what is released, as the owner sees it). */
  next: StagingTap | null = null;
  readonly #queue: StagingQueue;
  readonly #conditions: NetworkConditions;
  readonly #clock: Clock;
  readonly #inbound = new DeadlineList<HeldEvent>();
  readonly #outbound = new DeadlineList<HeldWrite>();
  /** Per connection (its staged-event target, or its writer): the model of that direction. */
  readonly #directions = new WeakMap<object, LinkDirection>();
  /** Writers seen, for a reset. */
  readonly #writers = new Set<HeldWriter>();
  /** Per connection (its staged-event target): the bytes of its events held here. */
  readonly #heldBytes = new Map<StagedEventTarget, number>();
  #order = 0;
  #stallUntil = Number.NEGATIVE_INFINITY;
  #stallsSeen: number;
  #resetsSeen: number;

  constructor(queue: StagingQueue, conditions: NetworkConditions, clock: Clock) {
    this.#queue = queue;
    this.#conditions = conditions;
    this.#clock = clock;
    this.#stallsSeen = conditions.stalls;
    this.#resetsSeen = conditions.resets;
  }

  /** Puts conditions on `queue` (once), ahead of any tap it has. */
  static install(queue: StagingQueue, conditions: NetworkConditions, clock: Clock): void {
    for (let tap = queue.tap; tap !== null; tap = tap instanceof DelayLine ? tap.next : null) {
      if (tap instanceof DelayLine) return;
    }
    const line = new DelayLine(queue, conditions, clock);
    line.next = queue.tap;
    queue.tap = line;
  }

  get holding(): boolean {
    return this.#inbound.size > 0 || this.#outbound.size > 0 || (this.next?.holding ?? false);
  }

  staged(target: StagedEventTarget, kind: number, a: unknown, b: unknown): boolean {
    const conditions = this.#conditions;
    if (conditions.transparent && this.#inbound.size === 0 && !this.#stalled()) {
      return this.next?.staged(target, kind, a, b) ?? false;
    }
    const size = a instanceof Uint8Array ? a.byteLength : 0;
    const due = this.#direction(target, 0).due(this.#clock(), size, conditions);
    this.#inbound.add(due, { target, kind, a, b });
    if (size > 0) this.#heldBytes.set(target, (this.#heldBytes.get(target) ?? 0) + size);
    return true;
  }

  holdWrite(writer: HeldWriter, bytes: Uint8Array): boolean {
    const conditions = this.#conditions;
    this.#writers.add(writer);
    if (conditions.transparent && this.#outbound.size === 0 && !this.#stalled()) return false;
    const due = this.#direction(writer, 1).due(this.#clock(), bytes.byteLength, conditions);
    this.#outbound.add(due, { writer, bytes });
    return true;
  }

  heldBytes(target: StagedEventTarget): number {
    return this.#heldBytes.get(target) ?? 0;
  }

  observe(value: number): number {
    return this.next?.observe === undefined ? value : this.next.observe(value);
  }

  beforeDrain(): void {
    const conditions = this.#conditions;
    if (conditions.resets !== this.#resetsSeen) {
      this.#resetsSeen = conditions.resets;
      this.#reset();
    }
    if (conditions.stalls !== this.#stallsSeen || this.#inbound.size > 0 || this.#outbound.size > 0) {
      const now = this.#clock();
      if (conditions.stalls !== this.#stallsSeen) {
        this.#stallsSeen = conditions.stalls;
        this.#stallUntil = now + conditions.stallMs;
      }
      if (now >= this.#stallUntil) this.#stallUntil = Number.NEGATIVE_INFINITY;
      if (!conditions.blackhole && now >= this.#stallUntil) this.#release(now);
    }
    this.next?.beforeDrain();
  }

  /** Stages what is due, in due order (a connection's events in the order they came). */
  #release(now: number): void {
    for (let event = this.#inbound.takeDue(now); event !== undefined; event = this.#inbound.takeDue(now)) {
      if (event.a instanceof Uint8Array && event.a.byteLength > 0)
        this.#forget(event.target, event.a.byteLength);
      if (this.next?.staged(event.target, event.kind, event.a, event.b) !== true) {
        this.#queue.stageNow(event.target, event.kind, event.a, event.b);
      }
    }
    for (let write = this.#outbound.takeDue(now); write !== undefined; write = this.#outbound.takeDue(now)) {
      write.writer.releaseWrite(write.bytes, true);
    }
  }

  #forget(target: StagedEventTarget, bytes: number): void {
    const left = (this.#heldBytes.get(target) ?? 0) - bytes;
    if (left > 0) this.#heldBytes.set(target, left);
    else this.#heldBytes.delete(target);
  }

  /** What is held is dropped, and every connection that wrote through here is reset. */
  #reset(): void {
    this.#inbound.takeAll();
    this.#heldBytes.clear();
    for (const write of this.#outbound.takeAll()) write.writer.releaseWrite(write.bytes, false);
    for (const writer of this.#writers) writer.resetLink?.();
    this.#writers.clear();
  }

  #stalled(): boolean {
    return this.#conditions.stalls !== this.#stallsSeen || this.#stallUntil > Number.NEGATIVE_INFINITY;
  }

  #direction(connection: object, direction: number): LinkDirection {
    let model = this.#directions.get(connection);
    if (model === undefined) {
      model = new LinkDirection(connectionSeed(this.#conditions.seed, this.#order++, direction));
      this.#directions.set(connection, model);
    }
    return model;
  }
}
