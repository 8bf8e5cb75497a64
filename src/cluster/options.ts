import type { MemoryClusterStore } from "./memory-store.js";

/**
 * The `cluster` option of `WebSocketServer.listen` (and the fourth argument of
 * `WebSocketMultiplayerPeer.createServer`): servers with the same `name` on the same
 * store form one logical server (see docs/cluster.md). gdnet addition (Godot has no
 * equivalent).
 */
export interface ClusterOptions {
  /** The Redis server, as `redis://host:port` (Node only). Give this or `store`. */
  redis?: string;
  /** An in-memory store, for servers on a `MemoryNetwork` (tests). Give this or `redis`. */
  store?: MemoryClusterStore;
  /** The cluster's name: servers with the same name form one logical server. */
  name: string;
  /**
   * Seconds within which a peer that joined another process is listed here, even when
   * its announcement was lost (then this server fetches the holder's presence). Default 1.
   */
  joinTimeout?: number;
  /** Seconds within which a peer that left another process cleanly is gone here. Default 2. */
  leaveTimeout?: number;
  /**
   * Seconds within which the peers of a process that died (kill -9, power loss) leave
   * this server: its heartbeat stamp is compared on this server's clock, and only while
   * this server reaches the store (an outage counts against nobody). Default 10.
   */
  deadTimeout?: number;
  /**
   * The most messages that may wait in one process's inbox: a send or broadcast that
   * would pass it is refused at the call (`ERR_OUT_OF_MEMORY`), never trimmed away.
   * Default 10000.
   */
  inboxLimit?: number;
}

/** Cluster options with their defaults, in milliseconds. @internal */
export interface ClusterSettings {
  name: string;
  joinMs: number;
  leaveMs: number;
  deadMs: number;
  inboxLimit: number;
  /** How often this process stamps its heartbeat and reads everyone's. */
  heartbeatMs: number;
  /** How long an id stays leased without a heartbeat renewing it. */
  leaseMs: number;
}

function seconds(value: number | undefined, fallback: number): number {
  return typeof value === "number" && value > 0 && Number.isFinite(value) ? value * 1000 : fallback;
}

/** Validates `options`; `null` when they are unusable (no name, or neither `redis` nor `store`). @internal */
export function clusterSettings(options: ClusterOptions): ClusterSettings | null {
  if (typeof options !== "object" || options === null) return null;
  if (typeof options.name !== "string" || options.name.length === 0) return null;
  if ((options.redis === undefined) === (options.store === undefined)) return null;
  if (options.redis !== undefined && typeof options.redis !== "string") return null;
  const joinMs = seconds(options.joinTimeout, 1000);
  const leaveMs = seconds(options.leaveTimeout, 2000);
  const deadMs = seconds(options.deadTimeout, 10000);
  const limit = options.inboxLimit;
  return {
    name: options.name,
    joinMs,
    leaveMs,
    deadMs,
    inboxLimit: typeof limit === "number" && limit >= 1 ? Math.floor(limit) : 10000,
    // Four heartbeats per shortest timeout: a stamp or a revision seen late by one beat
    // still leaves room for the fetch that repairs it.
    heartbeatMs: Math.min(joinMs, leaveMs, deadMs) / 4,
    leaseMs: Math.max(deadMs * 3, 1000),
  };
}
