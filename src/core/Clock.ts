/**
 * A clock in milliseconds. gdnet reads it only inside `poll()` to measure timeouts
 * (SPEC §1.6). Real transports default to `performance.now()`; a `MemoryNetwork`
 * supplies its virtual clock; tests may inject their own.
 */
export type Clock = () => number;

/** The monotonic wall clock used by the real transports. */
export const monotonicClock: Clock = () => performance.now();
