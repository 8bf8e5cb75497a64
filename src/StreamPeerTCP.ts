// Why this file is long: it is Godot's StreamPeerTCP, its status table and its API,
// each member documented where it is declared; the sockets are in transport/.
import { ByteQueue } from "./core/ByteQueue.js";
import type { Clock } from "./core/Clock.js";
import { type StagedEventTarget, StagingQueue } from "./core/StagingQueue.js";
import { ErrorCode } from "./ErrorCode.js";
import { StreamPeer } from "./StreamPeer.js";
import { resolveNetwork } from "./transport/defaultTransport.js";
import type { NetworkOptions, Transport } from "./transport/Transport.js";
import {
  type DetachedStream,
  STREAM_CONNECTED,
  STREAM_DATA,
  STREAM_END,
  STREAM_ERROR,
  type StreamConnection,
  type StreamEndpoints,
} from "./transport/tcp.js";

// Defined with the transport interface it belongs to; re-exported for its importers.
export type { DetachedStream } from "./transport/tcp.js";

const EMPTY = new Uint8Array(0);

/** Received bytes past which reading from the network pauses until the game reads. */
const RECEIVE_PAUSE_THRESHOLD = 4 * 1024 * 1024;

/**
 * A TCP connection, driven by `poll()`.
 *
 * Ports Godot's `StreamPeerTCP`. The status changes only inside {@link StreamPeerTCP.poll}
 * (and in {@link StreamPeerTCP.disconnectFromHost}); bytes that arrive between two polls
 * become readable at the next poll. Deviations, all for a non-blocking frame loop:
 * - writes are queued and return at once; reads that lack bytes consume nothing (see
 *   {@link StreamPeer});
 * - host names resolve asynchronously: `connectToHost` returns OK and a name that does
 *   not resolve gives `STATUS_ERROR` at a later poll (Godot blocks and returns
 *   `ERR_CANT_RESOLVE`);
 * - a remote's orderly close gives `STATUS_NONE` once the bytes it sent before are read
 *   (Godot drops them);
 * - in the browser build every connect returns `ERR_UNAVAILABLE`, as in Godot's web export.
 *
 * Lifetime: Godot frees a `StreamPeerTCP` when its last reference goes, closing the
 * socket; JavaScript drops it. Call {@link StreamPeerTCP.disconnectFromHost} (or let a
 * `using` declaration call `[Symbol.dispose]`). On real sockets a peer dropped while
 * connected has its connection aborted once the garbage collector collects it, which an
 * idle process may never do; on a `MemoryNetwork` it is never closed that way.
 */
export class StreamPeerTCP extends StreamPeer implements StagedEventTarget {
  /** Not connected. Ports `StreamPeerTCP.STATUS_NONE`. */
  static readonly STATUS_NONE = 0;
  /** Connecting. Ports `StreamPeerTCP.STATUS_CONNECTING`. */
  static readonly STATUS_CONNECTING = 1;
  /** Connected. Ports `StreamPeerTCP.STATUS_CONNECTED`. */
  static readonly STATUS_CONNECTED = 2;
  /** The connection failed or broke. Ports `StreamPeerTCP.STATUS_ERROR`. */
  static readonly STATUS_ERROR = 3;

  /**
   * How long a connection attempt may take, in milliseconds, before `poll()` gives up
   * with `STATUS_ERROR`. Default 30000. Ports the project setting
   * `network/limits/tcp/connect_timeout_seconds`.
   */
  connectTimeout = 30_000;

  /**
   * The most bytes that may wait to be sent; a write that would pass it returns
   * `ERR_OUT_OF_MEMORY` and queues nothing. Default 16 MiB; ≤ 0 means no limit.
   * gdnet addition: Godot blocks instead.
   */
  outboundBufferSize = 16 * 1024 * 1024;

  readonly #transport: Transport;
  readonly #now: Clock;
  readonly #queue = new StagingQueue();
  readonly #received = new ByteQueue();
  #connection: StreamConnection | null = null;
  #status: 0 | 1 | 2 | 3 = 0;
  #host = "";
  #port = 0;
  #localPort = 0;
  #bindAddress: string | undefined;
  #bindPort: number | undefined;
  #deadline = 0;
  #remoteEnded = false;
  #receivePaused = false;

  /** Creates an unconnected peer, on the default network or the one in `options`. */
  constructor(options?: NetworkOptions) {
    super();
    const { transport, now } = resolveNetwork(options, this);
    this.#transport = transport;
    this.#now = now;
  }

  /**
   * Chooses the local address and port for the next connection. `ERR_ALREADY_IN_USE`
   * when a connection is open or a port was already bound; `ERR_INVALID_PARAMETER` for
   * a port outside 0–65535 or a host that is neither `"*"` nor an IP address. A port that
   * cannot be bound makes the connection fail at a later poll.
   * Ports `StreamPeerTCP.bind`.
   */
  bind(port: number, host = "*"): ErrorCode {
    if (this.#transport.tcp === null) return ErrorCode.ERR_UNAVAILABLE;
    if (this.#status !== StreamPeerTCP.STATUS_NONE || this.#bindPort !== undefined)
      return ErrorCode.ERR_ALREADY_IN_USE;
    if (!Number.isInteger(port) || port < 0 || port > 65535) return ErrorCode.ERR_INVALID_PARAMETER;
    if (host !== "*" && !looksLikeIp(host)) return ErrorCode.ERR_INVALID_PARAMETER;
    this.#bindPort = port;
    this.#bindAddress = host;
    this.#localPort = port;
    return ErrorCode.OK;
  }

  /**
   * Starts connecting to `host:port` and returns at once: OK, and the status is
   * `STATUS_CONNECTING` until a later poll reports `STATUS_CONNECTED` or
   * `STATUS_ERROR`. `ERR_ALREADY_IN_USE` unless the status is `STATUS_NONE` (after an
   * error, call {@link StreamPeerTCP.disconnectFromHost} first, as in Godot);
   * `ERR_INVALID_PARAMETER` for an empty host or a port outside 1–65535.
   * Ports `StreamPeerTCP.connect_to_host`.
   */
  connectToHost(host: string, port: number): ErrorCode {
    const tcp = this.#transport.tcp;
    if (tcp === null) return ErrorCode.ERR_UNAVAILABLE;
    if (this.#status !== StreamPeerTCP.STATUS_NONE) return ErrorCode.ERR_ALREADY_IN_USE;
    if (typeof host !== "string" || host.length === 0) return ErrorCode.ERR_INVALID_PARAMETER;
    if (!Number.isInteger(port) || port < 1 || port > 65535) return ErrorCode.ERR_INVALID_PARAMETER;
    this.#reset();
    this.#status = StreamPeerTCP.STATUS_CONNECTING;
    this.#host = host;
    this.#port = port;
    this.#deadline = this.#now() + this.connectTimeout;
    this.#connection = tcp.connect(
      { host: stripBrackets(host), port, localAddress: this.#bindAddress, localPort: this.#bindPort },
      this.#queue,
      this,
    );
    // Real sockets only (a MemoryNetwork has no such hook): see the class's "Lifetime".
    this.#connection.abortWhenCollected?.(this);
    this.#bindAddress = undefined;
    this.#bindPort = undefined;
    return ErrorCode.OK;
  }

  /**
   * Applies everything that happened on the network since the last poll: connection
   * established or failed, bytes received, remote close. Returns OK, or the error that
   * ended the connection in this poll (`ERR_CONNECTION_ERROR` for a failed or timed-out
   * connect). Ports `StreamPeerTCP.poll`.
   */
  poll(): ErrorCode {
    const statusBefore = this.#status;
    this.#queue.drain();
    if (this.#status === StreamPeerTCP.STATUS_CONNECTING && this.#now() > this.#deadline) {
      this.#drop();
      this.#status = StreamPeerTCP.STATUS_ERROR;
    }
    if (this.#status === StreamPeerTCP.STATUS_CONNECTED && this.#remoteEnded && this.#received.length === 0) {
      this.disconnectFromHost();
    }
    if (this.#status === StreamPeerTCP.STATUS_ERROR && statusBefore !== StreamPeerTCP.STATUS_ERROR) {
      return ErrorCode.ERR_CONNECTION_ERROR;
    }
    return ErrorCode.OK;
  }

  /** The status as of the last poll. Ports `StreamPeerTCP.get_status`. */
  getStatus(): number {
    return this.#status;
  }

  /**
   * The remote address: the host passed to `connectToHost` until connected, then the
   * IP address connected to; `""` when not connected. Ports `StreamPeerTCP.get_connected_host`.
   */
  getConnectedHost(): string {
    return this.#host;
  }

  /** The remote port; 0 when not connected. Ports `StreamPeerTCP.get_connected_port`. */
  getConnectedPort(): number {
    return this.#port;
  }

  /** The local port; 0 before it is known. Ports `StreamPeerTCP.get_local_port`. */
  getLocalPort(): number {
    return this.#localPort;
  }

  /**
   * Closes the connection at once: status `STATUS_NONE`, unread bytes dropped, and the
   * remote sees an orderly close after what was already sent.
   * Ports `StreamPeerTCP.disconnect_from_host`.
   */
  disconnectFromHost(): void {
    if (this.#connection !== null) {
      this.#connection.close();
      this.#connection = null;
    }
    this.#reset();
    this.#status = StreamPeerTCP.STATUS_NONE;
  }

  /**
   * Disconnects, as {@link StreamPeerTCP.disconnectFromHost}, when a `using` declaration
   * ends (TypeScript or a bundler; Node 20 itself does not parse `using`). gdnet addition:
   * stands for Godot freeing the peer when its last reference goes.
   */
  [Symbol.dispose](): void {
    this.disconnectFromHost();
  }

  /** Enables or disables Nagle's algorithm (TCP_NODELAY). Ports `StreamPeerTCP.set_no_delay`. */
  setNoDelay(enabled: boolean): void {
    this.#connection?.setNoDelay(enabled);
  }

  /** Bytes received and not yet read (0 unless connected). Ports `get_available_bytes`. */
  getAvailableBytes(): number {
    return this.#status === StreamPeerTCP.STATUS_CONNECTED ? this.#received.length : 0;
  }

  /**
   * Queues as much of `data` as the outbound limit allows; returns how much was taken.
   * `FAILED` when not connected. Ports `StreamPeerTCP.put_partial_data`.
   */
  putPartialData(data: Uint8Array): [ErrorCode, number] {
    if (!(data instanceof Uint8Array)) throw new TypeError("putPartialData expects a Uint8Array");
    if (this.#status !== StreamPeerTCP.STATUS_CONNECTED) return [ErrorCode.FAILED, 0];
    if (data.byteLength === 0) return [ErrorCode.OK, 0];
    const connection = this.#connection!;
    const room =
      this.outboundBufferSize > 0
        ? Math.max(0, this.outboundBufferSize - connection.bufferedAmount)
        : data.byteLength;
    const count = Math.min(room, data.byteLength);
    if (count > 0) connection.write(count === data.byteLength ? data : data.subarray(0, count));
    return [ErrorCode.OK, count];
  }

  /**
   * Reads up to `bytes` of the bytes received so far, without waiting. Like Godot's
   * (one `recv`), it may return fewer bytes than are available: at most what one read
   * from the network brought, handed over without copying; call again for the rest.
   * `FAILED` when not connected; `ERR_FILE_EOF` when the remote has closed and
   * everything was read. Ports `StreamPeerTCP.get_partial_data`.
   */
  getPartialData(bytes: number): [ErrorCode, Uint8Array] {
    if (!Number.isInteger(bytes) || bytes < 0) return [ErrorCode.ERR_INVALID_PARAMETER, EMPTY];
    if (this.#status !== StreamPeerTCP.STATUS_CONNECTED) return [ErrorCode.FAILED, EMPTY];
    if (this.#received.length === 0 && this.#remoteEnded) return [ErrorCode.ERR_FILE_EOF, EMPTY];
    const out = this.#received.takeChunk(bytes);
    this.#afterRead();
    return [ErrorCode.OK, out];
  }

  /**
   * Bytes received since the last poll and staged for the next one, bounded by the
   * staging budget (SPEC §1.3a). For tests of that bound.
   * @internal
   */
  get stagedBytes(): number {
    return this.#connection?.stagedBytes ?? 0;
  }

  /** @internal */
  protected readExact(target: Uint8Array, length: number): ErrorCode {
    if (this.#status !== StreamPeerTCP.STATUS_CONNECTED) return ErrorCode.FAILED;
    if (!this.#received.read(target, length)) return ErrorCode.ERR_UNAVAILABLE;
    this.#afterRead();
    return ErrorCode.OK;
  }

  /** @internal */
  protected peekExact(target: Uint8Array, length: number): boolean {
    return this.#status === StreamPeerTCP.STATUS_CONNECTED && this.#received.peek(target, length);
  }

  /** @internal */
  protected writeAll(data: Uint8Array): ErrorCode {
    if (this.#status !== StreamPeerTCP.STATUS_CONNECTED) return ErrorCode.FAILED;
    const connection = this.#connection!;
    if (
      this.outboundBufferSize > 0 &&
      connection.bufferedAmount + data.byteLength > this.outboundBufferSize
    ) {
      return ErrorCode.ERR_OUT_OF_MEMORY;
    }
    connection.write(data);
    return ErrorCode.OK;
  }

  /** @internal Applies one staged network event. */
  applyStagedEvent(kind: number, a: unknown, b: unknown): void {
    switch (kind) {
      case STREAM_CONNECTED: {
        if (this.#status !== StreamPeerTCP.STATUS_CONNECTING) return;
        const endpoints = a as StreamEndpoints;
        this.#status = StreamPeerTCP.STATUS_CONNECTED;
        this.#host = endpoints.remoteAddress || this.#host;
        this.#localPort = endpoints.localPort;
        return;
      }
      case STREAM_DATA: {
        if (this.#status !== StreamPeerTCP.STATUS_CONNECTED) return;
        this.#received.push(a as Uint8Array);
        if (!this.#receivePaused && this.#received.length > RECEIVE_PAUSE_THRESHOLD) {
          this.#receivePaused = true;
          this.#connection?.setReceiving(false);
        }
        return;
      }
      case STREAM_END:
        this.#remoteEnded = true;
        return;
      case STREAM_ERROR:
        void b;
        if (
          this.#status === StreamPeerTCP.STATUS_CONNECTING ||
          this.#status === StreamPeerTCP.STATUS_CONNECTED
        ) {
          this.#drop();
          this.#status = StreamPeerTCP.STATUS_ERROR;
        }
        return;
    }
  }

  /**
   * Makes this peer the accepted side of `connection` (`TCPServer.takeConnection`).
   * @internal
   */
  acceptConnection(connection: StreamConnection, endpoints: StreamEndpoints): void {
    this.#reset();
    this.#connection = connection;
    this.#status = StreamPeerTCP.STATUS_CONNECTED;
    this.#host = endpoints.remoteAddress;
    this.#port = endpoints.remotePort;
    this.#localPort = endpoints.localPort;
    // Before attaching: what the connection held for its new owner is staged at attach.
    this.#transport.adopt?.(this.#queue, this);
    connection.attach(this.#queue, this);
    connection.abortWhenCollected?.(this);
  }

  /**
   * Hands the connection, with the bytes received but not read, to another owner
   * (`WebSocketPeer.acceptStream`). This peer is left in `STATUS_NONE`. `null` unless
   * connected. Staged events not yet applied are applied first.
   * @internal
   */
  detachConnection(): DetachedStream | null {
    this.#queue.drain();
    if (this.#status !== StreamPeerTCP.STATUS_CONNECTED || this.#connection === null) return null;
    const connection = this.#connection;
    const buffered = this.#received.take(this.#received.length);
    const endpoints: StreamEndpoints = {
      localAddress: "",
      localPort: this.#localPort,
      remoteAddress: this.#host,
      remotePort: this.#port,
    };
    const wasPaused = this.#receivePaused;
    // The new owner takes over the connection's lifetime (abortWhenCollected) from here.
    this.#connection = null;
    this.#reset();
    this.#status = StreamPeerTCP.STATUS_NONE;
    if (wasPaused) connection.setReceiving(true);
    return { connection, buffered, endpoints, transport: this.#transport, now: this.#now };
  }

  #afterRead(): void {
    if (this.#receivePaused && this.#received.length < RECEIVE_PAUSE_THRESHOLD / 2) {
      this.#receivePaused = false;
      this.#connection?.setReceiving(true);
    }
  }

  /** Releases the connection after a failure. */
  #drop(): void {
    if (this.#connection !== null) {
      this.#connection.destroy();
      this.#connection = null;
    }
    this.#queue.discard(this);
    this.#received.clear();
    this.#remoteEnded = false;
    this.#receivePaused = false;
  }

  #reset(): void {
    this.#queue.discard(this);
    this.#received.clear();
    this.#host = "";
    this.#port = 0;
    this.#localPort = this.#bindPort ?? 0;
    this.#remoteEnded = false;
    this.#receivePaused = false;
    this.#deadline = 0;
  }
}

function looksLikeIp(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || /^\[?[0-9a-fA-F:.]+\]?$/.test(host);
}

function stripBrackets(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}
