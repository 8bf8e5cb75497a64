/*
 * The cluster bus: everything a clustered WebSocketServer needs from the shared store
 * (Redis in production, MemoryClusterStore in tests), in gdnet's own terms. Exactly two
 * implementations sit behind it: `redis-bus.ts` (the one file that speaks to Redis) and
 * `memory-bus.ts` (in-process and deterministic, on a MemoryNetwork's clock).
 *
 * Every operation is asynchronous and reports through a callback, from the event loop
 * (or, in memory, from the network's deliveries). The bus never touches gdnet state: its
 * owner (ClusterMembership) stages each callback into the server's StagingQueue and
 * applies it in poll(), like socket traffic (SPEC §1.2).
 *
 * The store holds, per cluster name:
 * - one inbox per process (a Redis Stream), which only that process reads, one batch at
 *   a time, the next read issued from poll() so nothing piles up in memory (SPEC §1.3a);
 * - a heartbeat stamp and a presence revision per process;
 * - each process's peers (id → "address port protocol");
 * - one key per peer id in use or leased ahead, so ids stay unique cluster-wide.
 */

/** One change to this process's presence, written atomically with a message. */
export interface PresenceChange {
  /** The peer id. */
  readonly id: number;
  /** The peer's entry (see `encodePeerEntry`), or `null` when the peer left. */
  readonly entry: string | null;
  /** This process's presence revision after the change. */
  readonly rev: number;
}

/** What the store knows about one process, as seen by a heartbeat. */
export interface ProcessStamp {
  /** A counter the process bumps at every heartbeat; survivors watch it change. */
  readonly stamp: number;
  /** The revision of the process's presence (bumped at every join and leave). */
  readonly rev: number;
}

/** One process in a snapshot: its stamp, revision and peers. */
export interface ProcessSnapshot extends ProcessStamp {
  /** Peer id → entry. */
  readonly peers: ReadonlyMap<number, string>;
}

/** The answer to a heartbeat or a registration. */
export interface HeartbeatReply {
  /** Every registered process (this one included), by process id. */
  readonly processes: ReadonlyMap<string, ProcessStamp>;
  /** Leased ids this process has lost (taken by another process after the store restarted). */
  readonly lostIds: readonly number[];
}

/** The answer to a registration: the heartbeat reply plus the presence of every other process. */
export interface RegisterReply extends HeartbeatReply {
  /** Every other registered process, with its peers. */
  readonly snapshot: ReadonlyMap<string, ProcessSnapshot>;
}

/** Connection news from a bus. */
export interface ClusterBusEvents {
  /**
   * The bus reached the store (for the first time, or again). `fresh` when the store is
   * not the one seen before (first contact, or it restarted and lost its data): then the
   * owner rewrites its presence whole.
   */
  busUp(fresh: boolean): void;
  /** The bus lost the store; operations wait (writes) or fail (reads) until `busUp`. */
  busDown(): void;
}

/**
 * The store, in gdnet's terms. Every callback runs later, never inside the call.
 * A callback's `null` means the operation failed (the store went away); writes are not
 * failed for an outage: they wait in order and go out when the store is back.
 */
export interface ClusterBus {
  /** This process's id in the cluster (unique per `listen`). */
  readonly processId: string;
  /** Starts connecting; never throws. */
  open(events: ClusterBusEvents): void;
  /**
   * One atomic write: appends `message` to the inboxes of `targets` and, with `toAll`,
   * of every registered process (never this one's), and applies `presence`. `done` gets
   * the length of each inbox written to, or `null` if the store refused the write.
   */
  write(
    targets: readonly string[],
    toAll: boolean,
    message: Uint8Array,
    presence: PresenceChange | null,
    done: (lengths: ReadonlyMap<string, number> | null) => void,
  ): void;
  /**
   * Reads the next messages of this process's inbox (at most `count`), each once: waits
   * until there is at least one, or answers `[]` after `blockMs` (the owner's heartbeat
   * cadence: an idle owner is woken by this answer, and reads no clock in between). Only
   * one read is in flight at a time.
   */
  readInbox(count: number, blockMs: number, done: (messages: Uint8Array[] | null) => void): void;
  /** Bumps this process's stamp, renews the leases of `leasedIds` for `leaseMs`, and reads every stamp. */
  heartbeat(
    leasedIds: readonly number[],
    leaseMs: number,
    done: (reply: HeartbeatReply | null) => void,
  ): void;
  /**
   * Writes this process's presence whole (after first contact or a store restart): its
   * stamp, `rev`, `peers`, and the leases of `leasedIds`; answers with everyone else's.
   */
  register(
    peers: ReadonlyMap<number, string>,
    rev: number,
    leasedIds: readonly number[],
    leaseMs: number,
    done: (reply: RegisterReply | null) => void,
  ): void;
  /** Leases those of `candidates` that no process holds, for `leaseMs`; answers with the ones granted. */
  lease(candidates: readonly number[], leaseMs: number, done: (granted: number[] | null) => void): void;
  /** Reads one process's presence (revision and peers); `null` peers when it is not registered. */
  fetch(process: string, done: (snapshot: ProcessSnapshot | null) => void): void;
  /** Removes a dead process's presence, ids and inbox, if its stamp is still `stamp`. */
  reap(process: string, stamp: number): void;
  /** The current length of a process's inbox. */
  inboxLength(process: string, done: (length: number | null) => void): void;
  /**
   * Leaves: appends `farewell` to every other inbox, removes this process's presence,
   * ids and inbox, then disconnects. Nothing is reported after this call.
   */
  close(farewell: Uint8Array): void;
}
