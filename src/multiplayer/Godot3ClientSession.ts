import { ErrorCode } from "../ErrorCode.js";
import type { Signal } from "../Signal.js";
import { WebSocketPeer } from "../WebSocketPeer.js";
import {
  CONNECTION_CONNECTED,
  CONNECTION_CONNECTING,
  CONNECTION_DISCONNECTED,
  TARGET_PEER_BROADCAST,
  targetPeerId,
} from "./constants.js";
import {
  encodeGodot3Packet,
  GODOT3_DATA,
  GODOT3_HEADER_SIZE,
  GODOT3_SYS_ADD,
  GODOT3_SYS_DEL,
  GODOT3_SYS_ID,
  GODOT3_SYS_SIZE,
  godot3From,
  godot3SystemId,
  godot3To,
} from "./godot3-protocol.js";
import { IncomingPackets } from "./IncomingPackets.js";

const SERVER_ID = 1;

/** The multiplayer signals of a Godot 3 client, owned by the `WebSocketClient` that emits them. */
export interface Godot3ClientSignals {
  readonly peerConnected: Signal<[id: number]>;
  readonly peerDisconnected: Signal<[id: number]>;
  readonly connectionSucceeded: Signal<[]>;
  readonly connectionFailed: Signal<[]>;
  readonly serverDisconnected: Signal<[]>;
}

/**
 * Godot 3's high-level multiplayer protocol (`gd_mp_api`, the 9-byte header) on the
 * client side: the part of a `WebSocketClient` that, in multiplayer mode, reads the
 * server's system messages, keeps the known peers and the packets addressed to this
 * client, and frames what it sends. One session per connection.
 *
 * Deviations from Godot 3.2.3, each for a reason: the status stays CONNECTING until the
 * server has sent the id and announced itself (Godot says CONNECTED as soon as the socket
 * opens, with id 0, and packets sent then are dropped by the server); a lost connection
 * after success emits `serverDisconnected` (Godot 3.2.3 only ever emits
 * `connection_failed`); text frames, packets addressed to another peer, malformed system
 * messages and announcements of unknown or already-known peers are ignored (Godot trusts
 * the server with all of them).
 */
export class Godot3ClientSession {
  readonly #socket: WebSocketPeer;
  readonly #signals: Godot3ClientSignals;
  /** A multiplayer connection is under way and its outcome not yet reported. */
  #active = false;
  #succeeded = false;
  #serverAnnounced = false;
  #uniqueId = 0;
  #targetPeer = TARGET_PEER_BROADCAST;
  readonly #known = new Set<number>();
  readonly #incoming = new IncomingPackets();

  constructor(socket: WebSocketPeer, signals: Godot3ClientSignals) {
    this.#socket = socket;
    this.#signals = signals;
  }

  /** Starts a fresh session for a new connection; packets of the last one are dropped. */
  start(): void {
    this.#end();
    this.#incoming.clear();
    this.#active = true;
  }

  /** Whether a session is under way (its outcome not yet reported). */
  get active(): boolean {
    return this.#active;
  }

  /** The id the server gave; 0 before it did and after the session ended. */
  get uniqueId(): number {
    return this.#uniqueId;
  }

  /** CONNECTING until the server sent the id and announced itself, then CONNECTED until closed. */
  connectionStatus(): number {
    if (this.#socket.getReadyState() === WebSocketPeer.STATE_CLOSED || !this.#active) {
      return CONNECTION_DISCONNECTED;
    }
    return this.#succeeded ? CONNECTION_CONNECTED : CONNECTION_CONNECTING;
  }

  /** Where `putPacket` sends (see `WebSocketClient.setTargetPeer`). */
  setTargetPeer(id: number): void {
    this.#targetPeer = targetPeerId(id);
  }

  /** Frames `packet` from this client to the target peer; `ERR_UNCONFIGURED` unless connected. */
  putPacket(packet: Uint8Array): ErrorCode {
    if (this.connectionStatus() !== CONNECTION_CONNECTED) return ErrorCode.ERR_UNCONFIGURED;
    if (packet.byteLength === 0) return ErrorCode.OK;
    return this.#socket.send(encodeGodot3Packet(GODOT3_DATA, this.#uniqueId, this.#targetPeer, packet));
  }

  /** The packets addressed to this client and not yet read. */
  get incoming(): IncomingPackets {
    return this.#incoming;
  }

  /** Ends the session without a signal (a forced close). */
  abandon(): void {
    this.#end();
    this.#incoming.clear();
  }

  /** A message arrived from the server (already in the socket's queue): take and apply it. */
  receive(): void {
    const socket = this.#socket;
    const packet = socket.getPacket();
    if (!this.#active || socket.wasStringPacket() || packet.byteLength < GODOT3_HEADER_SIZE) return;
    const type = packet[0];
    if (type === GODOT3_DATA) {
      const to = godot3To(packet);
      const me = this.#uniqueId;
      if (me === 0 || !(to === TARGET_PEER_BROADCAST || to === me || (to < 0 && to !== -me))) return;
      this.#incoming.setLimits(socket.maxQueuedPackets, socket.inboundBufferSize);
      this.#incoming.push(godot3From(packet), packet.subarray(GODOT3_HEADER_SIZE));
      return;
    }
    if (packet.byteLength < GODOT3_SYS_SIZE) return;
    const id = godot3SystemId(packet);
    const signals = this.#signals;
    if (type === GODOT3_SYS_ID) {
      if (!this.#succeeded && id > SERVER_ID) this.#uniqueId = id;
    } else if (type === GODOT3_SYS_ADD) {
      if (id === SERVER_ID) this.#serverAnnounced = true;
      else if (id > SERVER_ID && id !== this.#uniqueId && !this.#known.has(id)) {
        this.#known.add(id);
        signals.peerConnected.emit(id);
      }
    } else if (type === GODOT3_SYS_DEL) {
      if (id !== SERVER_ID && this.#known.delete(id)) signals.peerDisconnected.emit(id);
      return;
    } else {
      return;
    }
    if (!this.#succeeded && this.#serverAnnounced && this.#uniqueId !== 0) {
      this.#succeeded = true;
      this.#known.add(SERVER_ID);
      signals.peerConnected.emit(SERVER_ID);
      signals.connectionSucceeded.emit();
    }
  }

  /** The connection ended (closed, lost or never established): report it once. */
  ended(): void {
    if (!this.#active) return;
    const succeeded = this.#succeeded;
    this.#end();
    if (succeeded) this.#signals.serverDisconnected.emit();
    else this.#signals.connectionFailed.emit();
  }

  #end(): void {
    this.#active = false;
    this.#succeeded = false;
    this.#serverAnnounced = false;
    this.#uniqueId = 0;
    this.#known.clear();
  }
}
