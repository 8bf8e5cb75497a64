// Why this file is long: it is the one place that sequences a process's life in the
// cluster (register, lease, heartbeat, stage the bus, apply it in poll, repair after a
// store restart); the tables, the outbox, the ids and the deliveries are files of their own.
import type { Clock } from "../core/Clock.js";
import type { RandomSource } from "../core/Random.js";
import type { StagedEventTarget, StagingQueue } from "../core/StagingQueue.js";
import type { ErrorCode } from "../ErrorCode.js";
import type { PreparedFrame } from "../transport/websocket.js";
import type { WebSocketPeer } from "../WebSocketPeer.js";
import type { WebSocketPeerObserver, WebSocketPeerOwner } from "../websocket/owner.js";
import type { ClusterBus, HeartbeatReply, ProcessSnapshot, RegisterReply } from "./bus.js";
import { deliverToLocalPeers } from "./holder.js";
import { IdPool } from "./id-pool.js";
import { decodeMessage, encodePeerEntry, MESSAGE_BYE, MESSAGE_JOIN, MESSAGE_LEAVE } from "./messages.js";
import type { ClusterSettings } from "./options.js";
import { OUTBOX_LENGTH, OUTBOX_WRITTEN, Outbox } from "./outbox.js";
import { ProcessState } from "./processes.js";
import type { RemoteForwarder } from "./remote-connection.js";
import { RemotePeerTable } from "./remote-peers.js";

/** What a clustered WebSocketServer gives the membership it has. @internal */
export interface ClusterHost {
  /** The server's staging queue: bus traffic is staged there, with socket traffic. */
  readonly queue: StagingQueue;
  /** Runs a peer's timers (a remote peer's closing timeout) at the server's polls. */
  wakeAt(peer: WebSocketPeer, at: number): void;
  /** The local peer with `id`. */
  localPeer(id: number): WebSocketPeer | undefined;
  /** Every local peer. */
  localPeers(): Iterable<WebSocketPeer>;
  /** Frames a broadcast once for every local peer. */
  prepareFrame(data: Uint8Array, text: boolean): PreparedFrame;
  /** A peer with the server's settings, to stand for a remote peer. */
  createPeer(): WebSocketPeer;
  /** A remote peer joined or left; the server emits `peerConnected`/`peerDisconnected` in event order. */
  recordRemotePeer(id: number, joined: boolean): void;
}

const BUS_UP = 1;
const BUS_DOWN = 2;
const BUS_BATCH = 3;
const BUS_HEARTBEAT = 4;
const BUS_REGISTERED = 5;
const BUS_LEASED = 6;
const BUS_FETCHED = 7;

/** Messages read from the inbox per poll at most (the bound of SPEC §1.3a for the bus). */
const READ_BATCH = 256;

/**
 * The cluster part of a WebSocketServer: keeps this process in the cluster and the
 * cluster in this server. It leases peer ids ahead, announces local joins and leaves,
 * keeps the table of remote peers (from announcements, snapshots and heartbeat stamps
 * compared on the server's clock), forwards sends and closes to remote holders, delivers
 * what other processes send to local peers, and detects dead processes. Everything the
 * bus reports is staged in the server's queue and applied in the server's `poll()`, in
 * order. See docs/cluster.md.
 * @internal
 */
export class ClusterMembership
  implements StagedEventTarget, WebSocketPeerOwner, WebSocketPeerObserver, RemoteForwarder
{
  readonly #bus: ClusterBus;
  readonly #host: ClusterHost;
  readonly #settings: ClusterSettings;
  readonly #now: Clock;
  readonly #random: RandomSource;
  readonly #me: string;
  #up = false;
  #stopped = false;
  #needsRegister = false;
  #registering = false;
  #reading = false;
  #readGeneration = 0;
  /** Whether a bus event was applied (or an id taken) since the last poll: an idle poll reads no clock. */
  #changed = false;
  #heartbeating = false;
  #nextHeartbeat = Number.NEGATIVE_INFINITY;
  readonly #pool = new IdPool();
  #rev = 0;
  /** Local peers as registered: id → entry. */
  readonly #local = new Map<number, string>();
  readonly #processes = new Map<string, ProcessState>();
  /** Processes that said goodbye or were found dead: their late messages are ignored. */
  readonly #gone = new Set<string>();
  readonly #remote: RemotePeerTable;
  readonly #outbox: Outbox;

  constructor(
    bus: ClusterBus,
    host: ClusterHost,
    settings: ClusterSettings,
    now: Clock,
    random: RandomSource,
  ) {
    this.#bus = bus;
    this.#host = host;
    this.#settings = settings;
    this.#now = now;
    this.#random = random;
    this.#me = bus.processId;
    this.#remote = new RemotePeerTable(host, this);
    this.#outbox = new Outbox(bus, settings.inboxLimit, (kind, a, b) => this.#stage(kind, a, b));
    bus.open({
      busUp: (fresh) => this.#stage(BUS_UP, fresh),
      busDown: () => this.#stage(BUS_DOWN),
    });
  }

  /** This process's id in the cluster. */
  get processId(): string {
    return this.#me;
  }

  /** The server's queue (a remote peer's owner queue). */
  get queue(): StagingQueue {
    return this.#host.queue;
  }

  /** Whether `id` is a remote peer. */
  has(id: number): boolean {
    return this.#remote.has(id);
  }

  /** The number of remote peers. */
  get count(): number {
    return this.#remote.size;
  }

  /** Appends the remote peer ids to `out`. */
  appendIds(out: number[]): number[] {
    for (const id of this.#remote.ids()) out.push(id);
    return out;
  }

  /** The WebSocketPeer standing for remote peer `id` (made on first use), or `null`. */
  peer(id: number): WebSocketPeer | null {
    return this.#remote.proxy(id);
  }

  /** Whether an id is leased for the next local peer (without one, handshakes are refused with 503). */
  get hasLeasedId(): boolean {
    return this.#pool.available;
  }

  /** A leased id for a new local peer, or 0 when none is left (the handshake is refused). */
  takeId(): number {
    // The pool may need a refill: the next poll looks.
    this.#changed = true;
    return this.#pool.take();
  }

  /** Announces a local peer that completed its handshake. */
  localJoined(peer: WebSocketPeer): void {
    const id = peer.serverId;
    const entry = encodePeerEntry({
      address: peer.getConnectedHost(),
      port: peer.getConnectedPort(),
      protocol: peer.getSelectedProtocol(),
    });
    this.#local.set(id, entry);
    this.#announce(id, entry);
  }

  /** Announces that a local peer left. */
  localLeft(id: number): void {
    if (this.#local.delete(id)) this.#announce(id, null);
  }

  /**
   * Hands a broadcast to every other process in one atomic write, or refuses it
   * (`ERR_OUT_OF_MEMORY`, nothing written) when an inbox is at its limit.
   */
  broadcast(data: Uint8Array, text: boolean, exceptId: number): ErrorCode {
    return this.#outbox.broadcast([...this.#processes.values()], data, text, exceptId);
  }

  /** @internal */
  forwardSend(id: number, data: Uint8Array, text: boolean): void {
    const remote = this.#remote.get(id);
    if (remote !== undefined) this.#outbox.send(remote.process, id, data, text);
  }

  /** @internal */
  forwardClose(id: number, code: number, reason: string): void {
    const remote = this.#remote.get(id);
    if (remote !== undefined) this.#outbox.close(remote.process, id, code, reason);
  }

  /** @internal */
  inboxFull(id: number): boolean {
    const remote = this.#remote.get(id);
    return remote === undefined || this.#outbox.full(remote.process);
  }

  /**
   * Issues what is due, inside the server's poll: the next inbox read (one at a time,
   * so what is staged stays bounded), the registration, the heartbeat, id leases. The
   * clock is read only after bus events were applied: an inbox read answers at least
   * once per heartbeat interval, so a poll with nothing new costs no clock read.
   */
  poll(): void {
    // Kept this small, so the server's poll inlines it: the idle case is one field test.
    if (this.#changed && this.#up) this.#pollChanged();
  }

  #pollChanged(): void {
    this.#changed = false;
    if (!this.#reading) this.#read();
    if (this.#pool.low) this.#lease();
    if (this.#needsRegister) {
      if (!this.#registering) this.#register();
      return;
    }
    const now = this.#now();
    if (now >= this.#nextHeartbeat && !this.#heartbeating) {
      this.#heartbeating = true;
      this.#nextHeartbeat = now + this.#settings.heartbeatMs;
      this.#bus.heartbeat(this.#pool.ids, this.#settings.leaseMs, (reply) =>
        this.#stage(BUS_HEARTBEAT, reply),
      );
    }
  }

  /** Leaves the cluster at once: the others drop this process's peers at their next poll. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#up = false;
    this.#bus.close(this.#outbox.bye());
    this.#host.queue.discard(this);
    this.#remote.clear();
    this.#processes.clear();
    this.#local.clear();
    this.#pool.clear();
  }

  /** @internal Applies one staged bus event. */
  applyStagedEvent(kind: number, a: unknown, b: unknown): void {
    if (this.#stopped) return;
    this.#changed = true;
    switch (kind) {
      case BUS_UP:
        this.#busUp(a as boolean);
        return;
      case BUS_DOWN:
        this.#up = false;
        return;
      case BUS_BATCH:
        if (b === this.#readGeneration) this.#reading = false;
        if (a !== null) {
          const messages = a as Uint8Array[];
          // A batch is staged as one event; its messages are work of the frame budget.
          if (messages.length > 1) this.#host.queue.spend(messages.length - 1);
          for (const bytes of messages) this.#apply(bytes);
        }
        return;
      case BUS_HEARTBEAT:
        this.#heartbeating = false;
        if (a !== null) this.#heartbeat(a as HeartbeatReply);
        return;
      case BUS_REGISTERED:
        this.#registering = false;
        if (a !== null) this.#registered(a as RegisterReply);
        return;
      case BUS_LEASED:
        this.#pool.leasing = false;
        if (a !== null) for (const id of a as number[]) if (!this.#isTaken(id)) this.#pool.add(id);
        return;
      case BUS_FETCHED: {
        const process = this.#processes.get(b as string);
        if (process === undefined) return;
        process.fetching = false;
        if (a !== null) this.#remote.adopt(process, a as ProcessSnapshot);
        return;
      }
      case OUTBOX_WRITTEN:
        this.#outbox.written(a as ReadonlyMap<string, number> | null, b as ProcessState[]);
        return;
      case OUTBOX_LENGTH: {
        const process = b as ProcessState;
        process.measuring = false;
        if (a !== null) process.inboxLength = a as number;
        return;
      }
    }
  }

  // A remote peer's WebSocketPeer reports to its owner; nothing it says changes the
  // cluster (dropping or timing out a remote peer never kicks the player).
  /** @internal */
  peerOpened(): void {}
  /** @internal */
  peerPacket(): void {}
  /** @internal */
  peerPacketTaken(): void {}
  /** @internal */
  peerCloseRequested(): void {}
  /** @internal */
  peerClosed(): void {}

  /** @internal */
  wakeAt(peer: WebSocketPeer, at: number): void {
    this.#host.wakeAt(peer, at);
  }

  #stage(kind: number, a?: unknown, b?: unknown): void {
    if (!this.#stopped) this.#host.queue.push(this, kind, a, b);
  }

  #busUp(fresh: boolean): void {
    this.#up = true;
    // Whatever was in flight was answered or failed with the connection: start afresh.
    this.#readGeneration++;
    this.#reading = false;
    this.#heartbeating = false;
    this.#pool.leasing = false;
    this.#nextHeartbeat = Number.NEGATIVE_INFINITY;
    if (fresh) this.#needsRegister = true;
    // Stamps could not be read while the store was away: nobody is late because of that.
    const now = this.#now();
    for (const process of this.#processes.values()) {
      process.lastChange = now;
      process.behindRev = 0;
      process.fetching = false;
      process.measuring = false;
    }
  }

  #read(): void {
    this.#reading = true;
    const generation = this.#readGeneration;
    this.#bus.readInbox(READ_BATCH, this.#settings.heartbeatMs, (messages) =>
      this.#stage(BUS_BATCH, messages, generation),
    );
  }

  #register(): void {
    this.#registering = true;
    this.#bus.register(this.#local, this.#rev, this.#pool.ids, this.#settings.leaseMs, (reply) =>
      this.#stage(BUS_REGISTERED, reply),
    );
  }

  #lease(): void {
    this.#pool.leasing = true;
    const candidates = this.#pool.candidates(this.#random, (id) => this.#isTaken(id));
    this.#bus.lease(candidates, this.#settings.leaseMs, (granted) => this.#stage(BUS_LEASED, granted));
  }

  #isTaken(id: number): boolean {
    return (
      this.#local.has(id) ||
      this.#remote.has(id) ||
      this.#host.localPeer(id) !== undefined ||
      this.#pool.has(id)
    );
  }

  #announce(id: number, entry: string | null): void {
    this.#outbox.announce([...this.#processes.values()], id, entry, ++this.#rev);
  }

  #process(id: string): ProcessState | undefined {
    if (id === this.#me || this.#gone.has(id)) return undefined;
    let process = this.#processes.get(id);
    if (process === undefined) {
      process = new ProcessState(id, this.#now());
      this.#processes.set(id, process);
    }
    return process;
  }

  #registered(reply: RegisterReply): void {
    this.#needsRegister = false;
    this.#heartbeat(reply);
    for (const [id, snapshot] of reply.snapshot) {
      const process = this.#process(id);
      if (process !== undefined) this.#remote.adopt(process, snapshot);
    }
  }

  #heartbeat(reply: HeartbeatReply): void {
    const now = this.#now();
    const lag = this.#settings.heartbeatMs * 2;
    for (const [id, stamp] of reply.processes) {
      const process = this.#process(id);
      if (process?.observe(stamp.stamp, stamp.rev, now, lag)) this.#fetch(process);
    }
    // The store lost this process (it restarted, or this process was taken for dead).
    if (!reply.processes.has(this.#me)) this.#needsRegister = true;
    for (const id of reply.lostIds) {
      this.#pool.lose(id);
    }
    // A stamp is seen up to one heartbeat late and checked once per heartbeat: declared
    // stale two heartbeats early, a dead process is gone everywhere within deadTimeout.
    const stale = this.#settings.deadMs - 2 * this.#settings.heartbeatMs;
    for (const process of [...this.#processes.values()]) {
      if (now - process.lastChange >= stale) {
        this.#drop(process);
        this.#bus.reap(process.id, process.stamp);
      }
    }
  }

  #fetch(process: ProcessState): void {
    if (process.fetching) return;
    process.fetching = true;
    this.#bus.fetch(process.id, (snapshot) => this.#stage(BUS_FETCHED, snapshot, process.id));
  }

  #apply(bytes: Uint8Array): void {
    const message = decodeMessage(bytes);
    if (message === null) return;
    const process = this.#process(message.sender);
    if (process === undefined || message.seq <= process.lastSeq) return;
    process.lastSeq = message.seq;
    if (deliverToLocalPeers(this.#host, message)) return;
    switch (message.kind) {
      case MESSAGE_JOIN:
      case MESSAGE_LEAVE:
        if (message.rev <= process.appliedRev) return;
        // A gap in the revisions: announcements were lost (the store restarted unread).
        if (message.rev > process.appliedRev + 1) this.#fetch(process);
        process.appliedRev = message.rev;
        if (message.kind === MESSAGE_JOIN) this.#remote.add(process, message.id, message.detail);
        else this.#remote.remove(message.id);
        return;
      case MESSAGE_BYE:
        this.#drop(process);
        return;
    }
  }

  /** A process left (goodbye) or died: its peers leave, and it is forgotten. */
  #drop(process: ProcessState): void {
    this.#remote.removeAll(process);
    this.#processes.delete(process.id);
    this.#gone.add(process.id);
  }
}
