import type { MemoryHost, MemoryNetwork } from "../transport/memory/network.js";
import type {
  ClusterBus,
  ClusterBusEvents,
  HeartbeatReply,
  PresenceChange,
  ProcessSnapshot,
  ProcessStamp,
  RegisterReply,
} from "./bus.js";

/*
 * The cluster store and bus inside one process, on a MemoryNetwork: what Redis does for
 * a cluster (inboxes, stamps, presence, id leases), with requests and answers carried by
 * the network's deliveries, so they take the link's latency, stall under a partition and
 * happen at the same virtual instants on every run. `stop()` and `start()` play a Redis
 * restart without persistence: everything stored is lost, reads in flight fail, writes
 * wait and go out to the new, empty store.
 */

const NEVER = Number.POSITIVE_INFINITY;
/** What a request returns when its answer comes later, by other means (a parked read). */
const ANSWERS_ITSELF: unique symbol = Symbol("answers itself");

interface Lease {
  owner: string;
  expires: number;
}

interface ParkedRead {
  count: number;
  done: (messages: Uint8Array[] | null) => void;
  bus: MemoryClusterBus;
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
  #buses = new Set<MemoryClusterBus>();

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
  attach(bus: MemoryClusterBus): number {
    this.#buses.add(bus);
    return this.#runId;
  }

  /** @internal */
  detach(bus: MemoryClusterBus): void {
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

/**
 * One server's connection to a {@link MemoryClusterStore}: the in-memory
 * {@link ClusterBus}. Requests reach the store and answers come back after the link's
 * latency; while the store is stopped, writes wait in order and every other request
 * fails, as with the Redis bus.
 * @internal
 */
export class MemoryClusterBus implements ClusterBus {
  readonly processId: string;
  readonly #store: MemoryClusterStore;
  readonly #host: MemoryHost;
  #events: ClusterBusEvents | null = null;
  #runId = 0;
  #seenRunId = 0;
  #closed = false;
  /** Writes made while the store was down, sent in order when it is back. */
  #waiting: (() => void)[] = [];

  constructor(store: MemoryClusterStore, host: MemoryHost, processId: string) {
    this.#store = store;
    this.#host = host;
    this.processId = processId;
  }

  open(events: ClusterBusEvents): void {
    this.#events = events;
    this.#runId = this.#store.attach(this);
    if (this.#store.running) this.#toStore(() => this.#up());
  }

  write(
    targets: readonly string[],
    toAll: boolean,
    message: Uint8Array,
    presence: PresenceChange | null,
    done: (lengths: ReadonlyMap<string, number> | null) => void,
  ): void {
    const copy = message.slice();
    const send = () =>
      this.#toStore(() => {
        if (!this.#store.running) {
          this.#waiting.push(send);
          return;
        }
        const lengths = this.#store.write(this.processId, targets, toAll, copy, presence);
        this.answer(() => done(lengths));
      });
    if (this.#store.running && this.#waiting.length === 0) send();
    else this.#waiting.push(send);
  }

  readInbox(count: number, blockMs: number, done: (messages: Uint8Array[] | null) => void): void {
    this.#request(done, () => {
      const read = { count, done, bus: this };
      this.#store.read(this.processId, read);
      const network = this.#host.network;
      network.deliver(this.#store.host, this.#store.host, network.now() + blockMs, () =>
        this.#store.unpark(this.processId, read),
      );
      return ANSWERS_ITSELF;
    });
  }

  heartbeat(
    leasedIds: readonly number[],
    leaseMs: number,
    done: (reply: HeartbeatReply | null) => void,
  ): void {
    const ids = leasedIds.slice();
    this.#request(done, () => this.#store.heartbeat(this.processId, ids, leaseMs, this.#host.now()));
  }

  register(
    peers: ReadonlyMap<number, string>,
    rev: number,
    leasedIds: readonly number[],
    leaseMs: number,
    done: (reply: RegisterReply | null) => void,
  ): void {
    const copy = new Map(peers);
    const ids = leasedIds.slice();
    this.#request(done, () =>
      this.#store.register(this.processId, copy, rev, ids, leaseMs, this.#host.now()),
    );
  }

  lease(candidates: readonly number[], leaseMs: number, done: (granted: number[] | null) => void): void {
    const ids = candidates.slice();
    this.#request(done, () => this.#store.lease(this.processId, ids, leaseMs, this.#host.now()));
  }

  fetch(process: string, done: (snapshot: ProcessSnapshot | null) => void): void {
    this.#request(done, () => this.#store.fetch(process));
  }

  reap(process: string, stamp: number): void {
    this.#request(
      () => {},
      () => {
        this.#store.reap(process, stamp);
        return ANSWERS_ITSELF;
      },
    );
  }

  inboxLength(process: string, done: (length: number | null) => void): void {
    this.#request(done, () => this.#store.length(process));
  }

  close(farewell: Uint8Array): void {
    if (this.#closed) return;
    this.#closed = true;
    const copy = farewell.slice();
    this.#toStore(() => {
      if (!this.#store.running) return;
      this.#store.write(this.processId, [], true, copy, null);
      this.#store.reap(this.processId, null);
    });
    this.#store.detach(this);
    this.#events = null;
    this.#waiting.length = 0;
  }

  /** @internal The store stopped. */
  storeDown(): void {
    this.answer(() => this.#events?.busDown());
  }

  /** @internal The store is back (empty). */
  storeUp(runId: number): void {
    this.#runId = runId;
    this.#toStore(() => {
      const waiting = this.#waiting;
      this.#waiting = [];
      for (const send of waiting) send();
      this.#up();
    });
  }

  /** @internal Carries an answer from the store back to this bus's host. */
  answer(task: () => void): void {
    const network = this.#host.network;
    const latency = network.linkConditions(this.#store.host, this.#host).latency;
    network.deliver(this.#store.host, this.#host, network.now() + latency, () => {
      if (!this.#closed) task();
    });
  }

  #up(): void {
    const fresh = this.#runId !== this.#seenRunId;
    this.#seenRunId = this.#runId;
    this.answer(() => this.#events?.busUp(fresh));
  }

  /** Sends a request to the store; a stopped store fails it. */
  #request<T>(done: (result: T | null) => void, run: () => T | null | typeof ANSWERS_ITSELF): void {
    if (this.#closed) return;
    this.#toStore(() => {
      if (!this.#store.running) {
        this.answer(() => done(null));
        return;
      }
      const result = run();
      if (result !== ANSWERS_ITSELF) this.answer(() => done(result));
    });
  }

  #toStore(task: () => void): void {
    const network = this.#host.network;
    const latency = network.linkConditions(this.#host, this.#store.host).latency;
    network.deliver(this.#host, this.#store.host, network.now() + latency, task);
  }
}
