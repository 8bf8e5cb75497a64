import { RandomSource } from "../core/Random.js";

/*
 * The one model of a bad link, shared by MemoryNetwork's links and by conditions on real
 * sockets: each message is due `latency ± jitter` after it was sent (after the bytes
 * before it have passed at `bandwidth`), never before the message ahead of it, so a
 * stream keeps its order whatever the jitter. Draws come from a seeded source per
 * direction of each connection, so the same seed gives the same delays.
 */

/** What a link model needs to know; every field in milliseconds or bytes per second. */
export interface LinkModelSettings {
  /** One-way delay. */
  readonly latency: number;
  /** Each message's delay varies by up to ± this much (kept ≤ latency, order kept). */
  readonly jitter: number;
  /** Bytes per second; `Infinity` for no limit. */
  readonly bandwidth: number;
}

/**
 * A seed for the `order`-th connection of something seeded with `seed` (a server derives
 * its connections' seeds from its own this way), and `direction` 0 or 1 for each way.
 */
export function connectionSeed(seed: number, order: number, direction: number): number {
  let z = (seed ^ Math.imul(order + 1, 0x9e3779b1) ^ Math.imul(direction + 1, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d);
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b);
  return (z ^ (z >>> 16)) >>> 0;
}

/** One direction of one connection: when each message sent on it is due. */
export class LinkDirection {
  readonly #random: RandomSource;
  /** When the link has passed the bytes sent so far (bandwidth). */
  #busyUntil = Number.NEGATIVE_INFINITY;
  /** When the last message is due: nothing overtakes it. */
  #lastDue = Number.NEGATIVE_INFINITY;

  constructor(seed: number) {
    this.#random = new RandomSource(seed);
  }

  /** The time a message of `size` bytes sent at `now` is due. */
  due(now: number, size: number, settings: LinkModelSettings): number {
    const start = Math.max(now, this.#busyUntil);
    const bandwidth = settings.bandwidth;
    const passed =
      bandwidth === Number.POSITIVE_INFINITY || !(bandwidth > 0) || size === 0
        ? start
        : start + (size * 1000) / bandwidth;
    this.#busyUntil = passed;
    const latency = Math.max(0, settings.latency);
    const jitter = Math.min(Math.max(0, settings.jitter), latency);
    // One draw per message even without jitter, so changing jitter at run time does not
    // shift the sequence of draws of later messages.
    const draw = this.#random.nextFloat();
    const delay = latency + (jitter === 0 ? 0 : (draw * 2 - 1) * jitter);
    const due = Math.max(this.#lastDue, passed + delay);
    this.#lastDue = due;
    return due;
  }
}
