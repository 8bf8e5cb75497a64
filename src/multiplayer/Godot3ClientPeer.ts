import { ErrorCode } from "../ErrorCode.js";
import type { MultiplayerPeerApi } from "../MultiplayerPeer.js";
import { Signal } from "../Signal.js";
import { WebSocketPeer } from "../WebSocketPeer.js";
import {
  CONNECTION_CONNECTED,
  CONNECTION_CONNECTING,
  CONNECTION_DISCONNECTED,
  TARGET_PEER_BROADCAST,
  TRANSFER_MODE_RELIABLE,
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

/**
 * The multiplayer face of `WebSocketClient`: Godot 3's `WebSocketClient` is a
 * `NetworkedMultiplayerPeer`, and with `gd_mp_api` it speaks Godot 3's 9-byte-header
 * protocol with a Godot 3 (or gdnet) server. `WebSocketClient` extends this class and
 * calls its protected methods from its hooks.
 *
 * Deviations from Godot 3.2.3, each for a reason: the status stays CONNECTING until the
 * server has sent the id and announced itself (Godot says CONNECTED as soon as the socket
 * opens, with id 0, and packets sent then are dropped by the server); a lost connection
 * after success emits `serverDisconnected` (Godot 3.2.3 only ever emits
 * `connection_failed`); text frames, packets addressed to another peer, malformed system
 * messages and announcements of unknown or already-known peers are ignored (Godot trusts
 * the server with all of them).
 */
export abstract class Godot3ClientPeer implements MultiplayerPeerApi {
  /**
   * A peer joined (multiplayer mode only; 1, the server, first).
   * Ports `NetworkedMultiplayerPeer.peer_connected(id)`.
   */
  readonly peerConnected = new Signal<[id: number]>();
  /** A peer left (multiplayer mode only). Ports `NetworkedMultiplayerPeer.peer_disconnected(id)`. */
  readonly peerDisconnected = new Signal<[id: number]>();
  /**
   * Multiplayer mode: the server gave this client its id and announced itself.
   * Ports `NetworkedMultiplayerPeer.connection_succeeded()`.
   */
  readonly connectionSucceeded = new Signal<[]>();
  /**
   * Multiplayer mode: the connection ended before it succeeded.
   * Ports `NetworkedMultiplayerPeer.connection_failed()`.
   */
  readonly connectionFailed = new Signal<[]>();
  /**
   * Multiplayer mode: the connection ended after it succeeded (closed by either side or
   * lost). Ports `NetworkedMultiplayerPeer.server_disconnected()`, which Godot 3.2.3's
   * WebSocketClient never emits (it says `connection_failed`).
   */
  readonly serverDisconnected = new Signal<[]>();
  /** Stored only (a client accepts no connections). Ports `refuse_new_connections`. */
  refuseNewConnections = false;
  /** Default `TRANSFER_MODE_RELIABLE`; stored only, as in Godot. Ports `transfer_mode`. */
  transferMode: number = TRANSFER_MODE_RELIABLE;
  /** Default 0; stored only, as in Godot. Ports Godot 4's `transfer_channel`. */
  transferChannel = 0;
  /** Godot 3's protocol. gdnet addition (see `MultiplayerPeerApi.godotVersion`). */
  readonly godotVersion = 3 as const;

  #multiplayer = false;
  /** A multiplayer connection is under way and its outcome not yet reported. */
  #session = false;
  #succeeded = false;
  #serverAnnounced = false;
  #uniqueId = 0;
  #targetPeer = TARGET_PEER_BROADCAST;
  readonly #known = new Set<number>();
  readonly #incoming = new IncomingPackets();

  /** `getPeer(1)` is the connection to the server. */
  abstract getPeer(id: number): WebSocketPeer | null;
  /** Applies what happened since the last poll (see `WebSocketClient.poll`). */
  abstract poll(): void;

  /**
   * The id the server gave this client; 0 before it did and after the connection ended.
   * Ports `get_unique_id`.
   */
  getUniqueId(): number {
    return this.#uniqueId;
  }

  /**
   * Multiplayer mode: `CONNECTION_CONNECTING` until the server sent the id and announced
   * itself, then `CONNECTION_CONNECTED` until the connection is closed, then
   * `CONNECTION_DISCONNECTED`. Ports `get_connection_status`.
   */
  getConnectionStatus(): number {
    const state = this.#socket().getReadyState();
    if (state === WebSocketPeer.STATE_CLOSED || !this.#session) return CONNECTION_DISCONNECTED;
    return this.#succeeded ? CONNECTION_CONNECTED : CONNECTION_CONNECTING;
  }

  /**
   * Where `putPacket` sends: a peer id (1 is the server), 0 for everyone, `-id` for
   * everyone but `id`. The server relays. Fractions are truncated. Ports `set_target_peer`.
   */
  setTargetPeer(id: number): void {
    this.#targetPeer = targetPeerId(id);
  }

  /**
   * Multiplayer mode: sends `packet` to the target peer through the server. An empty
   * packet sends nothing. `ERR_UNCONFIGURED` unless connected in multiplayer mode;
   * otherwise the errors of `WebSocketPeer.send`. Ports `put_packet`.
   */
  putPacket(packet: Uint8Array): ErrorCode {
    if (!(packet instanceof Uint8Array)) throw new TypeError("putPacket expects a Uint8Array");
    if (!this.#multiplayer || this.getConnectionStatus() !== CONNECTION_CONNECTED) {
      return ErrorCode.ERR_UNCONFIGURED;
    }
    if (packet.byteLength === 0) return ErrorCode.OK;
    return this.#socket().send(encodeGodot3Packet(GODOT3_DATA, this.#uniqueId, this.#targetPeer, packet));
  }

  /**
   * Multiplayer mode: packets received and not yet read; they stay readable after the
   * connection ends, until the next connection. Ports `get_available_packet_count`.
   */
  getAvailablePacketCount(): number {
    return this.#incoming.count;
  }

  /** Multiplayer mode: the sender (`from`) of the next packet; 0 when none. Ports `get_packet_peer`. */
  getPacketPeer(): number {
    return this.#incoming.nextSource();
  }

  /**
   * Multiplayer mode: the next packet's payload (without the 9-byte header), or an empty
   * array. Ports `get_packet`.
   */
  getPacket(): Uint8Array {
    return this.#incoming.take();
  }

  /**
   * Disconnects from the server (`id` must be 1): a close frame (1000), and
   * `serverDisconnected` once the connection is gone. With `force`, the connection is
   * dropped at once without a close frame and no signal follows. `ERR_INVALID_PARAMETER`
   * for another id or when not connected. Ports Godot 4's `disconnect_peer(id, force)`.
   */
  disconnectPeer(id: number, force = false): ErrorCode {
    const socket = this.#socket();
    if (id !== SERVER_ID || socket.getReadyState() === WebSocketPeer.STATE_CLOSED) {
      return ErrorCode.ERR_INVALID_PARAMETER;
    }
    if (!force) return socket.close(1000);
    this.close();
    return ErrorCode.OK;
  }

  /**
   * Drops the connection at once, without a close frame: the status is
   * `CONNECTION_DISCONNECTED` now, and in multiplayer mode no signal follows (outside it,
   * `connectionClosed(false)` does at the next poll). Ports Godot 4's `close`.
   */
  close(): void {
    this.#endSession();
    this.#incoming.clear();
    this.#socket().close(-1);
  }

  /** False: a Godot 3 server relays by itself. Ports `is_server_relay_supported`. */
  isServerRelaySupported(): boolean {
    return false;
  }

  /**
   * Called by `connectToUrl` with whether Godot 3's multiplayer mode (`gd_mp_api`) was
   * asked for: starts a fresh session in that mode. While connecting or connected it
   * changes nothing (`connectToUrl` then fails anyway).
   */
  protected configureGdMpApi(enabled: boolean): ErrorCode {
    const state = this.#socket().getReadyState();
    if (state === WebSocketPeer.STATE_CONNECTING || state === WebSocketPeer.STATE_OPEN) return ErrorCode.OK;
    this.#endSession();
    this.#incoming.clear();
    this.#multiplayer = enabled;
    this.#session = enabled;
    return ErrorCode.OK;
  }

  /** Whether the current connection is in Godot 3's multiplayer mode. */
  protected get gdMpApi(): boolean {
    return this.#multiplayer;
  }

  /** A message arrived from the server (already in `getPeer(1)`'s queue): take and apply it. */
  protected receiveMultiplayerPacket(): void {
    const socket = this.#socket();
    const packet = socket.getPacket();
    if (!this.#session || socket.wasStringPacket() || packet.byteLength < GODOT3_HEADER_SIZE) return;
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
    if (type === GODOT3_SYS_ID) {
      if (!this.#succeeded && id > SERVER_ID) this.#uniqueId = id;
    } else if (type === GODOT3_SYS_ADD) {
      if (id === SERVER_ID) this.#serverAnnounced = true;
      else if (id > SERVER_ID && id !== this.#uniqueId && !this.#known.has(id)) {
        this.#known.add(id);
        this.peerConnected.emit(id);
      }
    } else if (type === GODOT3_SYS_DEL) {
      if (id !== SERVER_ID && this.#known.delete(id)) this.peerDisconnected.emit(id);
      return;
    } else {
      return;
    }
    if (!this.#succeeded && this.#serverAnnounced && this.#uniqueId !== 0) {
      this.#succeeded = true;
      this.#known.add(SERVER_ID);
      this.peerConnected.emit(SERVER_ID);
      this.connectionSucceeded.emit();
    }
  }

  /** The connection ended (closed, lost or never established): report it once. */
  protected multiplayerConnectionEnded(): void {
    if (!this.#session) return;
    const succeeded = this.#succeeded;
    this.#endSession();
    if (succeeded) this.serverDisconnected.emit();
    else this.connectionFailed.emit();
  }

  #endSession(): void {
    this.#session = false;
    this.#succeeded = false;
    this.#serverAnnounced = false;
    this.#uniqueId = 0;
    this.#known.clear();
  }

  #socket(): WebSocketPeer {
    return this.getPeer(SERVER_ID)!;
  }
}
