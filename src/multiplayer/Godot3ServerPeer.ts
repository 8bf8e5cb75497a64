import { ErrorCode } from "../ErrorCode.js";
import type { MultiplayerPeerApi } from "../MultiplayerPeer.js";
import { Signal } from "../Signal.js";
import type { WebSocketPeer } from "../WebSocketPeer.js";
import { ServerPeerSettings } from "../websocket/ServerPeerSettings.js";
import {
  CONNECTION_CONNECTED,
  CONNECTION_DISCONNECTED,
  TARGET_PEER_BROADCAST,
  TRANSFER_MODE_RELIABLE,
  targetPeerId,
} from "./constants.js";
import {
  encodeGodot3Packet,
  encodeGodot3System,
  GODOT3_DATA,
  GODOT3_HEADER_SIZE,
  GODOT3_SYS_ADD,
  GODOT3_SYS_DEL,
  GODOT3_SYS_ID,
  godot3From,
  godot3To,
} from "./godot3-protocol.js";
import { IncomingPackets } from "./IncomingPackets.js";

const SERVER_ID = 1;

/**
 * The multiplayer face of `WebSocketServer`: Godot 3's `WebSocketServer` is a
 * `NetworkedMultiplayerPeer`, and with `gd_mp_api` it speaks Godot 3's 9-byte-header
 * protocol and relays between its clients. `WebSocketServer` extends this class and
 * calls its protected methods from its hooks; the public members are documented there.
 *
 * The relay follows a Godot 3.2.3 server byte for byte (SYS_ID, SYS_ADD both ways in
 * ascending id order, SYS_DEL to the rest on leave, forwarding by `to` with the bytes
 * unchanged), with one fix: `to = -1` ("everyone but the server") is not delivered to the
 * server, where Godot 3.2.3 delivers it anyway. Text frames, short packets, system
 * messages from clients, a forged `from` and unknown targets are dropped.
 */
export abstract class Godot3ServerPeer extends ServerPeerSettings implements MultiplayerPeerApi {
  /**
   * A client joined (multiplayer mode only; it has been told its id and the other peers).
   * Ports `NetworkedMultiplayerPeer.peer_connected(id)`.
   */
  readonly peerConnected = new Signal<[id: number]>();
  /**
   * A client left (multiplayer mode only; the others have been told).
   * Ports `NetworkedMultiplayerPeer.peer_disconnected(id)`.
   */
  readonly peerDisconnected = new Signal<[id: number]>();
  /**
   * Whether upgrade requests are refused (with HTTP 503), in either mode. Default false.
   * Ports `refuse_new_connections`.
   */
  refuseNewConnections = false;
  /** Default `TRANSFER_MODE_RELIABLE`; stored only, as in Godot. Ports `transfer_mode`. */
  transferMode: number = TRANSFER_MODE_RELIABLE;
  /** Default 0; stored only, as in Godot. Ports Godot 4's `transfer_channel`. */
  transferChannel = 0;
  /** Godot 3's protocol. gdnet addition (see `MultiplayerPeerApi.godotVersion`). */
  readonly godotVersion = 3 as const;

  #multiplayer = false;
  #targetPeer = TARGET_PEER_BROADCAST;
  /** The ids of the announced clients, ascending (Godot's map order). */
  #ids: number[] = [];
  readonly #incoming = new IncomingPackets();

  /** The peer with `id`, or `null`. */
  abstract getPeer(id: number): WebSocketPeer | null;
  /** Stops listening (see `WebSocketServer.stop`). */
  abstract stop(): void;
  /** Applies what happened since the last poll (see `WebSocketServer.poll`). */
  abstract poll(): ErrorCode;

  /** 1: the server's id. Ports `get_unique_id`. */
  getUniqueId(): number {
    return SERVER_ID;
  }

  /**
   * `CONNECTION_CONNECTED` while listening, otherwise `CONNECTION_DISCONNECTED`, as in
   * Godot 3. Ports `get_connection_status`.
   */
  getConnectionStatus(): number {
    return this.isListening() ? CONNECTION_CONNECTED : CONNECTION_DISCONNECTED;
  }

  /**
   * Where `putPacket` sends: a client id, 0 for every client, `-id` for every client but
   * `id`; 1 (the server itself) sends nothing. Fractions are truncated.
   * Ports `set_target_peer`.
   */
  setTargetPeer(id: number): void {
    this.#targetPeer = targetPeerId(id);
  }

  /**
   * Multiplayer mode: sends `packet` from the server (`from = 1`) to the target peer, as
   * Godot 3's server does. An empty packet sends nothing. `ERR_UNCONFIGURED` outside
   * multiplayer mode or when not listening; `FAILED` for an unknown target.
   * Ports `put_packet`.
   */
  putPacket(packet: Uint8Array): ErrorCode {
    if (!(packet instanceof Uint8Array)) throw new TypeError("putPacket expects a Uint8Array");
    if (!this.#multiplayer || !this.isListening()) return ErrorCode.ERR_UNCONFIGURED;
    if (packet.byteLength === 0) return ErrorCode.OK;
    const target = this.#targetPeer;
    return this.#forward(SERVER_ID, target, encodeGodot3Packet(GODOT3_DATA, SERVER_ID, target, packet));
  }

  /**
   * Multiplayer mode: packets for the server (sent to 1, to everyone, or to everyone but
   * another client) not yet read. Ports `get_available_packet_count`.
   */
  getAvailablePacketCount(): number {
    return this.#incoming.count;
  }

  /** Multiplayer mode: the sender of the next packet; 0 when none. Ports `get_packet_peer`. */
  getPacketPeer(): number {
    return this.#incoming.nextSource();
  }

  /**
   * Multiplayer mode: the next packet's payload (the MultiplayerAPI packet, without the
   * 9-byte header), or an empty array. Ports `get_packet`.
   */
  getPacket(): Uint8Array {
    return this.#incoming.take();
  }

  /**
   * Disconnects client `id`: a close frame (1000), and in multiplayer mode SYS_DEL to the
   * rest and `peerDisconnected` once it is gone. With `force`, the connection is dropped
   * at once without a close frame; in multiplayer mode the rest get SYS_DEL at once and
   * no `peerDisconnected` follows. `ERR_INVALID_PARAMETER` for an unknown id.
   * Ports Godot 4's `MultiplayerPeer.disconnect_peer(id, force)`.
   */
  disconnectPeer(id: number, force = false): ErrorCode {
    const peer = this.getPeer(id);
    if (peer === null) return ErrorCode.ERR_INVALID_PARAMETER;
    if (!force) return peer.close(1000);
    if (this.#multiplayer) this.#forget(id);
    return peer.close(-1);
  }

  /** Stops the server (`stop()`): every client is closed and no signal follows. Ports `close`. */
  close(): void {
    this.stop();
  }

  /** False: a Godot 3 server relays by itself. Ports `is_server_relay_supported`. */
  isServerRelaySupported(): boolean {
    return false;
  }

  /**
   * Called by `listen` with whether Godot 3's multiplayer mode (`gd_mp_api`) was asked
   * for: switches the mode for this listening session.
   */
  protected configureGdMpApi(enabled: boolean): ErrorCode {
    this.#multiplayer = enabled;
    this.resetMultiplayer();
    return ErrorCode.OK;
  }

  /** Whether this listening session is in Godot 3's multiplayer mode. */
  protected get gdMpApi(): boolean {
    return this.#multiplayer;
  }

  /** Forgets the clients and the packets (the server stopped). */
  protected resetMultiplayer(): void {
    this.#ids = [];
    this.#incoming.clear();
  }

  /**
   * A client connected: SYS_ID and SYS_ADD(1) to it, then SYS_ADD both ways with every
   * client already there in ascending id order, then `peerConnected`.
   */
  protected announcePeer(id: number): void {
    const peer = this.getPeer(id);
    if (peer === null) return;
    this.#incoming.setLimits(this.maxQueuedPackets, this.inboundBufferSize);
    peer.send(encodeGodot3System(GODOT3_SYS_ID, id));
    peer.send(encodeGodot3System(GODOT3_SYS_ADD, SERVER_ID));
    const joined = encodeGodot3System(GODOT3_SYS_ADD, id);
    const ids = this.#ids;
    for (let i = 0; i < ids.length; i++) {
      const other = ids[i]!;
      this.getPeer(other)?.send(joined);
      peer.send(encodeGodot3System(GODOT3_SYS_ADD, other));
    }
    ids.splice(insertionIndex(ids, id), 0, id);
    this.peerConnected.emit(id);
  }

  /**
   * A message arrived from client `sender`: checked (binary, a whole header, DATA,
   * `from` = sender), kept for the server if it is addressed to it, and forwarded
   * unchanged by `to`. Anything else is dropped.
   */
  protected relayPacket(sender: number, packet: Uint8Array, wasText: boolean): void {
    if (wasText || packet.byteLength < GODOT3_HEADER_SIZE || packet[0] !== GODOT3_DATA) return;
    if (godot3From(packet) !== sender || !this.#has(sender)) return;
    const to = godot3To(packet);
    // Godot 3.2.3 also keeps to = -1 for the server; "everyone but the server" excludes it here.
    if (to === SERVER_ID || to === TARGET_PEER_BROADCAST || (to < 0 && to !== -SERVER_ID)) {
      this.#incoming.push(sender, packet.subarray(GODOT3_HEADER_SIZE));
    }
    this.#forward(sender, to, packet);
  }

  /** A client's connection is gone: SYS_DEL to the rest, then `peerDisconnected`. */
  protected announceDeparture(id: number): void {
    if (this.#forget(id)) this.peerDisconnected.emit(id);
  }

  /** Removes `id` from the clients and tells the rest; false if it was not one. */
  #forget(id: number): boolean {
    const ids = this.#ids;
    const index = indexOf(ids, id);
    if (index < 0) return false;
    ids.splice(index, 1);
    const left = encodeGodot3System(GODOT3_SYS_DEL, id);
    for (let i = 0; i < ids.length; i++) this.getPeer(ids[i]!)?.send(left);
    return true;
  }

  /** Sends `packet` from `from` by `to` (Godot 3's `_server_relay`). */
  #forward(from: number, to: number, packet: Uint8Array): ErrorCode {
    if (to === SERVER_ID) return ErrorCode.OK;
    if (to > SERVER_ID) {
      if (to === from || !this.#has(to)) return ErrorCode.FAILED;
      return this.getPeer(to)?.send(packet) ?? ErrorCode.FAILED;
    }
    const ids = this.#ids;
    const excluded = -to;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id !== from && id !== excluded) this.getPeer(id)?.send(packet);
    }
    return ErrorCode.OK;
  }

  #has(id: number): boolean {
    return indexOf(this.#ids, id) >= 0;
  }
}

/** Where `id` goes in the ascending `ids`. */
function insertionIndex(ids: readonly number[], id: number): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ids[middle]! < id) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The index of `id` in the ascending `ids`, or -1. */
function indexOf(ids: readonly number[], id: number): number {
  const index = insertionIndex(ids, id);
  return ids[index] === id ? index : -1;
}
