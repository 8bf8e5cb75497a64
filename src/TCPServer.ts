import { type StagedEventTarget, StagingQueue } from "./core/StagingQueue.js";
import { ErrorCode } from "./ErrorCode.js";
import { StreamPeerTCP } from "./StreamPeerTCP.js";
import { resolveNetwork } from "./transport/defaultTransport.js";
import type { NetworkOptions } from "./transport/Transport.js";
import {
  LISTENER_CONNECTION,
  LISTENER_ERROR,
  LISTENER_LISTENING,
  type StreamConnection,
  type StreamEndpoints,
  type TcpListener,
} from "./transport/tcp.js";

/** Accepted connections that may wait to be taken (Linux's default listen backlog). */
const MAX_PENDING_CONNECTIONS = 4096;

/**
 * A TCP listening socket that hands out connected {@link StreamPeerTCP}s.
 *
 * Ports Godot's `TCPServer`. Accepted connections are staged as they arrive and pulled
 * by {@link TCPServer.isConnectionAvailable} and {@link TCPServer.takeConnection} at
 * the moment they are called, as Godot's check reads the listening socket there, so
 * GDScript that never polls a `TCPServer` ports as written (SPEC §3). Nothing else
 * changes between two calls. {@link TCPServer.poll} is a gdnet addition that does the
 * same pull and reports the outcome of binding; calling it is harmless and optional.
 * With the default bind address `"*"` the port is bound during `listen()`, so a busy
 * port returns `ERR_ALREADY_IN_USE` at once and `getLocalPort()` is known; with a
 * specific address, binding completes asynchronously and its outcome is seen at the
 * next `poll()`. In the browser build `listen` returns `ERR_UNAVAILABLE`.
 */
export class TCPServer implements StagedEventTarget {
  /**
   * The most staged events (accepted connections, binding outcomes) one call applies
   * (SPEC §1.3); the rest stay staged, in order, for the next call. Taking a connection
   * stays one per `takeConnection()`, as in Godot. Default 4096; `Infinity` applies all.
   * gdnet addition.
   */
  pollBudget = 4096;
  readonly #options: NetworkOptions | undefined;
  readonly #queue = new StagingQueue();
  #listener: TcpListener | null = null;
  #listening = false;
  #localPort = 0;
  #pending: { connection: StreamConnection; endpoints: StreamEndpoints }[] = [];
  #pollError: ErrorCode = ErrorCode.OK;

  /** Creates a server that is not listening, on the default network or the one in `options`. */
  constructor(options?: NetworkOptions) {
    this.#options = options;
    // The server is the owner a recorder or a replay marks the polls of.
    resolveNetwork(options, this);
  }

  /**
   * Listens on `port` (0 picks a free one) at `bindAddress`: `"*"` (all interfaces, the
   * default), `"0.0.0.0"`, `"::"`, or one IP address. `ERR_ALREADY_IN_USE` when already
   * listening or the port is taken; `ERR_INVALID_PARAMETER` for a port outside 0–65535
   * or an address that is not an IP. Ports `TCPServer.listen`.
   */
  listen(port: number, bindAddress = "*"): ErrorCode {
    const tcp = resolveNetwork(this.#options).transport.tcp;
    if (tcp === null) return ErrorCode.ERR_UNAVAILABLE;
    if (this.#listener !== null) return ErrorCode.ERR_ALREADY_IN_USE;
    if (!Number.isInteger(port) || port < 0 || port > 65535) return ErrorCode.ERR_INVALID_PARAMETER;
    if (typeof bindAddress !== "string" || bindAddress.length === 0) return ErrorCode.ERR_INVALID_PARAMETER;
    const result = tcp.listen(port, bindAddress, this.#queue, this);
    if (typeof result === "number") return result;
    this.#listener = result;
    this.#listening = true;
    this.#localPort = result.localPort;
    this.#pollError = ErrorCode.OK;
    return ErrorCode.OK;
  }

  /**
   * Applies what happened since the last call: connections accepted, and for a specific
   * bind address the outcome of binding. Returns the binding error observed since the
   * last `poll()` (then `isListening()` is false), otherwise OK. gdnet addition: not
   * needed to accept connections, since {@link TCPServer.isConnectionAvailable} pulls
   * them itself.
   */
  poll(): ErrorCode {
    this.#pull();
    const error = this.#pollError;
    this.#pollError = ErrorCode.OK;
    return error;
  }

  /** Whether the server is listening. Ports `TCPServer.is_listening`. */
  isListening(): boolean {
    return this.#listening;
  }

  /**
   * Whether an accepted connection is waiting to be taken, counting those accepted since
   * the last call (they are pulled now, as Godot reads its socket here; no `poll()`
   * needed). Ports `TCPServer.is_connection_available`.
   */
  isConnectionAvailable(): boolean {
    this.#pull();
    return this.#pending.length > 0;
  }

  /**
   * Takes the oldest accepted connection as a {@link StreamPeerTCP} in
   * `STATUS_CONNECTED`, or returns `null` when there is none. Like
   * {@link TCPServer.isConnectionAvailable}, it first pulls the connections accepted
   * since the last call. Ports `TCPServer.take_connection`.
   */
  takeConnection(): StreamPeerTCP | null {
    this.#pull();
    const next = this.#pending.shift();
    if (next === undefined) return null;
    const peer = new StreamPeerTCP(this.#options);
    peer.acceptConnection(next.connection, next.endpoints);
    return peer;
  }

  /** Applies what was staged, within the budget. */
  #pull(): void {
    if (!this.#queue.isEmpty) this.#queue.drain(this.pollBudget > 0 ? this.pollBudget : 1);
  }

  /** The port listened on (useful after `listen(0)`); 0 when not known. Ports `TCPServer.get_local_port`. */
  getLocalPort(): number {
    return this.#localPort;
  }

  /**
   * Stops listening and frees the port. Connections accepted but not taken are closed;
   * connections already taken are unaffected. Ports `TCPServer.stop`.
   */
  stop(): void {
    this.#listener?.close();
    this.#listener = null;
    this.#listening = false;
    this.#localPort = 0;
    this.#queue.discard(this);
    for (const { connection } of this.#pending) connection.destroy();
    this.#pending = [];
  }

  /**
   * Stops listening, as {@link TCPServer.stop}, when a `using` declaration ends. gdnet
   * addition: Godot frees a `TCPServer` (closing its socket) when its last reference goes;
   * JavaScript has no such moment, so `using server = new TCPServer()` (TypeScript or a
   * bundler; Node 20 itself does not parse `using`) or an explicit `stop()` is the port.
   */
  [Symbol.dispose](): void {
    this.stop();
  }

  /** @internal Applies one staged listener event. */
  applyStagedEvent(kind: number, a: unknown, b: unknown): void {
    switch (kind) {
      case LISTENER_LISTENING:
        this.#localPort = a as number;
        return;
      case LISTENER_CONNECTION:
        if (this.#listener === null) {
          (a as StreamConnection).destroy();
          return;
        }
        // A backlog's worth waits to be taken; past it, new ones are refused as a full
        // listen backlog refuses them.
        if (this.#pending.length >= MAX_PENDING_CONNECTIONS) {
          (a as StreamConnection).destroy();
          return;
        }
        this.#pending.push({ connection: a as StreamConnection, endpoints: b as StreamEndpoints });
        return;
      case LISTENER_ERROR:
        this.#listener?.close();
        this.#listener = null;
        this.#listening = false;
        this.#localPort = 0;
        this.#pollError = a as ErrorCode;
        return;
    }
  }
}
