import type { Clock } from "../core/Clock.js";
import type { RandomSource } from "../core/Random.js";
import type { StagedEventTarget, StagingQueue } from "../core/StagingQueue.js";
import { ErrorCode } from "../ErrorCode.js";
import { type PreparedFrame, WS_CLOSED } from "../transport/websocket.js";
import { WebSocketPeer } from "../WebSocketPeer.js";
import type { WebSocketPeerObserver, WebSocketPeerOwner } from "../websocket/owner.js";
import type { ClusterBus, HeartbeatReply, PresenceChange, ProcessSnapshot, RegisterReply } from "./bus.js";
import {
  type ClusterMessage,
  decodeMessage,
  decodePeerEntry,
  encodeBye,
  encodeClose,
  encodeData,
  encodePeerEntry,
  encodePresence,
  MESSAGE_BROADCAST,
  MESSAGE_BYE,
  MESSAGE_CLOSE,
  MESSAGE_JOIN,
  MESSAGE_LEAVE,
  MESSAGE_SEND,
} from "./messages.js";
import type { ClusterSettings } from "./options.js";
import { ProcessState, type RemotePeer } from "./processes.js";
import { RemoteConnection, type RemoteForwarder } from "./remote-connection.js";

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
const BUS_WRITTEN = 8;
const BUS_LENGTH = 9;

/** Messages read from the inbox per poll at most (the bound of SPEC §1.3a for the bus). */
const READ_BATCH = 256;
/** Ids leased ahead, so a handshake takes one without waiting for the store. */
const POOL_SIZE = 32;
const POOL_LOW = 16;

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
  #leasing = false;
  #pool: number[] = [];
  #seq = 0;
  #rev = 0;
  /** Local peers as registered: id → entry. */
  readonly #local = new Map<number, string>();
  readonly #processes = new Map<string, ProcessState>();
  /** Processes that said goodbye or were found dead: their late messages are ignored. */
  readonly #gone = new Set<string>();
  readonly #remote = new Map<number, RemotePeer>();
  readonly #proxies = new Map<number, WebSocketPeer>();

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
    for (const id of this.#remote.keys()) out.push(id);
    return out;
  }

  /** The WebSocketPeer standing for remote peer `id` (made on first use), or `null`. */
  peer(id: number): WebSocketPeer | null {
    const known = this.#proxies.get(id);
    if (known !== undefined) return known;
    const remote = this.#remote.get(id);
    if (remote === undefined) return null;
    const proxy = this.#host.createPeer();
    // Pings cannot cross the bus; the holder runs the real peer's heartbeat.
    proxy.heartbeatInterval = 0;
    const { address, port, protocol } = remote.entry;
    proxy.adoptServerConnection(
      this,
      id,
      new RemoteConnection(this, id),
      protocol,
      { remoteAddress: address, remotePort: port },
      "",
    );
    this.#proxies.set(id, proxy);
    return proxy;
  }

  /** Whether an id is leased for the next local peer (without one, handshakes are refused with 503). */
  get hasLeasedId(): boolean {
    return this.#pool.length > 0;
  }

  /** A leased id for a new local peer, or 0 when none is left (the handshake is refused). */
  takeId(): number {
    // The pool may need a refill: the next poll looks.
    this.#changed = true;
    return this.#pool.pop() ?? 0;
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
    const targets = [...this.#processes.values()];
    for (const process of targets) {
      if (process.inboxFull(this.#settings.inboxLimit)) {
        this.#measure(process);
        return ErrorCode.ERR_OUT_OF_MEMORY;
      }
    }
    this.#write(
      targets,
      true,
      encodeData(MESSAGE_BROADCAST, this.#me, ++this.#seq, exceptId, text, data),
      null,
    );
    return ErrorCode.OK;
  }

  /** @internal */
  forwardSend(id: number, data: Uint8Array, text: boolean): void {
    const remote = this.#remote.get(id);
    if (remote === undefined) return;
    this.#write(
      [remote.process],
      false,
      encodeData(MESSAGE_SEND, this.#me, ++this.#seq, id, text, data),
      null,
    );
  }

  /** @internal */
  forwardClose(id: number, code: number, reason: string): void {
    const remote = this.#remote.get(id);
    if (remote === undefined) return;
    this.#write([remote.process], false, encodeClose(this.#me, ++this.#seq, id, code, reason), null);
  }

  /** @internal */
  inboxFull(id: number): boolean {
    const remote = this.#remote.get(id);
    if (remote === undefined) return true;
    if (!remote.process.inboxFull(this.#settings.inboxLimit)) return false;
    this.#measure(remote.process);
    return true;
  }

  /**
   * Issues what is due, inside the server's poll: the next inbox read (one at a time,
   * so what is staged stays bounded), the registration, the heartbeat, id leases. The
   * clock is read only after bus events were applied: an inbox read answers at least
   * once per heartbeat interval, so a poll with nothing new costs no clock read.
   */
  poll(): void {
    if (!this.#changed || !this.#up) return;
    this.#changed = false;
    if (!this.#reading) this.#read();
    if (this.#pool.length < POOL_LOW && !this.#leasing) this.#lease();
    if (this.#needsRegister) {
      if (!this.#registering) this.#register();
      return;
    }
    const now = this.#now();
    if (now >= this.#nextHeartbeat && !this.#heartbeating) {
      this.#heartbeating = true;
      this.#nextHeartbeat = now + this.#settings.heartbeatMs;
      this.#bus.heartbeat(this.#pool, this.#settings.leaseMs, (reply) => this.#stage(BUS_HEARTBEAT, reply));
    }
  }

  /** Leaves the cluster at once: the others drop this process's peers at their next poll. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#up = false;
    this.#bus.close(encodeBye(this.#me, ++this.#seq));
    this.#host.queue.discard(this);
    for (const proxy of this.#proxies.values()) proxy.shutdown(1001, "");
    this.#proxies.clear();
    this.#remote.clear();
    this.#processes.clear();
    this.#local.clear();
    this.#pool.length = 0;
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
        if (a !== null) for (const bytes of a as Uint8Array[]) this.#apply(bytes);
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
        this.#leasing = false;
        if (a !== null) for (const id of a as number[]) if (!this.#isTaken(id)) this.#pool.push(id);
        return;
      case BUS_FETCHED: {
        const process = this.#processes.get(b as string);
        if (process === undefined) return;
        process.fetching = false;
        if (a !== null) this.#adopt(process, a as ProcessSnapshot);
        return;
      }
      case BUS_WRITTEN:
        this.#written(a as ReadonlyMap<string, number> | null, b as ProcessState[]);
        return;
      case BUS_LENGTH: {
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
    this.#leasing = false;
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
    this.#bus.register(this.#local, this.#rev, this.#pool, this.#settings.leaseMs, (reply) =>
      this.#stage(BUS_REGISTERED, reply),
    );
  }

  #lease(): void {
    this.#leasing = true;
    const candidates: number[] = [];
    const isTaken = (id: number) => this.#isTaken(id) || candidates.includes(id);
    while (candidates.length < POOL_SIZE - this.#pool.length)
      candidates.push(this.#random.nextPeerId(isTaken));
    this.#bus.lease(candidates, this.#settings.leaseMs, (granted) => this.#stage(BUS_LEASED, granted));
  }

  #isTaken(id: number): boolean {
    return (
      this.#local.has(id) ||
      this.#remote.has(id) ||
      this.#host.localPeer(id) !== undefined ||
      this.#pool.includes(id)
    );
  }

  #measure(process: ProcessState): void {
    if (process.measuring) return;
    process.measuring = true;
    this.#bus.inboxLength(process.id, (length) => this.#stage(BUS_LENGTH, length, process));
  }

  #announce(id: number, entry: string | null): void {
    const rev = ++this.#rev;
    const presence: PresenceChange = { id, entry, rev };
    this.#write(
      [...this.#processes.values()],
      true,
      encodePresence(this.#me, ++this.#seq, rev, id, entry),
      presence,
    );
  }

  #write(
    targets: ProcessState[],
    toAll: boolean,
    message: Uint8Array,
    presence: PresenceChange | null,
  ): void {
    // With toAll the store writes to every registered process; the known ones are named
    // too, so one that has not re-registered after a store restart still gets it.
    const ids: string[] = [];
    for (const process of targets) {
      process.pendingWrites++;
      ids.push(process.id);
    }
    this.#bus.write(ids, toAll, message, presence, (lengths) => this.#stage(BUS_WRITTEN, lengths, targets));
  }

  #written(lengths: ReadonlyMap<string, number> | null, targets: ProcessState[]): void {
    for (const process of targets) process.pendingWrites = Math.max(0, process.pendingWrites - 1);
    if (lengths === null) return;
    for (const [id, length] of lengths) {
      const process = this.#processes.get(id);
      if (process !== undefined) process.inboxLength = length;
    }
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
      if (process !== undefined) this.#adopt(process, snapshot);
    }
  }

  #heartbeat(reply: HeartbeatReply): void {
    const now = this.#now();
    const lag = this.#settings.heartbeatMs * 2;
    for (const [id, stamp] of reply.processes) {
      const process = this.#process(id);
      if (process !== undefined && process.observe(stamp.stamp, stamp.rev, now, lag)) this.#fetch(process);
    }
    // The store lost this process (it restarted, or this process was taken for dead).
    if (!reply.processes.has(this.#me)) this.#needsRegister = true;
    for (const id of reply.lostIds) {
      const at = this.#pool.indexOf(id);
      if (at >= 0) this.#pool.splice(at, 1);
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

  /** Takes a process's presence from a snapshot at least as recent as what was applied. */
  #adopt(process: ProcessState, snapshot: ProcessSnapshot): void {
    if (snapshot.rev < process.appliedRev) return;
    process.appliedRev = snapshot.rev;
    for (const id of [...process.peers]) if (!snapshot.peers.has(id)) this.#removeRemote(id);
    for (const [id, entry] of snapshot.peers) this.#addRemote(process, id, entry);
  }

  #apply(bytes: Uint8Array): void {
    const message = decodeMessage(bytes);
    if (message === null) return;
    const process = this.#process(message.sender);
    if (process === undefined || message.seq <= process.lastSeq) return;
    process.lastSeq = message.seq;
    switch (message.kind) {
      case MESSAGE_SEND:
        this.#host
          .localPeer(message.id)
          ?.send(
            message.payload,
            message.text ? WebSocketPeer.WRITE_MODE_TEXT : WebSocketPeer.WRITE_MODE_BINARY,
          );
        return;
      case MESSAGE_BROADCAST:
        this.#deliverBroadcast(message);
        return;
      case MESSAGE_CLOSE:
        this.#host.localPeer(message.id)?.close(message.code, message.detail);
        return;
      case MESSAGE_JOIN:
      case MESSAGE_LEAVE:
        if (message.rev <= process.appliedRev) return;
        // A gap in the revisions: announcements were lost (the store restarted unread).
        if (message.rev > process.appliedRev + 1) this.#fetch(process);
        process.appliedRev = message.rev;
        if (message.kind === MESSAGE_JOIN) this.#addRemote(process, message.id, message.detail);
        else this.#removeRemote(message.id);
        return;
      case MESSAGE_BYE:
        this.#drop(process);
        return;
    }
  }

  #deliverBroadcast(message: ClusterMessage): void {
    let frame: PreparedFrame | null = null;
    for (const peer of this.#host.localPeers()) {
      if (peer.serverId === message.id) continue;
      frame ??= this.#host.prepareFrame(message.payload, message.text);
      peer.sendPrepared(frame);
    }
  }

  #addRemote(process: ProcessState, id: number, entry: string): void {
    if (this.#host.localPeer(id) !== undefined) return;
    const known = this.#remote.get(id);
    if (known !== undefined) {
      if (known.process === process) return;
      this.#removeRemote(id);
    }
    this.#remote.set(id, { id, process, entry: decodePeerEntry(entry) });
    process.peers.add(id);
    this.#host.recordRemotePeer(id, true);
  }

  #removeRemote(id: number): void {
    const remote = this.#remote.get(id);
    if (remote === undefined) return;
    this.#remote.delete(id);
    remote.process.peers.delete(id);
    const proxy = this.#proxies.get(id);
    if (proxy !== undefined) {
      this.#proxies.delete(id);
      proxy.applyStagedEvent(WS_CLOSED, -1, "");
    }
    this.#host.recordRemotePeer(id, false);
  }

  /** A process left (goodbye) or died: its peers leave, and it is forgotten. */
  #drop(process: ProcessState): void {
    for (const id of [...process.peers]) this.#removeRemote(id);
    this.#processes.delete(process.id);
    this.#gone.add(process.id);
  }
}
