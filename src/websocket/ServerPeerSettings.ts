import { ErrorCode } from "../ErrorCode.js";
import type { WebSocketPeer } from "../WebSocketPeer.js";

/** Options of `WebSocketServer.listen`; each also exists as a server property. */
export interface WebSocketServerOptions {
  /** `"*"` (the default: every interface, bound synchronously), a wildcard or one IP address. */
  bindAddress?: string;
  /** Subprotocols accepted (a client must offer one of them when any are set). */
  supportedProtocols?: readonly string[];
  /** Extra header lines ("Name: value") in every 101 response. */
  handshakeHeaders?: readonly string[];
  /** PEM private key for `wss`; needs `tlsCert`. */
  tlsKey?: string | null;
  /** PEM certificate chain for `wss`; needs `tlsKey`. */
  tlsCert?: string | null;
  /** Every peer's `inboundBufferSize`. */
  inboundBufferSize?: number;
  /** Every peer's `outboundBufferSize`. */
  outboundBufferSize?: number;
  /** Every peer's `maxQueuedPackets`. */
  maxQueuedPackets?: number;
  /** Every peer's `heartbeatInterval`, in seconds. */
  heartbeatInterval?: number;
  /** Every peer's `closeTimeout`, in seconds. */
  closeTimeout?: number;
  /** Seconds a connection may take from TCP accept to a complete upgrade. */
  handshakeTimeout?: number;
  /** The most peers connected at once. */
  maxPeers?: number;
  /**
   * Godot 3's high-level multiplayer mode (`gd_mp_api`): the server becomes a
   * multiplayer peer speaking the 9-byte-header protocol (see docs/multiplayer.md).
   */
  gdMpApi?: boolean;
}

/**
 * The settings a WebSocketServer applies to every peer it accepts, as server
 * properties (the base of `WebSocketServer`; see there).
 */
export abstract class ServerPeerSettings {
  /** The address `listen` binds to. Default `"*"`. Ports Godot 3's `bind_ip`. */
  bindAddress = "*";
  /**
   * Extra header lines ("Name: value") in every 101 response. Default `[]`.
   * Ports Godot 4's `WebSocketMultiplayerPeer.handshake_headers`.
   */
  handshakeHeaders: string[] = [];
  /** PEM private key for `wss` (with `tlsCert`). Default `null`. Ports Godot 3's `private_key`. */
  tlsKey: string | null = null;
  /** PEM certificate chain for `wss` (with `tlsKey`). Default `null`. Ports Godot 3's `ssl_certificate`. */
  tlsCert: string | null = null;
  /**
   * Every peer's `inboundBufferSize` (largest message). Default 65535.
   * Ports `WebSocketMultiplayerPeer.inbound_buffer_size` (Godot 3: `set_buffers`).
   */
  inboundBufferSize = 65535;
  /**
   * Every peer's `outboundBufferSize`, so a peer that never reads cannot grow the
   * server's memory: sends to it fail once this much waits. Default 65535.
   * Ports `WebSocketMultiplayerPeer.outbound_buffer_size` (Godot 3: `set_buffers`).
   */
  outboundBufferSize = 65535;
  /**
   * Every peer's `maxQueuedPackets`. Default 4096.
   * Ports `WebSocketMultiplayerPeer.max_queued_packets` (Godot 3: `set_buffers`).
   */
  maxQueuedPackets = 4096;
  /** Every peer's `closeTimeout`, in seconds. Default 5. gdnet addition (Godot waits forever). */
  closeTimeout = 5;
  /**
   * Seconds a connection may take from TCP accept to a complete upgrade before it is
   * dropped (a client that never upgrades). Default 3. Ports `handshake_timeout`.
   */
  handshakeTimeout = 3;
  /**
   * The most peers connected at once; an upgrade past it is refused with HTTP 503.
   * Default `Infinity`. gdnet addition.
   */
  maxPeers = Number.POSITIVE_INFINITY;

  #supportedProtocols: string[] = [];
  #heartbeatInterval = 0;

  /**
   * Subprotocols accepted; the setter strips whitespace. Default `[]`.
   * Ports `WebSocketMultiplayerPeer.supported_protocols` (Godot 3: `listen(port, protocols)`).
   */
  get supportedProtocols(): string[] {
    return this.#supportedProtocols.slice();
  }

  /** Sets the subprotocols, each stripped of surrounding whitespace. */
  set supportedProtocols(protocols: readonly string[]) {
    this.#supportedProtocols = protocols.map((protocol) => String(protocol).trim());
  }

  /**
   * Every peer's `heartbeatInterval`, in seconds (negative values ignored). Default 0.
   * gdnet addition: Godot 4 sets `WebSocketPeer.heartbeat_interval` per peer only.
   */
  get heartbeatInterval(): number {
    return this.#heartbeatInterval;
  }

  /** Sets every peer's interval in seconds; negative or not finite values are ignored. */
  set heartbeatInterval(seconds: number) {
    if (seconds >= 0 && Number.isFinite(seconds)) this.#heartbeatInterval = seconds;
  }

  /** Whether the server is listening (settings cannot change then). */
  abstract isListening(): boolean;

  /**
   * Sets the peers' buffers the Godot 3 way: inbound and outbound sizes in KiB, and
   * packet counts (one limit here: the larger of the two). `FAILED` while listening.
   * Ports Godot 3's `set_buffers`.
   */
  setBuffers(
    inputBufferSizeKb: number,
    inputMaxPackets: number,
    outputBufferSizeKb: number,
    outputMaxPackets: number,
  ): ErrorCode {
    if (this.isListening()) return ErrorCode.FAILED;
    for (const value of [inputBufferSizeKb, inputMaxPackets, outputBufferSizeKb, outputMaxPackets]) {
      if (!Number.isInteger(value) || value <= 0) return ErrorCode.ERR_INVALID_PARAMETER;
    }
    this.inboundBufferSize = inputBufferSizeKb * 1024;
    this.outboundBufferSize = outputBufferSizeKb * 1024;
    this.maxQueuedPackets = Math.max(inputMaxPackets, outputMaxPackets);
    return ErrorCode.OK;
  }

  /** @internal Copies `options` into the properties. */
  protected applyOptions(options: WebSocketServerOptions): void {
    if (options.bindAddress !== undefined) this.bindAddress = options.bindAddress;
    if (options.supportedProtocols !== undefined) this.supportedProtocols = options.supportedProtocols;
    if (options.handshakeHeaders !== undefined) this.handshakeHeaders = [...options.handshakeHeaders];
    if (options.tlsKey !== undefined) this.tlsKey = options.tlsKey;
    if (options.tlsCert !== undefined) this.tlsCert = options.tlsCert;
    if (options.inboundBufferSize !== undefined) this.inboundBufferSize = options.inboundBufferSize;
    if (options.outboundBufferSize !== undefined) this.outboundBufferSize = options.outboundBufferSize;
    if (options.maxQueuedPackets !== undefined) this.maxQueuedPackets = options.maxQueuedPackets;
    if (options.heartbeatInterval !== undefined) this.heartbeatInterval = options.heartbeatInterval;
    if (options.closeTimeout !== undefined) this.closeTimeout = options.closeTimeout;
    if (options.handshakeTimeout !== undefined) this.handshakeTimeout = options.handshakeTimeout;
    if (options.maxPeers !== undefined) this.maxPeers = options.maxPeers;
  }

  /** @internal Gives a new peer the server's settings. */
  protected configurePeer(peer: WebSocketPeer): void {
    peer.supportedProtocols = this.#supportedProtocols;
    peer.handshakeHeaders = this.handshakeHeaders;
    peer.inboundBufferSize = this.inboundBufferSize;
    peer.outboundBufferSize = this.outboundBufferSize;
    peer.maxQueuedPackets = this.maxQueuedPackets;
    peer.heartbeatInterval = this.#heartbeatInterval;
    peer.closeTimeout = this.closeTimeout;
  }
}
