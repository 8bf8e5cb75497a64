import type { NetworkConditions, NetworkConditionsInit } from "../conditions/NetworkConditions.js";
import type { Clock } from "../core/Clock.js";
import type { RandomSource } from "../core/Random.js";
import type { StagedEventTarget, StagingQueue } from "../core/StagingQueue.js";
import type { Recorder } from "../replay/Recorder.js";
import type { HttpTransport } from "./http.js";
import type { TcpTransport } from "./tcp.js";
import type { WebSocketTransport } from "./websocket.js";

/**
 * The transport interface: everything a public gdnet class needs from a platform.
 *
 * There are three implementations with the same file names in their folders:
 * `src/transport/node/` (node:net, ws, node:http), `src/transport/browser/` (the native
 * WebSocket and fetch) and `src/transport/memory/` ({@link MemoryNetwork}, deterministic,
 * no sockets). Public classes never import a platform module; they are handed a
 * `Transport` (the `network` option) or use the default one of the build they were
 * imported from.
 */
export interface Transport {
  /** Which platform this is. */
  readonly platform: "node" | "browser" | "memory";
  /** Milliseconds on this transport's clock; read only inside `poll()`. */
  now(): number;
  /** The source of peer ids and every other random choice. */
  readonly random: RandomSource;
  /** TCP streams and listeners; `null` where the platform has none (browsers). */
  readonly tcp: TcpTransport | null;
  /** WebSocket clients and servers. */
  readonly webSocket: WebSocketTransport;
  /** HTTP requests. */
  readonly http: HttpTransport;
  /**
   * A connection another object made (a `TCPServer`'s listener) is about to stage into
   * `queue` for `target` (the `StreamPeerTCP` that took it). Recording and replaying
   * transports follow it there; platforms leave it out.
   */
  adopt?(queue: StagingQueue, target: StagedEventTarget): void;
}

/**
 * The options every networking class accepts in its constructor.
 */
export interface NetworkOptions {
  /**
   * The network to use: a {@link MemoryNetwork} (or one of its hosts) for deterministic
   * tests, or omitted for the real network of the current platform.
   */
  network?: Transport;
  /**
   * The clock read inside `poll()` for timeouts, in milliseconds. Defaults to the
   * network's clock (`performance.now()` on real networks, the virtual clock on a
   * `MemoryNetwork`). Inject one to drive timeouts by hand on real sockets.
   */
  clock?: Clock;
  /**
   * A bad network on real sockets (Node and browsers): latency and jitter in ms, added in
   * each direction, a seed, a bandwidth, a blackhole. Pass a {@link NetworkConditions}
   * to change them while the game runs. Ignored on a `MemoryNetwork`, whose link
   * settings have the same model (`setLinkConditions`). See docs/debugging.md.
   */
  conditions?: NetworkConditions | NetworkConditionsInit;
  /**
   * Records this object for exact replay: what reached it from outside, poll by poll (see
   * {@link Recorder} and docs/debugging.md). To replay, pass the `Replay` of the
   * recording as `network`.
   */
  recorder?: Recorder;
}
