import { ErrorCode } from "./ErrorCode.js";
import type { MultiplayerPeerApi } from "./MultiplayerPeer.js";
import { TRANSFER_MODE_RELIABLE } from "./multiplayer/constants.js";
import { Godot3ClientSession } from "./multiplayer/Godot3ClientSession.js";
import { Signal } from "./Signal.js";
import { TLSOptions } from "./TLSOptions.js";
import type { NetworkOptions } from "./transport/Transport.js";
import { WebSocketPeer } from "./WebSocketPeer.js";

const RECORD_ESTABLISHED = 1;
const RECORD_PACKET = 2;
const RECORD_CLOSE_REQUEST = 3;
const RECORD_CLOSED = 4;
const RECORD_ERROR = 5;

/**
 * A WebSocket client in Godot 3's style: one {@link WebSocketPeer} (`getPeer(1)`) and
 * signals, so Godot 3 code and the Godot 3 docs' examples port directly.
 *
 * Ports Godot 3's `WebSocketClient`. Signals are emitted only inside
 * {@link WebSocketClient.poll}, after the peer's state is updated, in event order.
 * `dataReceived` is emitted once per packet.
 *
 * With `gdMpApi` (Godot 3's `gd_mp_api`) the client is a multiplayer peer that speaks
 * Godot 3's high-level protocol with a Godot 3 or gdnet server (see
 * `docs/multiplayer.md`). In that mode it emits `connectionSucceeded`,
 * `connectionFailed`, `serverDisconnected`, `peerConnected` and `peerDisconnected`
 * instead of `connectionEstablished`, `connectionClosed`, `connectionError` and
 * `dataReceived`, and `getPacket`/`putPacket` carry multiplayer packets.
 */
export class WebSocketClient implements MultiplayerPeerApi {
  /** Not connected. Ports `NetworkedMultiplayerPeer.CONNECTION_DISCONNECTED`. */
  static readonly CONNECTION_DISCONNECTED = 0;
  /** Connecting. Ports `NetworkedMultiplayerPeer.CONNECTION_CONNECTING`. */
  static readonly CONNECTION_CONNECTING = 1;
  /** Connected. Ports `NetworkedMultiplayerPeer.CONNECTION_CONNECTED`. */
  static readonly CONNECTION_CONNECTED = 2;

  /** The handshake completed. Ports `connection_established(protocol)`. */
  readonly connectionEstablished = new Signal<[protocol: string]>();
  /**
   * The connection is gone; `wasClean` when the closing handshake completed (Godot 3
   * reports its own closes as unclean; gdnet does not copy that).
   * Ports `connection_closed(was_clean_close)`.
   */
  readonly connectionClosed = new Signal<[wasClean: boolean]>();
  /** The connection could not be established. Ports `connection_error()`. */
  readonly connectionError = new Signal<[]>();
  /** A packet arrived: emitted once per packet. Ports `data_received()`. */
  readonly dataReceived = new Signal<[]>();
  /** The server sent a close frame. Ports `server_close_request(code, reason)`. */
  readonly serverCloseRequest = new Signal<[code: number, reason: string]>();
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

  /** Whether `wss://` verifies the server's certificate. Default true. Ports `verify_ssl`. */
  verifySsl = true;
  /**
   * A PEM certificate (or chain) to trust for `wss://` instead of the default store.
   * Default `null`. Ports `trusted_ssl_certificate` (PEM text instead of an `X509Certificate`).
   */
  trustedSslCertificate: string | null = null;

  readonly #peer: WebSocketPeer;
  /** Godot 3's multiplayer protocol, used while `#gdMpApi`. */
  readonly #godot3: Godot3ClientSession;
  #gdMpApi = false;
  #records: unknown[] = [];
  #spareRecords: unknown[] = [];

  /** Creates a disconnected client, on the default network or the one in `options`. */
  constructor(options?: NetworkOptions) {
    this.#peer = new WebSocketPeer(options);
    this.#peer.setObserver({
      peerOpened: (peer) => this.#records.push(RECORD_ESTABLISHED, peer.getSelectedProtocol(), undefined),
      peerPacket: () => this.#records.push(RECORD_PACKET, undefined, undefined),
      peerPacketTaken: () => {},
      peerCloseRequested: (_peer, code, reason) => this.#records.push(RECORD_CLOSE_REQUEST, code, reason),
      peerClosed: (_peer, wasClean, wasOpen) => {
        if (wasOpen) this.#records.push(RECORD_CLOSED, wasClean, undefined);
        else this.#records.push(RECORD_ERROR, undefined, undefined);
      },
    });
    this.#godot3 = new Godot3ClientSession(this.#peer, this);
  }

  /**
   * Connects to `url` offering `protocols`, with `customHeaders` ("Name: value") in the
   * request; the outcome is `connectionEstablished` or `connectionError` at a later
   * poll (in multiplayer mode, `connectionSucceeded` or `connectionFailed`). Errors as
   * `WebSocketPeer.connectToUrl`. `gdMpApi = true` turns on Godot 3's multiplayer mode
   * for this connection. Ports `WebSocketClient.connect_to_url`.
   */
  connectToUrl(
    url: string,
    protocols: readonly string[] = [],
    gdMpApi = false,
    customHeaders: readonly string[] = [],
  ): ErrorCode {
    const peer = this.#peer;
    const state = peer.getReadyState();
    // While connecting or connected the mode stays (connectToUrl then fails anyway).
    if (state !== WebSocketPeer.STATE_CONNECTING && state !== WebSocketPeer.STATE_OPEN) {
      this.#gdMpApi = gdMpApi;
      if (gdMpApi) this.#godot3.start();
      else this.#godot3.abandon();
    }
    peer.supportedProtocols = protocols;
    peer.handshakeHeaders = [...customHeaders];
    let tls: TLSOptions | null = null;
    if (typeof url === "string" && url.trim().toLowerCase().startsWith("wss://")) {
      tls = this.verifySsl
        ? TLSOptions.client(this.trustedSslCertificate)
        : TLSOptions.clientUnsafe(this.trustedSslCertificate);
    }
    const error = peer.connectToUrl(url, tls);
    if (error === ErrorCode.OK) this.#records.length = 0;
    return error;
  }

  /** The peer: `getPeer(1)` is the server; any other id gives `null`. Ports `get_peer`. */
  getPeer(id: number): WebSocketPeer | null {
    return id === 1 ? this.#peer : null;
  }

  /** Applies what happened since the last poll, then emits the signals. Ports `WebSocketClient.poll`. */
  poll(): void {
    this.#peer.poll();
    if (this.#records.length > 0) this.#emitRecords();
  }

  /**
   * Closes with `code` and `reason` (see `WebSocketPeer.close`); `connectionClosed`
   * follows at a later poll. Ports `WebSocketClient.disconnect_from_host`.
   */
  disconnectFromHost(code = 1000, reason = ""): ErrorCode {
    return this.#peer.close(code, reason);
  }

  /**
   * `CONNECTION_CONNECTING` while the handshake runs, `CONNECTION_CONNECTED` while open
   * or closing, otherwise `CONNECTION_DISCONNECTED`. In multiplayer mode, CONNECTING
   * lasts until the server has sent the id and announced itself (see
   * `connectionSucceeded`). Ports `get_connection_status`.
   */
  getConnectionStatus(): number {
    if (this.#gdMpApi) return this.#godot3.connectionStatus();
    switch (this.#peer.getReadyState()) {
      case WebSocketPeer.STATE_CONNECTING:
        return WebSocketClient.CONNECTION_CONNECTING;
      case WebSocketPeer.STATE_OPEN:
      case WebSocketPeer.STATE_CLOSING:
        return WebSocketClient.CONNECTION_CONNECTED;
      default:
        return WebSocketClient.CONNECTION_DISCONNECTED;
    }
  }

  /** The server's IP address. Ports `WebSocketClient.get_connected_host`. */
  getConnectedHost(): string {
    return this.#peer.getConnectedHost();
  }

  /** The server's port. Ports `WebSocketClient.get_connected_port`. */
  getConnectedPort(): number {
    return this.#peer.getConnectedPort();
  }

  /**
   * Sets the peer's buffers the Godot 3 way (sizes in KiB; one packet limit here, the
   * larger of the two). `FAILED` unless disconnected. Ports `set_buffers`.
   */
  setBuffers(
    inputBufferSizeKb: number,
    inputMaxPackets: number,
    outputBufferSizeKb: number,
    outputMaxPackets: number,
  ): ErrorCode {
    if (this.#peer.getReadyState() !== WebSocketPeer.STATE_CLOSED) return ErrorCode.FAILED;
    for (const value of [inputBufferSizeKb, inputMaxPackets, outputBufferSizeKb, outputMaxPackets]) {
      if (!Number.isInteger(value) || value <= 0) return ErrorCode.ERR_INVALID_PARAMETER;
    }
    this.#peer.inboundBufferSize = inputBufferSizeKb * 1024;
    this.#peer.outboundBufferSize = outputBufferSizeKb * 1024;
    this.#peer.maxQueuedPackets = Math.max(inputMaxPackets, outputMaxPackets);
    return ErrorCode.OK;
  }

  /** The id the server gave this client (multiplayer mode); 0 before it did and after the connection ended. Ports `get_unique_id`. */
  getUniqueId(): number {
    return this.#godot3.uniqueId;
  }

  /**
   * Where `putPacket` sends: a peer id (1 is the server), 0 for everyone, `-id` for
   * everyone but `id`. The server relays. Fractions are truncated. Ports `set_target_peer`.
   */
  setTargetPeer(id: number): void {
    this.#godot3.setTargetPeer(id);
  }

  /**
   * Multiplayer mode: sends `packet` to the target peer through the server. An empty
   * packet sends nothing. `ERR_UNCONFIGURED` unless connected in multiplayer mode;
   * otherwise the errors of `WebSocketPeer.send`. Ports `put_packet`.
   */
  putPacket(packet: Uint8Array): ErrorCode {
    if (!(packet instanceof Uint8Array)) throw new TypeError("putPacket expects a Uint8Array");
    if (!this.#gdMpApi) return ErrorCode.ERR_UNCONFIGURED;
    return this.#godot3.putPacket(packet);
  }

  /**
   * Multiplayer mode: packets received and not yet read; they stay readable after the
   * connection ends, until the next connection. Ports `get_available_packet_count`.
   */
  getAvailablePacketCount(): number {
    return this.#godot3.incoming.count;
  }

  /** Multiplayer mode: the sender (`from`) of the next packet; 0 when none. Ports `get_packet_peer`. */
  getPacketPeer(): number {
    return this.#godot3.incoming.nextSource();
  }

  /**
   * Multiplayer mode: the next packet's payload (without the 9-byte header), or an empty
   * array. Ports `get_packet`.
   */
  getPacket(): Uint8Array {
    return this.#godot3.incoming.take();
  }

  /**
   * Disconnects from the server (`id` must be 1): a close frame (1000), and
   * `serverDisconnected` once the connection is gone. With `force`, the connection is
   * dropped at once without a close frame and no signal follows. `ERR_INVALID_PARAMETER`
   * for another id or when not connected. Ports Godot 4's `disconnect_peer(id, force)`.
   */
  disconnectPeer(id: number, force = false): ErrorCode {
    if (id !== 1 || this.#peer.getReadyState() === WebSocketPeer.STATE_CLOSED) {
      return ErrorCode.ERR_INVALID_PARAMETER;
    }
    if (!force) return this.#peer.close(1000);
    this.close();
    return ErrorCode.OK;
  }

  /**
   * Drops the connection at once, without a close frame: the status is
   * `CONNECTION_DISCONNECTED` now, and in multiplayer mode no signal follows (outside it,
   * `connectionClosed(false)` does at the next poll). Ports Godot 4's `close`.
   */
  close(): void {
    this.#godot3.abandon();
    this.#peer.close(-1);
  }

  /** False: a Godot 3 server relays by itself. Ports `is_server_relay_supported`. */
  isServerRelaySupported(): boolean {
    return false;
  }

  /** Closes the connection at once, as `close()` does (`using client = new WebSocketClient()`). gdnet addition. */
  [Symbol.dispose](): void {
    this.close();
  }

  #emitRecords(): void {
    const records = this.#records;
    this.#records = this.#spareRecords;
    const multiplayer = this.#gdMpApi;
    for (let i = 0; i < records.length; i += 3) {
      switch (records[i]) {
        case RECORD_ESTABLISHED:
          // Multiplayer mode waits for the server's id instead.
          if (!multiplayer) this.connectionEstablished.emit(records[i + 1] as string);
          break;
        case RECORD_PACKET:
          if (multiplayer) this.#godot3.receive();
          else this.dataReceived.emit();
          break;
        case RECORD_CLOSE_REQUEST:
          this.serverCloseRequest.emit(records[i + 1] as number, records[i + 2] as string);
          break;
        case RECORD_CLOSED:
          if (multiplayer) this.#godot3.ended();
          else this.connectionClosed.emit(records[i + 1] as boolean);
          break;
        case RECORD_ERROR:
          if (multiplayer) this.#godot3.ended();
          else this.connectionError.emit();
          break;
      }
    }
    records.length = 0;
    this.#spareRecords = records;
  }
}
