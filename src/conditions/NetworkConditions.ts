/*
 * The `conditions` option of every networking class: a bad network on real sockets,
 * changeable while the game runs. See docs/debugging.md.
 */

/** The settings of {@link NetworkConditions}, as the `conditions` option takes them. */
export interface NetworkConditionsInit {
  /** Milliseconds added to every message in each direction. Default 0. */
  latency?: number;
  /** Each message's delay varies by up to ± this many ms (at most `latency`), never reordering a stream. Default 0. */
  jitter?: number;
  /** Seeds the jitter; a server derives each connection's seed from it and the connection's order. Default 0. */
  seed?: number;
  /** Bytes per second in each direction of each connection. Default `Infinity`. */
  bandwidth?: number;
  /** Starts as a blackhole (see {@link NetworkConditions.blackhole}). Default false. */
  blackhole?: boolean;
}

/**
 * A bad network on demand, for the `conditions` option of any gdnet class
 * (`new WebSocketPeer({ conditions: { latency: 100, jitter: 20, seed: 7 } })`). Keep the
 * instance to change it while the game runs: every field is read again for each
 * message, so a debug key can set `blackhole` ("pull the plug") or `latency`.
 *
 * Inbound events are held before they become visible to `poll()`, outbound bytes before
 * they are written, both measured on the object's clock and released by its polls (so a
 * message is late by its delay plus at most one frame, never early). gdnet addition:
 * Godot has no network simulator. On a `MemoryNetwork` the same model is part of the
 * link settings (`MemoryNetwork.setLinkConditions`); this option applies to real
 * sockets (Node and browsers).
 */
export class NetworkConditions {
  /** Milliseconds added to every message in each direction. Default 0. gdnet addition. */
  latency: number;
  /** Each message's delay varies by up to ± this many ms, order kept. Default 0. gdnet addition. */
  jitter: number;
  /** Seeds the jitter (read when a connection starts). Default 0. gdnet addition. */
  seed: number;
  /** Bytes per second per direction of each connection. Default `Infinity`. gdnet addition. */
  bandwidth: number;
  /**
   * The link goes silent both ways, with no FIN and no reset: nothing is delivered and
   * nothing is written until this is false again, then everything held goes on in order
   * (as TCP's retransmissions would). Heartbeats and timeouts notice; in browsers the
   * browser answers pings itself, so only the application's own timeouts do. gdnet addition.
   */
  blackhole: boolean;
  #stallMs = 0;
  #stalls = 0;
  #resets = 0;

  /** Conditions with the given settings (every one optional). gdnet addition. */
  constructor(init: NetworkConditionsInit = {}) {
    this.latency = init.latency ?? 0;
    this.jitter = init.jitter ?? 0;
    this.seed = init.seed ?? 0;
    this.bandwidth = init.bandwidth ?? Number.POSITIVE_INFINITY;
    this.blackhole = init.blackhole ?? false;
  }

  /**
   * Freezes every connection for `ms` milliseconds from each owner's next poll: nothing
   * moves either way, then what was held goes on in order. gdnet addition.
   */
  stall(ms: number): void {
    this.#stallMs = Math.max(0, ms);
    this.#stalls++;
  }

  /**
   * Resets every connection under these conditions at its owner's next poll: the owner
   * sees a reset (as from an RST), the remote gets one. Node only (browsers cannot reset
   * a WebSocket). gdnet addition.
   */
  reset(): void {
    this.#resets++;
  }

  /** @internal Whether messages pass untouched now (no delay, no limit, no silence). */
  get transparent(): boolean {
    return this.latency <= 0 && this.bandwidth === Number.POSITIVE_INFINITY && !this.blackhole;
  }

  /** @internal How many stalls were asked for, and the last one's length. */
  get stalls(): number {
    return this.#stalls;
  }

  /** @internal */
  get stallMs(): number {
    return this.#stallMs;
  }

  /** @internal How many resets were asked for. */
  get resets(): number {
    return this.#resets;
  }
}

/** The conditions an option names: the instance itself, or one made from plain settings. */
export function toNetworkConditions(option: NetworkConditions | NetworkConditionsInit): NetworkConditions {
  return option instanceof NetworkConditions ? option : new NetworkConditions(option);
}
