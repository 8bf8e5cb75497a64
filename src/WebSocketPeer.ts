// Why this file is long: it is Godot's WebSocketPeer, one class with a large API whose
// members are each documented where they are declared; the protocol lives in
// websocket/StreamWebSocket.ts and the platforms in transport/.
import { utf8Encode } from "./core/bytes.js";
import type { Clock } from "./core/Clock.js";
import { type StagedEventTarget, StagingQueue } from "./core/StagingQueue.js";
import { ErrorCode } from "./ErrorCode.js";
import { PacketPeer } from "./PacketPeer.js";
import { StreamPeerTCP } from "./StreamPeerTCP.js";
import type { TLSOptions } from "./TLSOptions.js";
import { resolveNetwork } from "./transport/defaultTransport.js";
import type { NetworkOptions, Transport } from "./transport/Transport.js";
import {
  type PreparedFrame,
  type WebSocketConnection,
  type WebSocketEndpoints,
  WS_CLOSE_REQUEST,
  WS_CLOSED,
  WS_FAILED,
  WS_MESSAGE,
  WS_OPEN,
  WS_PONG,
} from "./transport/websocket.js";
import { isValidCloseCode, isValidCloseReason, stripTrailingNul } from "./websocket/close.js";
import type { WebSocketPeerObserver, WebSocketPeerOwner } from "./websocket/owner.js";
import { PacketQueue } from "./websocket/PacketQueue.js";
import { connectRequest, parseWebSocketUrl, plainAddress } from "./websocket/url.js";

const EMPTY = new Uint8Array(0);
const NEVER = Number.POSITIVE_INFINITY;
/** Shared by every peer without subprotocols (never modified). */
const NO_PROTOCOLS: string[] = [];

/**
 * A WebSocket connection, client or server side, driven by `poll()`.
 *
 * Ports Godot 4's `WebSocketPeer` (with Godot 3's `set_write_mode` for ported 3.x code).
 * The state changes inside {@link WebSocketPeer.poll}, and synchronously where Godot
 * changes it: `connectToUrl`/`acceptStream` (→ CONNECTING) and `close` (→ CLOSING or
 * CLOSED). Deviations, each in `docs/porting.md`:
 * - packets received before a close stay readable in CLOSING and CLOSED until read
 *   (Godot drops them);
 * - an unclean close reports -1 on every platform (browsers say 1006); a close is clean
 *   when the closing handshake completed, whichever side started it;
 * - a CLOSING peer whose remote never answers is CLOSED (-1) after
 *   {@link WebSocketPeer.closeTimeout} (Godot waits forever);
 * - `close` validates the code (RFC 6455's endpoint codes; the browser's rule in browsers)
 *   and the reason, and returns an `ErrorCode`;
 * - a peer dropped without `close()` on real sockets has its connection aborted once it
 *   is collected (Godot's freed peer closes without a frame), never on `MemoryNetwork`;
 * - a server with `supportedProtocols` answers a client that offers none of them with
 *   HTTP 400 (Godot drops the connection).
 */
export class WebSocketPeer extends PacketPeer implements StagedEventTarget {
  /** Connecting (handshake in progress). Ports `WebSocketPeer.STATE_CONNECTING`. */
  static readonly STATE_CONNECTING = 0;
  /** Open: messages flow. Ports `WebSocketPeer.STATE_OPEN`. */
  static readonly STATE_OPEN = 1;
  /** Closing handshake in progress. Ports `WebSocketPeer.STATE_CLOSING`. */
  static readonly STATE_CLOSING = 2;
  /** Closed, or never connected (a new peer's state). Ports `WebSocketPeer.STATE_CLOSED`. */
  static readonly STATE_CLOSED = 3;
  /** Text frames. Ports `WebSocketPeer.WRITE_MODE_TEXT`. */
  static readonly WRITE_MODE_TEXT = 0;
  /** Binary frames. Ports `WebSocketPeer.WRITE_MODE_BINARY`. */
  static readonly WRITE_MODE_BINARY = 1;

  /**
   * Extra header lines ("Name: value") sent with the client's request and the server's
   * 101 response. Default `[]`. Ignored in browsers. Ports `handshake_headers`.
   */
  handshakeHeaders: string[] = [];
  /**
   * The largest message accepted, in bytes; a larger one closes the connection with
   * 1009. Read when the connection opens. Default 65535. Ports `inbound_buffer_size`.
   */
  inboundBufferSize = 65535;
  /**
   * The most bytes that may wait to be sent; a `send` that would pass it returns
   * `ERR_OUT_OF_MEMORY`. ≤ 0 means no limit. Read on every send. Default 65535.
   * Ports `outbound_buffer_size`.
   */
  outboundBufferSize = 65535;
  /**
   * The most packets queued in each direction: outbound sends past it return
   * `ERR_OUT_OF_MEMORY`; inbound, reading pauses when this many wait (read when the
   * connection opens). Default 4096. Ports `max_queued_packets`.
   */
  maxQueuedPackets = 4096;
  /**
   * Seconds a CLOSING peer waits for the remote's close frame before it is CLOSED with
   * code -1. Default 5. gdnet addition (Godot waits forever).
   */
  closeTimeout = 5;

  /** @internal The owner's wake-up time for this peer (WebSocketServer bookkeeping). */
  wakeTime = NEVER;
  /** @internal The id its WebSocketServer gave it (0 for a peer of its own). */
  serverId = 0;

  readonly #transport: Transport;
  readonly #now: Clock;
  #ownQueue: StagingQueue | null = null;
  #owner: WebSocketPeerOwner | null = null;
  #observer: WebSocketPeerObserver | null = null;
  #connection: WebSocketConnection | null = null;
  #state = WebSocketPeer.STATE_CLOSED;
  #supportedProtocols: string[] = NO_PROTOCOLS;
  #heartbeatMs = 0;
  #writeMode = WebSocketPeer.WRITE_MODE_BINARY;
  #closeCode = -1;
  #closeReason = "";
  #selectedProtocol = "";
  #requestedUrl = "";
  #host = "";
  #port = 0;
  readonly #packets = new PacketQueue();
  #wasString = false;
  #receivingPaused = false;
  #lastPing = Number.NEGATIVE_INFINITY;
  #awaitingPong = false;
  /** When CLOSING gives up: NEVER while not closing, -1 until the next poll reads the clock. */
  #closeDeadline = NEVER;

  /** Creates a CLOSED peer, on the default network or the one in `options`. */
  constructor(options?: NetworkOptions) {
    super();
    const { transport, now } = resolveNetwork(options, this);
    this.#transport = transport;
    this.#now = now;
  }

  /**
   * Subprotocols: offered by a client, accepted by a server. The setter strips
   * whitespace from each entry. Default `[]`. Ports `supported_protocols`.
   */
  get supportedProtocols(): string[] {
    return this.#supportedProtocols.slice();
  }

  /** Sets the subprotocols, each stripped of surrounding whitespace. */
  set supportedProtocols(protocols: readonly string[]) {
    this.#supportedProtocols =
      protocols.length === 0 ? NO_PROTOCOLS : protocols.map((protocol) => String(protocol).trim());
  }

  /**
   * Seconds between pings while OPEN; a ping still unanswered when the next is due
   * closes the connection with -1. 0 (the default) disables; negative values are
   * ignored. Stored as whole milliseconds. No effect in browsers.
   * Ports `heartbeat_interval`.
   */
  get heartbeatInterval(): number {
    return this.#heartbeatMs / 1000;
  }

  /** Sets the interval in seconds; negative or not finite values are ignored. */
  set heartbeatInterval(seconds: number) {
    if (!(seconds >= 0) || !Number.isFinite(seconds)) return;
    this.#heartbeatMs = Math.trunc(seconds * 1000);
  }

  /**
   * Connects to `url` (`ws://` or `wss://`; no scheme means `ws://`) and returns at once:
   * OK with the state CONNECTING, then OPEN or CLOSED (code -1) at a later poll.
   * `ERR_INVALID_PARAMETER` for an empty or malformed URL, another scheme, or server
   * TLS options; `ERR_ALREADY_IN_USE` unless CLOSED or CLOSING; `ERR_UNAVAILABLE` for
   * `wss://` where TLS is missing. Host names resolve asynchronously (a name that does
   * not resolve gives CLOSED, -1). Ports `WebSocketPeer.connect_to_url`.
   */
  connectToUrl(url: string, tlsOptions: TLSOptions | null = null): ErrorCode {
    if (typeof url !== "string") throw new TypeError("connectToUrl expects a string URL");
    if (url.length === 0) return ErrorCode.ERR_INVALID_PARAMETER;
    if (tlsOptions?.isServer()) return ErrorCode.ERR_INVALID_PARAMETER;
    if (this.#owner !== null) return ErrorCode.ERR_ALREADY_IN_USE;
    if (this.#state !== WebSocketPeer.STATE_CLOSED && this.#state !== WebSocketPeer.STATE_CLOSING) {
      return ErrorCode.ERR_ALREADY_IN_USE;
    }
    const parsed = parseWebSocketUrl(url);
    if (typeof parsed === "number") return parsed;
    if (parsed.secure && !this.#transport.webSocket.hasTls) return ErrorCode.ERR_UNAVAILABLE;
    this.#reset();
    this.#requestedUrl = url;
    this.#state = WebSocketPeer.STATE_CONNECTING;
    this.#connection = this.#transport.webSocket.connect(
      connectRequest(
        url,
        parsed,
        this.#supportedProtocols,
        this.handshakeHeaders,
        tlsOptions,
        this.inboundBufferSize,
      ),
      this.#queue(),
      this,
    );
    this.#connection.abortWhenCollected?.(this);
    return ErrorCode.OK;
  }

  /**
   * Runs the server side of the handshake over an accepted TCP connection (from
   * `TCPServer.takeConnection`), which this peer takes over: OK and CONNECTING, then
   * OPEN at a later poll, or CLOSED (-1) after a bad request is answered with 400.
   * `ERR_INVALID_PARAMETER` for something that is not a connected `StreamPeerTCP`;
   * `ERR_ALREADY_IN_USE` unless CLOSED or CLOSING; `ERR_UNAVAILABLE` in browsers.
   * Ports `WebSocketPeer.accept_stream`.
   */
  acceptStream(stream: StreamPeerTCP): ErrorCode {
    if (!this.#transport.webSocket.canServe) return ErrorCode.ERR_UNAVAILABLE;
    if (!(stream instanceof StreamPeerTCP)) return ErrorCode.ERR_INVALID_PARAMETER;
    if (this.#owner !== null) return ErrorCode.ERR_ALREADY_IN_USE;
    if (this.#state !== WebSocketPeer.STATE_CLOSED && this.#state !== WebSocketPeer.STATE_CLOSING) {
      return ErrorCode.ERR_ALREADY_IN_USE;
    }
    if (stream.getStatus() !== StreamPeerTCP.STATUS_CONNECTED) return ErrorCode.ERR_INVALID_PARAMETER;
    const detached = stream.detachConnection();
    if (detached === null) return ErrorCode.ERR_INVALID_PARAMETER;
    this.#reset();
    const result = detached.transport.webSocket.accept(
      detached,
      {
        protocols: this.#supportedProtocols,
        headers: this.handshakeHeaders.slice(),
        maxPayload: Math.max(0, this.inboundBufferSize),
      },
      this.#queue(),
      this,
    );
    if (typeof result === "number") {
      detached.connection.destroy();
      return result;
    }
    this.#connection = result;
    this.#state = WebSocketPeer.STATE_CONNECTING;
    this.#host = plainAddress(detached.endpoints.remoteAddress);
    this.#port = detached.endpoints.remotePort;
    result.setNoDelay(true);
    result.abortWhenCollected?.(this);
    return ErrorCode.OK;
  }

  /**
   * Sends `message` as one frame: binary, or text with `WRITE_MODE_TEXT` (not checked
   * for UTF-8, as in Godot). An empty array sends an empty frame. `FAILED` unless OPEN;
   * `ERR_OUT_OF_MEMORY` (nothing queued) when it would pass `outboundBufferSize` or
   * `maxQueuedPackets`; `ERR_INVALID_PARAMETER` for an unknown write mode.
   * Ports `WebSocketPeer.send`.
   */
  send(message: Uint8Array, writeMode: number = WebSocketPeer.WRITE_MODE_BINARY): ErrorCode {
    if (!(message instanceof Uint8Array)) throw new TypeError("send expects a Uint8Array");
    if (writeMode !== WebSocketPeer.WRITE_MODE_TEXT && writeMode !== WebSocketPeer.WRITE_MODE_BINARY) {
      return ErrorCode.ERR_INVALID_PARAMETER;
    }
    return this.#send(message, writeMode === WebSocketPeer.WRITE_MODE_TEXT);
  }

  /** Sends the UTF-8 bytes of `message` as a text frame (see `send`). Ports `send_text`. */
  sendText(message: string): ErrorCode {
    if (typeof message !== "string") throw new TypeError("sendText expects a string");
    return this.#send(utf8Encode(message), true);
  }

  /**
   * Whether the packet most recently returned by `getPacket` was a text message.
   * Ports `WebSocketPeer.was_string_packet`.
   */
  wasStringPacket(): boolean {
    return this.#wasString;
  }

  /**
   * The frame type `putPacket`/`putVar` send. Default `WRITE_MODE_BINARY`.
   * Ports Godot 3's `WebSocketPeer.set_write_mode` (Godot 4 always sends binary there).
   */
  setWriteMode(mode: number): void {
    if (mode === WebSocketPeer.WRITE_MODE_TEXT || mode === WebSocketPeer.WRITE_MODE_BINARY)
      this.#writeMode = mode;
  }

  /** The frame type `putPacket` sends. Ports Godot 3's `WebSocketPeer.get_write_mode`. */
  getWriteMode(): number {
    return this.#writeMode;
  }

  /**
   * Applies what happened on the network since the last poll (handshake, messages,
   * close), then sends a heartbeat ping or gives up a silent or non-closing remote when
   * due. A peer of a `WebSocketServer` is polled by its server; calling this on it does
   * nothing. Ports `WebSocketPeer.poll`.
   */
  poll(): void {
    if (this.#owner !== null) return;
    if (this.#ownQueue !== null) this.#ownQueue.drain();
    // The clock is read only when a timer runs (heartbeat while OPEN, the closing timeout).
    if (
      (this.#state === WebSocketPeer.STATE_OPEN && this.#heartbeatMs > 0) ||
      this.#state === WebSocketPeer.STATE_CLOSING
    ) {
      this.serviceTimers(this.#now());
    }
  }

  /**
   * Closes, by state (Godot's table, reference §7.9): OPEN sends a close frame and
   * becomes CLOSING; CONNECTING becomes CLOSED at once; CLOSING does nothing; CLOSED
   * drops the packets still unread. A negative `code` closes at once without a close
   * frame. Returns `ERR_INVALID_PARAMETER` (and changes nothing) for a code an endpoint
   * may not send, or a reason over 123 UTF-8 bytes: on Node and `MemoryNetwork` every
   * code RFC 6455 allows (1000–1003, 1007–1014, 3000–4999); in browsers the browser's
   * rule (1000, 3000–4999). Ports `WebSocketPeer.close` (which returns nothing).
   */
  close(code = 1000, reason = ""): ErrorCode {
    if (typeof reason !== "string") throw new TypeError("close expects a string reason");
    if (!Number.isInteger(code)) return ErrorCode.ERR_INVALID_PARAMETER;
    if (code >= 0 && !isValidCloseCode(code, this.#transport.platform === "browser")) {
      return ErrorCode.ERR_INVALID_PARAMETER;
    }
    if (!isValidCloseReason(reason)) return ErrorCode.ERR_INVALID_PARAMETER;
    const state = this.#state;
    if (state === WebSocketPeer.STATE_CLOSED) {
      const dropped = this.#packets.count;
      this.#packets.clear();
      if (dropped > 0) this.#observer?.peerPacketTaken(this, dropped);
      return ErrorCode.OK;
    }
    if (code < 0 || state === WebSocketPeer.STATE_CONNECTING) {
      this.#abort(state !== WebSocketPeer.STATE_CONNECTING);
      return ErrorCode.OK;
    }
    if (state === WebSocketPeer.STATE_OPEN) {
      this.#connection!.close(code, reason);
      this.#state = WebSocketPeer.STATE_CLOSING;
      this.#startClosingTimer();
    }
    return ErrorCode.OK;
  }

  /**
   * Closes with 1000, as `close()` does, when a `using` declaration's scope ends
   * (`using peer = new WebSocketPeer()`; TypeScript 5.2+ or a bundler: Node 20 itself
   * does not parse `using`). gdnet addition.
   */
  [Symbol.dispose](): void {
    this.close();
  }

  /** The state as of the last poll. Ports `WebSocketPeer.get_ready_state`. */
  getReadyState(): number {
    return this.#state;
  }

  /**
   * The close code: the remote's close frame code once the closing handshake completed
   * (1005 when it carried none), the code this side sent when it failed the connection
   * (1009 for a message over the limit), and -1 for an unclean close or before any.
   * Ports `WebSocketPeer.get_close_code`.
   */
  getCloseCode(): number {
    return this.#closeCode;
  }

  /**
   * The close reason that goes with {@link WebSocketPeer.getCloseCode}; a trailing NUL
   * (Godot 3 appends one) is removed. Ports `WebSocketPeer.get_close_reason`.
   */
  getCloseReason(): string {
    return this.#closeReason;
  }

  /** The remote IP address, `""` unless connecting or connected. Ports `get_connected_host`. */
  getConnectedHost(): string {
    return this.#state === WebSocketPeer.STATE_CLOSED ? "" : this.#host;
  }

  /** The remote port, 0 unless connecting or connected. Ports `get_connected_port`. */
  getConnectedPort(): number {
    return this.#state === WebSocketPeer.STATE_CLOSED ? 0 : this.#port;
  }

  /**
   * Bytes sent and not yet handed to the network; 0 unless OPEN.
   * Ports `get_current_outbound_buffered_amount`.
   */
  getCurrentOutboundBufferedAmount(): number {
    return this.#state === WebSocketPeer.STATE_OPEN ? this.#connection!.bufferedAmount : 0;
  }

  /**
   * Client: the URL given to `connectToUrl`. Server side: `ws://` or `wss://`, the Host
   * header and the request path. Ports `WebSocketPeer.get_requested_url`.
   */
  getRequestedUrl(): string {
    return this.#requestedUrl;
  }

  /** The subprotocol agreed in the handshake, `""` for none. Ports `get_selected_protocol`. */
  getSelectedProtocol(): string {
    return this.#selectedProtocol;
  }

  /** TCP_NODELAY on the connection (Godot enables it already). Ports `set_no_delay`. */
  setNoDelay(enabled: boolean): void {
    this.#connection?.setNoDelay(enabled);
  }

  /** Whether the state is OPEN. Ports Godot 3's `WebSocketPeer.is_connected_to_host`. */
  isConnectedToHost(): boolean {
    return this.#state === WebSocketPeer.STATE_OPEN;
  }

  /**
   * Packets received and not yet read. Deviation: counted in every state (Godot counts
   * only while OPEN), so what arrived before a close can still be read.
   * Ports `PacketPeer.get_available_packet_count`.
   */
  getAvailablePacketCount(): number {
    return this.#packets.count;
  }

  /** @internal */
  protected readPacket(): [ErrorCode, Uint8Array] {
    if (this.#packets.count === 0) {
      return [this.#state === WebSocketPeer.STATE_OPEN ? ErrorCode.ERR_UNAVAILABLE : ErrorCode.FAILED, EMPTY];
    }
    this.#wasString = this.#packets.nextIsText;
    const data = this.#packets.shift();
    if (this.#receivingPaused && this.#packets.drained) {
      this.#receivingPaused = false;
      this.#connection?.setReceiving(true);
    }
    this.#observer?.peerPacketTaken(this, 1);
    return [ErrorCode.OK, data];
  }

  /** @internal `putPacket`/`putVar`: one frame of the write mode. */
  protected writePacket(buffer: Uint8Array): ErrorCode {
    return this.#send(buffer, this.#writeMode === WebSocketPeer.WRITE_MODE_TEXT);
  }

  /** @internal Applies one staged connection event. */
  applyStagedEvent(kind: number, a: unknown, b: unknown): void {
    const state = this.#state;
    if (state === WebSocketPeer.STATE_CLOSED) return;
    switch (kind) {
      case WS_OPEN:
        if (state === WebSocketPeer.STATE_CONNECTING) this.#open(a as string, b as WebSocketEndpoints);
        return;
      case WS_MESSAGE:
        this.#receive(a as Uint8Array, b as boolean);
        return;
      case WS_PONG:
        this.#awaitingPong = false;
        return;
      case WS_CLOSE_REQUEST:
        this.#closeCode = a as number;
        this.#closeReason = stripTrailingNul(b as string);
        if (state === WebSocketPeer.STATE_OPEN) {
          this.#state = WebSocketPeer.STATE_CLOSING;
          this.#startClosingTimer();
          this.#observer?.peerCloseRequested(this, this.#closeCode, this.#closeReason);
        }
        return;
      case WS_CLOSED:
        if (a !== -1) {
          this.#closeCode = a as number;
          this.#closeReason = stripTrailingNul(b as string);
        } else if (b !== "") {
          // A refused handshake: the server's status line, or the refusal this side sent.
          this.#closeReason = b as string;
        }
        this.#finish(a !== -1, state !== WebSocketPeer.STATE_CONNECTING, true);
        return;
      case WS_FAILED:
        this.#closeCode = a as number;
        this.#closeReason = b as string;
        this.#finish(false, true, true);
        return;
    }
  }

  /**
   * @internal Runs the heartbeat and closing timers at `now`; returns when they next
   * fall due (`Infinity` for never). Called by `poll()`, or by the owning server.
   */
  serviceTimers(now: number): number {
    let next = NEVER;
    // Browsers cannot send pings: the heartbeat is accepted there and does nothing.
    if (
      this.#state === WebSocketPeer.STATE_OPEN &&
      this.#heartbeatMs > 0 &&
      this.#transport.platform !== "browser"
    ) {
      if (now - this.#lastPing >= this.#heartbeatMs) {
        if (this.#awaitingPong) {
          this.#abort(true);
          return NEVER;
        }
        this.#connection!.ping();
        this.#awaitingPong = true;
        this.#lastPing = now;
      }
      next = this.#lastPing + this.#heartbeatMs;
    }
    if (this.#state === WebSocketPeer.STATE_CLOSING) {
      if (this.#closeDeadline < 0) this.#closeDeadline = now + Math.max(0, this.closeTimeout) * 1000;
      if (now >= this.#closeDeadline) {
        this.#abort(true);
        return NEVER;
      }
      next = Math.min(next, this.#closeDeadline);
    }
    return next;
  }

  /**
   * @internal Makes this peer the OPEN server side of `connection`, owned by a
   * WebSocketServer that polls it and is told what happens to it.
   */
  adoptServerConnection(
    owner: WebSocketPeerOwner & WebSocketPeerObserver,
    id: number,
    connection: WebSocketConnection,
    protocol: string,
    endpoints: WebSocketEndpoints,
    requestedUrl: string,
  ): void {
    this.#owner = owner;
    this.#observer = owner;
    this.serverId = id;
    this.#connection = connection;
    this.#state = WebSocketPeer.STATE_CONNECTING;
    this.#open(protocol, { ...endpoints, requestedUrl });
  }

  /** @internal Reports this peer's events to `observer` (WebSocketClient). */
  setObserver(observer: WebSocketPeerObserver | null): void {
    this.#observer = observer;
  }

  /** @internal Sends a prepared broadcast frame, with `send`'s checks. */
  sendPrepared(frame: PreparedFrame): ErrorCode {
    if (this.#state !== WebSocketPeer.STATE_OPEN) return ErrorCode.FAILED;
    const connection = this.#connection!;
    if (!this.#fits(connection, frame.byteLength)) return ErrorCode.ERR_OUT_OF_MEMORY;
    connection.sendPrepared(frame);
    return ErrorCode.OK;
  }

  /** @internal Closes with any valid protocol code (1001 when a server stops), and forgets the connection. */
  shutdown(code: number, reason: string): void {
    const connection = this.#connection;
    if (this.#state === WebSocketPeer.STATE_OPEN && connection !== null) connection.shutdown(code, reason);
    else connection?.destroy();
    this.#connection = null;
    this.#state = WebSocketPeer.STATE_CLOSED;
  }

  #send(data: Uint8Array, text: boolean): ErrorCode {
    if (this.#state !== WebSocketPeer.STATE_OPEN) return ErrorCode.FAILED;
    const connection = this.#connection!;
    if (!this.#fits(connection, data.byteLength)) return ErrorCode.ERR_OUT_OF_MEMORY;
    connection.send(data, text);
    return ErrorCode.OK;
  }

  /** Godot's outbound checks; bytes held back for this tick are handed over first if they are in the way. */
  #fits(connection: WebSocketConnection, length: number): boolean {
    if (this.#withinLimits(connection, length)) return true;
    connection.flush();
    return this.#withinLimits(connection, length);
  }

  #withinLimits(connection: WebSocketConnection, length: number): boolean {
    if (connection.queuedMessages >= this.maxQueuedPackets) return false;
    if (this.outboundBufferSize <= 0) return true;
    const total = connection.bufferedAmount + length;
    // Godot's web export refuses at `>=`, native at `>`.
    return this.#transport.platform === "browser"
      ? total < this.outboundBufferSize
      : total <= this.outboundBufferSize;
  }

  #open(protocol: string, endpoints: WebSocketEndpoints & { requestedUrl?: string }): void {
    this.#state = WebSocketPeer.STATE_OPEN;
    this.#selectedProtocol = protocol;
    if (endpoints.remoteAddress !== "") this.#host = plainAddress(endpoints.remoteAddress);
    if (endpoints.remotePort !== 0) this.#port = endpoints.remotePort;
    if (endpoints.requestedUrl !== undefined) this.#requestedUrl = endpoints.requestedUrl;
    this.#packets.setLimits(this.maxQueuedPackets, this.inboundBufferSize);
    this.#lastPing = Number.NEGATIVE_INFINITY;
    this.#awaitingPong = false;
    if (this.#owner !== null) {
      if (this.#heartbeatMs > 0) this.#owner.wakeAt(this, Number.NEGATIVE_INFINITY);
    } else {
      this.#observer?.peerOpened(this);
    }
  }

  #receive(data: Uint8Array, text: boolean): void {
    this.#packets.push(data, text);
    if (!this.#receivingPaused && this.#packets.full) {
      this.#receivingPaused = true;
      this.#connection?.setReceiving(false);
    }
    this.#observer?.peerPacket(this);
  }

  #startClosingTimer(): void {
    this.#closeDeadline = -1;
    this.#owner?.wakeAt(this, Number.NEGATIVE_INFINITY);
  }

  /**
   * Drops the connection without a close frame: CLOSED, code unchanged. `wasOpen` false
   * is a connect given up by `close()`, which nobody is told about.
   */
  #abort(wasOpen: boolean): void {
    const connection = this.#connection;
    this.#connection = null;
    connection?.destroy();
    this.#discardStaged();
    this.#finish(false, wasOpen, wasOpen);
  }

  #finish(clean: boolean, wasOpen: boolean, notify: boolean): void {
    this.#connection = null;
    this.#state = WebSocketPeer.STATE_CLOSED;
    this.#closeDeadline = NEVER;
    this.#awaitingPong = false;
    this.#receivingPaused = false;
    if (notify) this.#observer?.peerClosed(this, clean, wasOpen);
  }

  #discardStaged(): void {
    if (this.#owner !== null) this.#owner.queue.discard(this);
    else this.#ownQueue?.discard(this);
  }

  #queue(): StagingQueue {
    if (this.#ownQueue === null) this.#ownQueue = new StagingQueue();
    return this.#ownQueue;
  }

  /** Forgets the previous connection and everything it left (connect and accept start afresh). */
  #reset(): void {
    const connection = this.#connection;
    this.#connection = null;
    connection?.destroy();
    this.#discardStaged();
    this.#state = WebSocketPeer.STATE_CLOSED;
    this.#packets.clear();
    this.#wasString = false;
    this.#closeCode = -1;
    this.#closeReason = "";
    this.#selectedProtocol = "";
    this.#requestedUrl = "";
    this.#host = "";
    this.#port = 0;
    this.#receivingPaused = false;
    this.#awaitingPong = false;
    this.#closeDeadline = NEVER;
  }
}
