import type { RandomSource } from "../core/Random.js";

/** Ids leased ahead, so a handshake takes one without waiting for the store. */
const POOL_SIZE = 32;
/** Below this many, the pool asks for more. */
const POOL_LOW = 16;

/**
 * Peer ids this process has leased in the store (unique cluster-wide while the lease
 * lasts; the heartbeat renews them), handed to new local peers.
 * @internal
 */
export class IdPool {
  readonly #ids: number[] = [];
  /** Whether a lease request is in flight. */
  leasing = false;

  /** The leased ids (renewed by the heartbeat, rewritten by a registration). */
  get ids(): readonly number[] {
    return this.#ids;
  }

  /** Whether an id is ready for a new peer. */
  get available(): boolean {
    return this.#ids.length > 0;
  }

  /** Whether the pool should ask for more. */
  get low(): boolean {
    return this.#ids.length < POOL_LOW && !this.leasing;
  }

  /** Takes an id, or 0 when none is left. */
  take(): number {
    return this.#ids.pop() ?? 0;
  }

  /** Whether `id` is in the pool. */
  has(id: number): boolean {
    return this.#ids.includes(id);
  }

  /** Random candidates to fill the pool, none of them `taken` already. */
  candidates(random: RandomSource, taken: (id: number) => boolean): number[] {
    const out: number[] = [];
    const isTaken = (id: number) => taken(id) || out.includes(id);
    while (out.length < POOL_SIZE - this.#ids.length) out.push(random.nextPeerId(isTaken));
    return out;
  }

  /** Adds ids the store granted. */
  add(id: number): void {
    this.#ids.push(id);
  }

  /** Drops an id another process holds (found after the store restarted). */
  lose(id: number): void {
    const at = this.#ids.indexOf(id);
    if (at >= 0) this.#ids.splice(at, 1);
  }

  /** Empties the pool. */
  clear(): void {
    this.#ids.length = 0;
    this.leasing = false;
  }
}
