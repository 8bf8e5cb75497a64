import { ErrorCode } from "./ErrorCode.js";
import { Godot3ClientPeer } from "./multiplayer/Godot3ClientPeer.js";
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
export class WebSocketClient extends Godot3ClientPeer {
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

  /** Whether `wss://` verifies the server's certificate. Default true. Ports `verify_ssl`. */
  verifySsl = true;
  /**
   * A PEM certificate (or chain) to trust for `wss://` instead of the default store.
   * Default `null`. Ports `trusted_ssl_certificate` (PEM text instead of an `X509Certificate`).
   */
  trustedSslCertificate: string | null = null;

  readonly #peer: WebSocketPeer;
  #records: unknown[] = [];
  #spareRecords: unknown[] = [];

  /** Creates a disconnected client, on the default network or the one in `options`. */
  constructor(options?: NetworkOptions) {
    super();
    this.#peer = new WebSocketPeer(options);
    this.#peer.setObserver(this);
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
    const mode = this.configureGdMpApi(gdMpApi);
    if (mode !== ErrorCode.OK) return mode;
    const peer = this.#peer;
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
  override getConnectionStatus(): number {
    if (this.gdMpApi) return super.getConnectionStatus();
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

  /**
   * Called in `poll()` when the connection is established; emits `connectionEstablished`
   * (not in multiplayer mode, which waits for the server's id).
   */
  protected onConnected(protocol: string): void {
    if (!this.gdMpApi) this.connectionEstablished.emit(protocol);
  }

  /**
   * Called in `poll()` once per packet received (already in `getPeer(1)`'s queue); emits
   * `dataReceived` (in multiplayer mode, takes and applies the packet). A protocol
   * layered on the client may override it to consume the packet.
   */
  protected onPacket(): void {
    if (this.gdMpApi) this.receiveMultiplayerPacket();
    else this.dataReceived.emit();
  }

  /** Called in `poll()` when the server sent a close frame; emits `serverCloseRequest`. */
  protected onCloseRequest(code: number, reason: string): void {
    this.serverCloseRequest.emit(code, reason);
  }

  /**
   * Called in `poll()` when an established connection is gone; emits `connectionClosed`
   * (in multiplayer mode, `serverDisconnected` or `connectionFailed`).
   */
  protected onClosed(wasClean: boolean): void {
    if (this.gdMpApi) this.multiplayerConnectionEnded();
    else this.connectionClosed.emit(wasClean);
  }

  /**
   * Called in `poll()` when the connection could not be established; emits
   * `connectionError` (in multiplayer mode, `connectionFailed`).
   */
  protected onError(): void {
    if (this.gdMpApi) this.multiplayerConnectionEnded();
    else this.connectionError.emit();
  }

  /** @internal */
  peerOpened(peer: WebSocketPeer): void {
    this.#records.push(RECORD_ESTABLISHED, peer.getSelectedProtocol(), undefined);
  }

  /** @internal */
  peerPacket(): void {
    this.#records.push(RECORD_PACKET, undefined, undefined);
  }

  /** @internal */
  peerPacketTaken(): void {}

  /** @internal */
  peerCloseRequested(_peer: WebSocketPeer, code: number, reason: string): void {
    this.#records.push(RECORD_CLOSE_REQUEST, code, reason);
  }

  /** @internal */
  peerClosed(_peer: WebSocketPeer, wasClean: boolean, wasOpen: boolean): void {
    if (wasOpen) this.#records.push(RECORD_CLOSED, wasClean, undefined);
    else this.#records.push(RECORD_ERROR, undefined, undefined);
  }

  #emitRecords(): void {
    const records = this.#records;
    this.#records = this.#spareRecords;
    for (let i = 0; i < records.length; i += 3) {
      switch (records[i]) {
        case RECORD_ESTABLISHED:
          this.onConnected(records[i + 1] as string);
          break;
        case RECORD_PACKET:
          this.onPacket();
          break;
        case RECORD_CLOSE_REQUEST:
          this.onCloseRequest(records[i + 1] as number, records[i + 2] as string);
          break;
        case RECORD_CLOSED:
          this.onClosed(records[i + 1] as boolean);
          break;
        case RECORD_ERROR:
          this.onError();
          break;
      }
    }
    records.length = 0;
    this.#spareRecords = records;
  }
}
