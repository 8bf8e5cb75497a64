import { detachString } from "../core/bytes.js";
import type { Clock } from "../core/Clock.js";
import { DeadlineList } from "../core/DeadlineList.js";
import { type StagedEventTarget, StagingQueue } from "../core/StagingQueue.js";
import { ErrorCode } from "../ErrorCode.js";
import type { Transport } from "../transport/Transport.js";
import {
  type WebSocketAcceptOptions,
  type WebSocketHandshake,
  type WebSocketHandshakeRequest,
  type WebSocketListener,
  type WebSocketListenRequest,
  WS_SERVER_ERROR,
  WS_SERVER_INCOMING,
  WS_SERVER_LISTENING,
  WS_SERVER_REFUSED,
  WS_SERVER_REQUEST,
} from "../transport/websocket.js";
import type { WebSocketPeer } from "../WebSocketPeer.js";
import type { WebSocketPeerObserver, WebSocketPeerOwner } from "./owner.js";
import { ServerPacketQueue } from "./ServerPacketQueue.js";

/*
 * The machinery of a WebSocketServer: its listener, the handshakes it is deciding, the
 * peers it polls (one staging queue for all of them), their timers, and the record of
 * what happened during a poll, which the server turns into signals at the end of it.
 * The server itself keeps the public API, the settings and the protocols.
 */

const NEVER = Number.POSITIVE_INFINITY;
const RECORD_CONNECTED = 1;
const RECORD_PACKET = 2;
const RECORD_CLOSE_REQUEST = 3;
const RECORD_DISCONNECTED = 4;
const RECORD_REFUSED = 5;
/** A peer of another process of the cluster joined or left (see ClusterMembership). */
const RECORD_REMOTE = 6;

/**
 * Units of frame budget a handshake decision costs (an event or a message costs one):
 * answering an upgrade and setting up a peer is worth about this many messages
 * (measured with `npm run bench -- --only hostile`, 5,000 upgrades at once).
 */
export const HANDSHAKE_WORK = 64;
/** Units a peer's end costs (releasing its socket, reporting it). */
export const CLOSE_WORK = 16;
/** Units a handshake dropped by its timeout costs (releasing its socket, reporting it). */
export const TIMEOUT_WORK = 16;

/** A refusal: the HTTP status to answer with, and why (for `handshakeRefused`). */
export type Refusal = readonly [status: number, reason: string];

/** What the connections ask of and tell their server. */
export interface ServerConnectionsHost {
  /** The policy: the subprotocol to accept `request` with, or why not. */
  admit(request: WebSocketHandshakeRequest): string | Refusal;
  /** A new peer with the server's settings, and how its side of the handshake answers. */
  createPeer(): [WebSocketPeer, WebSocketAcceptOptions];
  /** A fresh peer id, not taken by a live peer. */
  nextPeerId(isTaken: (id: number) => boolean): number;
  /** Milliseconds from TCP accept to a complete upgrade. */
  handshakeTimeoutMs(): number;
  /** Whether `wss://`. */
  readonly secure: boolean;
  /** Emitted at the end of `poll()`, in event order. */
  connected(id: number, protocol: string): void;
  packet(id: number): void;
  closeRequest(id: number, code: number, reason: string): void;
  disconnected(id: number, wasClean: boolean, code: number, reason: string): void;
  refused(address: string, port: number, reason: string): void;
  /** A peer held by another process of the cluster joined (`true`) or left. */
  remotePeer(id: number, joined: boolean): void;
}

/** A server's connections (see the file comment). */
export class ServerConnections implements StagedEventTarget, WebSocketPeerOwner, WebSocketPeerObserver {
  /** The queue every connection of the server stages into. */
  readonly queue = new StagingQueue();
  /** The open peers by id. */
  readonly peers = new Map<number, WebSocketPeer>();
  /** The server-level packet queue over all peers. */
  readonly packets = new ServerPacketQueue();
  readonly #transport: Transport;
  readonly #now: Clock;
  readonly #host: ServerConnectionsHost;
  readonly #handshakes = new DeadlineList<WebSocketHandshake>();
  readonly #timers = new DeadlineList<WebSocketPeer>();
  #records: unknown[] = [];
  #spareRecords: unknown[] = [];
  #listener: WebSocketListener | null = null;
  #localPort = 0;
  #pollError: ErrorCode = ErrorCode.OK;
  #pollNow = Number.NaN;

  constructor(transport: Transport, now: Clock, host: ServerConnectionsHost) {
    this.#transport = transport;
    this.#now = now;
    this.#host = host;
  }

  /** Whether a listener is open (binding may still be in progress). */
  get listening(): boolean {
    return this.#listener !== null;
  }

  /** The bound port, 0 when not known. */
  get localPort(): number {
    return this.#localPort;
  }

  /** Starts listening; the transport's immediate error, or OK. */
  listen(request: WebSocketListenRequest): ErrorCode {
    const result = this.#transport.webSocket.listen(request, this.queue, this);
    if (typeof result === "number") return result;
    this.#listener = result;
    this.#localPort = result.localPort;
    this.#pollError = ErrorCode.OK;
    return ErrorCode.OK;
  }

  /**
   * Applies what was staged, within `budget` units of work; runs the timers that fell
   * due; emits the records. Returns a binding error observed in this poll, or OK.
   */
  poll(budget: number): ErrorCode {
    this.#pollError = ErrorCode.OK;
    this.#pollNow = Number.NaN;
    const drains = this.queue.drains;
    if (!this.queue.isEmpty) this.queue.drain(budget);
    // Everything that arrived before this poll was applied: a handshake still without a
    // request has had none within its timeout. After a partial drain its request may be
    // among what the budget left staged, so its timeout waits for a complete one.
    const complete = this.queue.drains !== drains || this.queue.isEmpty;
    if (this.#handshakes.size > 0 || this.#timers.size > 0) this.#runTimers(this.#clock(), complete, budget);
    if (this.#records.length > 0) this.#emitRecords();
    return this.#pollError;
  }

  /**
   * Stops listening and lets every peer go with a close frame (`code`); pending
   * handshakes are dropped. Nothing is reported for any of them.
   */
  stop(code: number): void {
    this.#listener?.close();
    this.#listener = null;
    this.#localPort = 0;
    // Connections staged since the last poll are dropped by this drain (no listener now).
    this.queue.drain();
    for (const handshake of this.#handshakes.takeAll()) if (!handshake.settled) handshake.destroy();
    for (const peer of this.peers.values()) peer.shutdown(code, "");
    this.peers.clear();
    this.#timers.clear();
    this.#records.length = 0;
    this.packets.clear();
  }

  /** @internal Applies one staged server event. */
  applyStagedEvent(kind: number, a: unknown, b: unknown): void {
    switch (kind) {
      case WS_SERVER_LISTENING:
        if (this.#listener !== null) this.#localPort = a as number;
        return;
      case WS_SERVER_ERROR:
        this.#listener?.close();
        this.#listener = null;
        this.#localPort = 0;
        this.#pollError = a as ErrorCode;
        return;
      case WS_SERVER_INCOMING: {
        const handshake = a as WebSocketHandshake;
        if (this.#listener === null) handshake.destroy();
        else this.#handshakes.add(this.#clock() + this.#host.handshakeTimeoutMs(), handshake);
        return;
      }
      case WS_SERVER_REQUEST:
        this.#decide(a as WebSocketHandshake);
        return;
      case WS_SERVER_REFUSED: {
        const handshake = a as WebSocketHandshake;
        this.#handshakes.remove(handshake);
        this.#records.push(RECORD_REFUSED, handshake, b, undefined);
        return;
      }
    }
  }

  /** @internal */
  wakeAt(peer: WebSocketPeer, at: number): void {
    if (at < peer.wakeTime) {
      peer.wakeTime = at;
      this.#timers.add(at, peer);
    }
  }

  /** Records that a remote peer joined or left, for a signal in event order at the end of the poll. */
  recordRemote(id: number, joined: boolean): void {
    this.#records.push(RECORD_REMOTE, id, joined, undefined);
  }

  /** @internal */
  peerOpened(): void {}

  /** @internal */
  peerPacket(peer: WebSocketPeer): void {
    this.packets.received(peer);
    this.#records.push(RECORD_PACKET, peer, undefined, undefined);
  }

  /** @internal */
  peerPacketTaken(_peer: WebSocketPeer, count: number): void {
    this.packets.taken(count);
  }

  /** @internal */
  peerCloseRequested(peer: WebSocketPeer, code: number, reason: string): void {
    this.#records.push(RECORD_CLOSE_REQUEST, peer, code, reason);
  }

  /** @internal */
  peerClosed(peer: WebSocketPeer, wasClean: boolean): void {
    this.queue.spend(CLOSE_WORK);
    this.#records.push(RECORD_DISCONNECTED, peer, wasClean, undefined);
  }

  #decide(handshake: WebSocketHandshake): void {
    if (handshake.settled) return;
    // Decided now, one way or the other: its timeout no longer applies.
    this.#handshakes.remove(handshake);
    this.queue.spend(HANDSHAKE_WORK);
    if (this.#listener === null) {
      handshake.destroy();
      return;
    }
    const verdict = this.#host.admit(handshake);
    if (typeof verdict !== "string") {
      handshake.refuse(verdict[0]);
      this.#records.push(RECORD_REFUSED, handshake, verdict[1], undefined);
      return;
    }
    const peers = this.peers;
    const id = this.#host.nextPeerId((candidate) => peers.has(candidate));
    const [peer, options] = this.#host.createPeer();
    const connection = handshake.accept(verdict, options, this.queue, peer);
    const hostHeader = handshake.headers.get("host") ?? "";
    // Detached: the Host header is a slice of the request, which the peer must not keep.
    const url = detachString(`${this.#host.secure ? "wss" : "ws"}://${hostHeader}${handshake.path}`);
    peer.adoptServerConnection(
      this,
      id,
      connection,
      verdict,
      { remoteAddress: handshake.remoteAddress, remotePort: handshake.remotePort },
      url,
    );
    peers.set(id, peer);
    this.#records.push(RECORD_CONNECTED, peer, verdict, undefined);
  }

  #runTimers(now: number, handshakesDue: boolean, budget: number): void {
    // Timeouts are work too: past the budget, the rest are dropped at the next poll.
    const handshakeNow = handshakesDue ? now : Number.NEGATIVE_INFINITY;
    while (budget > 0) {
      const handshake = this.#handshakes.takeDue(handshakeNow);
      if (handshake === undefined) break;
      if (handshake.settled) continue;
      budget -= TIMEOUT_WORK;
      handshake.destroy();
      this.#records.push(RECORD_REFUSED, handshake, "handshake timeout", undefined);
    }
    for (let peer = this.#timers.takeDue(now); peer !== undefined; peer = this.#timers.takeDue(now)) {
      if (peer.wakeTime > now) continue;
      peer.wakeTime = NEVER;
      const next = peer.serviceTimers(now);
      if (next < NEVER) this.wakeAt(peer, next);
    }
  }

  #emitRecords(): void {
    const records = this.#records;
    this.#records = this.#spareRecords;
    const host = this.#host;
    for (let i = 0; i < records.length; i += 4) {
      if (records[i] === RECORD_REFUSED) {
        const handshake = records[i + 1] as WebSocketHandshakeRequest;
        host.refused(handshake.remoteAddress, handshake.remotePort, records[i + 2] as string);
        continue;
      }
      if (records[i] === RECORD_REMOTE) {
        host.remotePeer(records[i + 1] as number, records[i + 2] as boolean);
        continue;
      }
      const peer = records[i + 1] as WebSocketPeer;
      const id = peer.serverId;
      switch (records[i]) {
        case RECORD_CONNECTED:
          host.connected(id, records[i + 2] as string);
          break;
        case RECORD_PACKET:
          host.packet(id);
          break;
        case RECORD_CLOSE_REQUEST:
          host.closeRequest(id, records[i + 2] as number, records[i + 3] as string);
          break;
        case RECORD_DISCONNECTED:
          if (this.peers.get(id) === peer) this.peers.delete(id);
          host.disconnected(id, records[i + 2] as boolean, peer.getCloseCode(), peer.getCloseReason());
          break;
      }
    }
    records.length = 0;
    this.#spareRecords = records;
  }

  /** The poll clock, read at most once per poll. */
  #clock(): number {
    if (Number.isNaN(this.#pollNow)) this.#pollNow = this.#now();
    return this.#pollNow;
  }
}
