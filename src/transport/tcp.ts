import type { Clock } from "../core/Clock.js";
import type { StagedEventTarget, StagingQueue } from "../core/StagingQueue.js";
import type { ErrorCode } from "../ErrorCode.js";
import type { Transport } from "./Transport.js";

/*
 * The byte-stream part of the transport interface. Platform code (node:net, the
 * in-memory network) implements it; StreamPeerTCP and TCPServer talk only to it. Every
 * event is staged into the owner's StagingQueue and applied by the owner's poll().
 */

/** Addresses of an established stream, reported with {@link STREAM_CONNECTED}. */
export interface StreamEndpoints {
  /** The local IP address ("" when unknown). */
  localAddress: string;
  /** The local port. */
  localPort: number;
  /** The remote IP address. */
  remoteAddress: string;
  /** The remote port. */
  remotePort: number;
}

/**
 * Why a stream failed, as the platform saw it:
 * - `refused`: nothing listens at the address (ECONNREFUSED);
 * - `unresolved`: the host name did not resolve (any resolver failure);
 * - `reset`: the remote reset the connection (ECONNRESET, EPIPE);
 * - `unreachable`: no route, or the address cannot be used;
 * - `other`: anything else.
 */
export type StreamFailure = "refused" | "unresolved" | "reset" | "unreachable" | "other";

/** Stream event: the connection is established. `a`: {@link StreamEndpoints}. */
export const STREAM_CONNECTED = 1;
/** Stream event: bytes arrived. `a`: `Uint8Array` (owned by the receiver from now on). */
export const STREAM_DATA = 2;
/** Stream event: the remote finished sending (an orderly close, FIN). */
export const STREAM_END = 3;
/** Stream event: the connection failed or broke. `a`: {@link StreamFailure}, `b`: detail text. */
export const STREAM_ERROR = 4;

/** One TCP-like byte stream, as the platform gives it to a public class. */
export interface StreamConnection {
  /**
   * Where this connection's events go. A connection made by `connect` is attached from
   * the start; an accepted one holds its events (and pauses reading) until attached.
   */
  attach(queue: StagingQueue, target: StagedEventTarget): void;
  /**
   * Hands bytes to the platform at once (SPEC §1.5; a platform may hold the writes of
   * one tick and pass them on together, in order). Ignored once closed. `owned`: the
   * caller hands `bytes` over and never touches them again (otherwise they are copied
   * if they have to wait).
   */
  write(bytes: Uint8Array, owned?: boolean): void;
  /** Bytes accepted by `write` that the platform has not yet passed to the network. */
  readonly bufferedAmount: number;
  /** Writes accepted by `write` whose bytes have not all been passed to the network. */
  readonly queuedWrites: number;
  /**
   * Bytes received and staged since the owner's last drain: what the staging budget
   * holds against its cap (SPEC §1.3a). For tests and diagnostics.
   */
  readonly stagedBytes: number;
  /** Passes bytes held back for the current tick (see SPEC §1.5) to the network now. */
  flush(): void;
  /** TCP_NODELAY. */
  setNoDelay(enabled: boolean): void;
  /**
   * Stops (false) or resumes (true) taking bytes from the network, so an owner that is
   * not reading leaves the backlog in the network's buffers instead of in memory.
   */
  setReceiving(enabled: boolean): void;
  /**
   * Real sockets only: aborts the connection (no FIN, no close frame) once `owner` has
   * been garbage collected without closing it, as Godot frees a dropped peer. The
   * connection must hold `owner` only weakly for this to ever happen. Absent on
   * `MemoryNetwork`, whose runs must not depend on the collector.
   */
  abortWhenCollected?(owner: object): void;
  /** Orderly close: queued bytes go out, then FIN, then the connection is released. */
  close(): void;
  /** Releases the connection now; queued bytes are dropped. */
  destroy(): void;
}

/** Listener event: listening has started. `a`: the local port. */
export const LISTENER_LISTENING = 11;
/** Listener event: a connection was accepted. `a`: a detached {@link StreamConnection}, `b`: its {@link StreamEndpoints}. */
export const LISTENER_CONNECTION = 12;
/** Listener event: listening failed. `a`: the {@link ErrorCode}. */
export const LISTENER_ERROR = 13;

/** A listening socket. */
export interface TcpListener {
  /** The bound port; 0 while binding is still in progress. */
  readonly localPort: number;
  /** Stops listening and frees the port. Connections already accepted are unaffected. */
  close(): void;
}

/** What `connect` needs. */
export interface TcpConnectRequest {
  /** The host name or IP address to connect to. */
  host: string;
  /** The remote port. */
  port: number;
  /** The local address to bind before connecting (`StreamPeerTCP.bind`). */
  localAddress?: string;
  /** The local port to bind before connecting (`StreamPeerTCP.bind`). */
  localPort?: number;
}

/** The TCP capability of a transport. */
export interface TcpTransport {
  /**
   * Starts connecting. Never blocks and never throws for network conditions: the
   * outcome arrives as {@link STREAM_CONNECTED} or {@link STREAM_ERROR}.
   */
  connect(request: TcpConnectRequest, queue: StagingQueue, target: StagedEventTarget): StreamConnection;
  /**
   * Starts listening. Returns an error code for a failure known at once (a busy port
   * with the wildcard address); otherwise a listener whose outcome may arrive later as
   * {@link LISTENER_LISTENING} or {@link LISTENER_ERROR}.
   */
  listen(
    port: number,
    bindAddress: string,
    queue: StagingQueue,
    target: StagedEventTarget,
  ): TcpListener | ErrorCode;
}

/**
 * A TCP connection handed from a `StreamPeerTCP` to another owner, with the bytes it had
 * received and not yet read: what `WebSocketPeer.acceptStream` gives a transport's
 * `accept`. Part of the transport interface; games never hold one.
 */
export interface DetachedStream {
  /** The open connection, no longer read by the `StreamPeerTCP`. */
  connection: StreamConnection;
  /** Bytes already received and not yet read. */
  buffered: Uint8Array;
  /** Both ends' addresses and ports. */
  endpoints: StreamEndpoints;
  /** The transport the connection belongs to. */
  transport: Transport;
  /** The clock of the peer it came from. */
  now: Clock;
}
