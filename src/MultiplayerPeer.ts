import type { ErrorCode } from "./ErrorCode.js";
import {
  CONNECTION_CONNECTED,
  CONNECTION_CONNECTING,
  CONNECTION_DISCONNECTED,
  TARGET_PEER_BROADCAST,
  TARGET_PEER_SERVER,
  TRANSFER_MODE_RELIABLE,
  TRANSFER_MODE_UNRELIABLE,
  TRANSFER_MODE_UNRELIABLE_ORDERED,
  targetPeerId,
} from "./multiplayer/constants.js";
import { PacketPeer } from "./PacketPeer.js";
import { Signal } from "./Signal.js";

/**
 * What every gdnet multiplayer peer offers, whichever Godot version's protocol it speaks:
 * {@link WebSocketMultiplayerPeer} (Godot 4), and `WebSocketServer` and `WebSocketClient`
 * in Godot 3's multiplayer mode (`gdMpApi`). {@link SceneMultiplayer} drives any of them.
 *
 * Ports the API of Godot 4's `MultiplayerPeer` (Godot 3's `NetworkedMultiplayerPeer`).
 * As everywhere in gdnet, what these report changes only inside the peer's `poll()`, and
 * the signals are emitted there.
 */
export interface MultiplayerPeerApi {
  /** A peer joined. Ports `peer_connected(id)`. */
  readonly peerConnected: Signal<[id: number]>;
  /** A peer left. Ports `peer_disconnected(id)`. */
  readonly peerDisconnected: Signal<[id: number]>;
  /** Whether new connections are refused. Ports `refuse_new_connections`. */
  refuseNewConnections: boolean;
  /** Stored and reported, no effect (WebSocket is always reliable). Ports `transfer_mode`. */
  transferMode: number;
  /** Stored and reported, no effect (one channel). Ports `transfer_channel`. */
  transferChannel: number;
  /**
   * Which Godot's high-level protocol this peer speaks: 3 (`gd_mp_api`, 9-byte headers,
   * relaying done by the transport) or 4 (headerless packets, relaying done by
   * `SceneMultiplayer`). gdnet addition.
   */
  readonly godotVersion: 3 | 4;
  /**
   * This peer's id: 1 on a server, the id the server gave on a client, 0 before.
   * Ports `get_unique_id`.
   */
  getUniqueId(): number;
  /** One of the `CONNECTION_*` constants. Ports `get_connection_status`. */
  getConnectionStatus(): number;
  /**
   * Where `putPacket` sends: a peer id, `TARGET_PEER_BROADCAST` (0), `TARGET_PEER_SERVER`
   * (1), or `-id` for every peer except `id`. Ports `set_target_peer`.
   */
  setTargetPeer(id: number): void;
  /** Sends one packet to the target peer. Ports `put_packet`. */
  putPacket(packet: Uint8Array): ErrorCode;
  /** Packets received and not yet read. Ports `get_available_packet_count`. */
  getAvailablePacketCount(): number;
  /** Takes the next packet (an empty array when none). Ports `get_packet`. */
  getPacket(): Uint8Array;
  /** The sender of the packet `getPacket` returns next; 0 when none. Ports `get_packet_peer`. */
  getPacketPeer(): number;
  /**
   * Disconnects peer `id` (a client can only disconnect the server, 1). With `force`, the
   * peer is forgotten at once and `peerDisconnected` is not emitted for it.
   * Ports `disconnect_peer(peer, force)`.
   */
  disconnectPeer(id: number, force?: boolean): ErrorCode;
  /** Ends the session at once: no signal follows. Ports `close`. */
  close(): void;
  /** Applies what happened since the last poll and emits the signals. Ports `poll`. */
  poll(): unknown;
  /**
   * Whether `SceneMultiplayer` should relay between clients itself (Godot 4 peers); a
   * Godot 3 transport relays on its own. Ports `is_server_relay_supported`.
   */
  isServerRelaySupported(): boolean;
}

/**
 * The base class of Godot 4 multiplayer peers ({@link WebSocketMultiplayerPeer}): a
 * {@link PacketPeer} with peer ids, a target peer and peer signals.
 *
 * Ports Godot 4's `MultiplayerPeer`. The constants are also the right ones for Godot 3
 * code (`NetworkedMultiplayerPeer.TARGET_PEER_BROADCAST` is
 * `MultiplayerPeer.TARGET_PEER_BROADCAST`). Signals are emitted only inside `poll()`.
 */
export abstract class MultiplayerPeer extends PacketPeer implements MultiplayerPeerApi {
  /** Ports `MultiplayerPeer.CONNECTION_DISCONNECTED` (0). */
  static readonly CONNECTION_DISCONNECTED = CONNECTION_DISCONNECTED;
  /** Ports `MultiplayerPeer.CONNECTION_CONNECTING` (1). */
  static readonly CONNECTION_CONNECTING = CONNECTION_CONNECTING;
  /** Ports `MultiplayerPeer.CONNECTION_CONNECTED` (2). */
  static readonly CONNECTION_CONNECTED = CONNECTION_CONNECTED;
  /** Ports `MultiplayerPeer.TRANSFER_MODE_UNRELIABLE` (0). */
  static readonly TRANSFER_MODE_UNRELIABLE = TRANSFER_MODE_UNRELIABLE;
  /** Ports `MultiplayerPeer.TRANSFER_MODE_UNRELIABLE_ORDERED` (1). */
  static readonly TRANSFER_MODE_UNRELIABLE_ORDERED = TRANSFER_MODE_UNRELIABLE_ORDERED;
  /** Ports `MultiplayerPeer.TRANSFER_MODE_RELIABLE` (2). */
  static readonly TRANSFER_MODE_RELIABLE = TRANSFER_MODE_RELIABLE;
  /** Every peer (0). Ports `MultiplayerPeer.TARGET_PEER_BROADCAST`. */
  static readonly TARGET_PEER_BROADCAST = TARGET_PEER_BROADCAST;
  /** The server (1). Ports `MultiplayerPeer.TARGET_PEER_SERVER`. */
  static readonly TARGET_PEER_SERVER = TARGET_PEER_SERVER;

  /** A peer joined. Ports `peer_connected(id)`. */
  readonly peerConnected = new Signal<[id: number]>();
  /** A peer left. Ports `peer_disconnected(id)`. */
  readonly peerDisconnected = new Signal<[id: number]>();

  /** Whether new connections are refused. Default false. Ports `refuse_new_connections`. */
  refuseNewConnections = false;
  /**
   * Default `TRANSFER_MODE_RELIABLE`. Stored only: a WebSocket is always reliable and
   * ordered, as in Godot. Ports `transfer_mode`.
   */
  transferMode: number = TRANSFER_MODE_RELIABLE;
  /** Default 0. Stored only: a WebSocket has one channel, as in Godot. Ports `transfer_channel`. */
  transferChannel = 0;
  /** Godot 4's protocol. gdnet addition (see {@link MultiplayerPeerApi.godotVersion}). */
  readonly godotVersion = 4 as const;

  #targetPeer = TARGET_PEER_BROADCAST;

  /**
   * Where `putPacket` sends (see {@link MultiplayerPeerApi.setTargetPeer}); a fraction is
   * truncated, as Godot converts to int. Ports `set_target_peer`.
   */
  setTargetPeer(id: number): void {
    this.#targetPeer = targetPeerId(id);
  }

  /** The channel the next packet came on: always 0 here. Ports `get_packet_channel`. */
  getPacketChannel(): number {
    return 0;
  }

  /** The mode the next packet came with: always reliable here. Ports `get_packet_mode`. */
  getPacketMode(): number {
    return TRANSFER_MODE_RELIABLE;
  }

  /** @internal The target set by `setTargetPeer`. */
  protected get targetPeer(): number {
    return this.#targetPeer;
  }

  /**
   * This peer's id: 1 on a server, the id the server gave on a client, 0 otherwise.
   * Ports `get_unique_id`.
   */
  abstract getUniqueId(): number;
  /** One of the `CONNECTION_*` constants, as of the last poll. Ports `get_connection_status`. */
  abstract getConnectionStatus(): number;
  /** The sender of the packet `getPacket` returns next; 0 when none. Ports `get_packet_peer`. */
  abstract getPacketPeer(): number;
  /** See {@link MultiplayerPeerApi.disconnectPeer}. Ports `disconnect_peer`. */
  abstract disconnectPeer(id: number, force?: boolean): ErrorCode;
  /** Ends the session at once; no signal follows. Ports `close`. */
  abstract close(): void;
  /** Applies what happened since the last poll, then emits the signals. Ports `poll`. */
  abstract poll(): void;
  /** See {@link MultiplayerPeerApi.isServerRelaySupported}. Ports `is_server_relay_supported`. */
  abstract isServerRelaySupported(): boolean;
}
