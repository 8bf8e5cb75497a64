import type { MemoryHost } from "../transport/memory/network.js";
import type {
  ClusterBus,
  ClusterBusEvents,
  HeartbeatReply,
  PresenceChange,
  ProcessSnapshot,
  RegisterReply,
} from "./bus.js";
import type { MemoryClusterStore } from "./memory-store.js";

/*
 * A server's connection to a MemoryClusterStore: requests reach the store and answers
 * come back through the MemoryNetwork's deliveries, after the link's latency.
 */

/** What a request returns when its answer comes later, by other means (a parked read). */
const ANSWERS_ITSELF: unique symbol = Symbol("answers itself");

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
