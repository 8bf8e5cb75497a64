import type { MemoryHost, MemoryNetwork } from "../transport/memory/network.js";
import type { HeartbeatReply, PresenceChange, ProcessSnapshot, ProcessStamp, RegisterReply } from "./bus.js";

/** What the store needs of a server's connection to it (a StoreClient). */
interface StoreClient {
  readonly processId: string;
  /** Runs `reply` when this connection's owner next takes its answers. */
  answer(reply: () => void): void;
  /** The store went down, or came back with a new run id. */
  storeDown(): void;
  storeUp(runId: number): void;
}

/*
 * The cluster store and bus inside one process, on a MemoryNetwork: what Redis does for
 * a cluster (inboxes, stamps, presence, id leases), with requests and answers carried by
 * the network's deliveries, so they take the link's latency, stall under a partition and
 * happen at the same virtual instants on every run. `stop()` and `start()` play a Redis
 * restart without persistence: everything stored is lost, reads in flight fail, writes
 * wait and go out to the new, empty store.
 */

const NEVER = Number.POSITIVE_INFINITY;

interface Lease {
  owner: string;
  expires: number;
}

/** A read waiting for its process's inbox. @internal */
export interface ParkedRead {
  count: number;
  done: (messages: Uint8Array[] | null) => void;
  bus: StoreClient;
}

/**
 * A cluster store on a MemoryNetwork host (Redis's part, in memory). Servers reach it
 * through an in-memory bus: pass `{ cluster: { store, name } }` to
 * `WebSocketServer.listen` on a MemoryNetwork. gdnet addition (for tests).
 */
export class MemoryClusterStore {
  /** The network host the store lives on (its address is the store's). */
  readonly host: MemoryHost;
  #running = true;
  #runId = 1;
  #procs = new Map<string, number>();
  #revs = new Map<string, number>();
  #peers = new Map<string, Map<number, string>>();
  #ids = new Map<number, Lease>();
  #inboxes = new Map<string, Uint8Array[]>();
  #parked = new Map<string, ParkedRead>();
  #buses = new Set<StoreClient>();

  /** Creates a store on `network`'s host `address` (default `"redis"`). */
  constructor(network: MemoryNetwork, address = "redis") {
    this.host = network.host(address);
  }

  /** Whether the store is running. */
  get running(): boolean {
    return this.#running;
  }

  /** Messages waiting in a process's inbox (for tests). */
  inboxLength(process: string): number {
    return this.#inboxes.get(process)?.length ?? 0;
  }

  /** The registered processes (for tests). */
  processIds(): string[] {
    return [...this.#procs.keys()];
  }

  /** Stops the store, losing everything (Redis restarted without persistence is `stop` then `start`). */
  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    this.#procs.clear();
    this.#revs.clear();
    this.#peers.clear();
    this.#ids.clear();
    this.#inboxes.clear();
    const parked = [...this.#parked.values()];
    this.#parked.clear();
    for (const read of parked) read.bus.answer(() => read.done(null));
    for (const bus of this.#buses) bus.storeDown();
  }

  /** Starts a stopped store, empty. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#runId++;
    for (const bus of this.#buses) bus.storeUp(this.#runId);
  }

  /** @internal */
  attach(bus: StoreClient): number {
    this.#buses.add(bus);
    return this.#runId;
  }

  /** @internal */
  detach(bus: StoreClient): void {
    this.#buses.delete(bus);
    const parked = this.#parked.get(bus.processId);
    if (parked?.bus === bus) this.#parked.delete(bus.processId);
  }

  /** @internal */
  write(
    me: string,
    targets: readonly string[],
    toAll: boolean,
    message: Uint8Array,
    presence: PresenceChange | null,
  ) {
    if (presence !== null) {
      let peers = this.#peers.get(me);
      if (peers === undefined) {
        peers = new Map();
        this.#peers.set(me, peers);
      }
      if (presence.entry === null) {
        peers.delete(presence.id);
        this.#ids.delete(presence.id);
      } else {
        peers.set(presence.id, presence.entry);
        this.#ids.set(presence.id, { owner: me, expires: NEVER });
      }
      this.#revs.set(me, presence.rev);
    }
    const lengths = new Map<string, number>();
    const put = (target: string) => {
      if (target === me || lengths.has(target)) return;
      let inbox = this.#inboxes.get(target);
      if (inbox === undefined) {
        inbox = [];
        this.#inboxes.set(target, inbox);
      }
      inbox.push(message);
      lengths.set(target, inbox.length);
      const parked = this.#parked.get(target);
      if (parked !== undefined) {
        this.#parked.delete(target);
        this.#serveRead(target, parked);
      }
    };
    for (const target of targets) put(target);
    if (toAll) for (const target of this.#procs.keys()) put(target);
    return lengths;
  }

  /** @internal Answers `[]` to a read still parked (its wait is over). */
  unpark(me: string, read: ParkedRead): void {
    if (this.#parked.get(me) !== read) return;
    this.#parked.delete(me);
    read.bus.answer(() => read.done([]));
  }

  /** @internal */
  read(me: string, read: ParkedRead): void {
    const inbox = this.#inboxes.get(me);
    if (inbox === undefined || inbox.length === 0) this.#parked.set(me, read);
    else this.#serveRead(me, read);
  }

  #serveRead(me: string, read: ParkedRead): void {
    const inbox = this.#inboxes.get(me)!;
    const batch = inbox.splice(0, Math.max(1, read.count));
    read.bus.answer(() => read.done(batch));
  }

  /** @internal */
  heartbeat(me: string, leased: readonly number[], leaseMs: number, now: number): HeartbeatReply {
    this.#procs.set(me, (this.#procs.get(me) ?? 0) + 1);
    if (!this.#revs.has(me)) this.#revs.set(me, 0);
    return { processes: this.#stamps(), lostIds: this.#renew(me, leased, leaseMs, now) };
  }

  /** @internal */
  register(
    me: string,
    peers: ReadonlyMap<number, string>,
    rev: number,
    leased: readonly number[],
    leaseMs: number,
    now: number,
  ): RegisterReply {
    this.#procs.set(me, (this.#procs.get(me) ?? 0) + 1);
    this.#revs.set(me, rev);
    this.#peers.set(me, new Map(peers));
    for (const id of peers.keys()) this.#ids.set(id, { owner: me, expires: NEVER });
    const lostIds = this.#renew(me, leased, leaseMs, now);
    const snapshot = new Map<string, ProcessSnapshot>();
    for (const [process, stamp] of this.#procs) {
      if (process === me) continue;
      const rev = this.#revs.get(process) ?? 0;
      snapshot.set(process, { stamp, rev, peers: new Map(this.#peers.get(process) ?? []) });
    }
    return { processes: this.#stamps(), lostIds, snapshot };
  }

  /** @internal */
  lease(me: string, candidates: readonly number[], leaseMs: number, now: number): number[] {
    const granted: number[] = [];
    for (const id of candidates) {
      const lease = this.#ids.get(id);
      if (lease !== undefined && lease.expires > now) continue;
      this.#ids.set(id, { owner: me, expires: now + leaseMs });
      granted.push(id);
    }
    return granted;
  }

  /** @internal */
  fetch(process: string): ProcessSnapshot | null {
    const stamp = this.#procs.get(process);
    if (stamp === undefined) return null;
    return { stamp, rev: this.#revs.get(process) ?? 0, peers: new Map(this.#peers.get(process) ?? []) };
  }

  /** @internal */
  reap(process: string, stamp: number | null): void {
    const current = this.#procs.get(process);
    if (stamp !== null && current !== undefined && current !== stamp) return;
    this.#procs.delete(process);
    this.#revs.delete(process);
    for (const id of this.#peers.get(process)?.keys() ?? []) this.#ids.delete(id);
    for (const [id, lease] of this.#ids) if (lease.owner === process) this.#ids.delete(id);
    this.#peers.delete(process);
    this.#inboxes.delete(process);
  }

  /** @internal */
  length(process: string): number {
    return this.#inboxes.get(process)?.length ?? 0;
  }

  #stamps(): Map<string, ProcessStamp> {
    const stamps = new Map<string, ProcessStamp>();
    for (const [process, stamp] of this.#procs)
      stamps.set(process, { stamp, rev: this.#revs.get(process) ?? 0 });
    return stamps;
  }

  #renew(me: string, leased: readonly number[], leaseMs: number, now: number): number[] {
    const lost: number[] = [];
    for (const id of leased) {
      const lease = this.#ids.get(id);
      if (lease === undefined || lease.expires <= now || lease.owner === me) {
        this.#ids.set(id, { owner: me, expires: lease?.expires === NEVER ? NEVER : now + leaseMs });
      } else {
        lost.push(id);
      }
    }
    return lost;
  }
}
