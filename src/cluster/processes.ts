import type { PeerEntry } from "./messages.js";

/** A peer held by another process of the cluster. @internal */
export interface RemotePeer {
  readonly id: number;
  readonly process: ProcessState;
  readonly entry: PeerEntry;
}

/**
 * What this server knows about another process of the cluster: its peers, its
 * heartbeat, how far its presence and its messages have been applied here, and how full
 * its inbox is.
 * @internal
 */
export class ProcessState {
  readonly id: string;
  /** Ids of its peers, in join order. */
  readonly peers = new Set<number>();
  /** Its last heartbeat stamp seen. */
  stamp = -1;
  /** When (poll clock) the stamp last changed, or this server last regained the store. */
  lastChange: number;
  /** The revision of its presence applied here. */
  appliedRev = 0;
  /** Its last message sequence number applied here (replays are dropped). */
  lastSeq = 0;
  /** A revision seen in a heartbeat and not yet applied, and since when (0: none). */
  behindRev = 0;
  behindSince = 0;
  /** Whether its presence is being fetched. */
  fetching = false;
  /** Its inbox length at the last write's answer, and writes to it not yet answered. */
  inboxLength = 0;
  pendingWrites = 0;
  /** Whether an inbox length query is in flight. */
  measuring = false;

  constructor(id: string, now: number) {
    this.id = id;
    this.lastChange = now;
  }

  /** Whether a write to its inbox would pass `limit` (counting writes still in flight). */
  inboxFull(limit: number): boolean {
    return this.inboxLength + this.pendingWrites >= limit;
  }

  /**
   * Notes a heartbeat's stamp and revision at `now`. Returns true when its presence
   * should be fetched: a revision has stayed unapplied for `lagMs` (its announcements
   * were lost, as when the store restarted before this server read them).
   */
  observe(stamp: number, rev: number, now: number, lagMs: number): boolean {
    if (stamp !== this.stamp) {
      this.stamp = stamp;
      this.lastChange = now;
    }
    if (rev <= this.appliedRev) {
      this.behindRev = 0;
      return false;
    }
    if (this.behindRev === 0 || this.appliedRev >= this.behindRev) {
      this.behindRev = rev;
      this.behindSince = now;
      return false;
    }
    return !this.fetching && now - this.behindSince >= lagMs;
  }
}
