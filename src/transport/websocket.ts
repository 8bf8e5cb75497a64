import type { StagedEventTarget, StagingQueue } from "../core/StagingQueue.js";
import type { ErrorCode } from "../ErrorCode.js";
import type { DetachedStream } from "../StreamPeerTCP.js";
import type { TLSOptions } from "../TLSOptions.js";
import type { StreamConnection } from "./tcp.js";

/*
 * The WebSocket part of the transport interface. Platform code (ws on Node, the native
 * WebSocket in browsers, the in-memory network) implements it; WebSocketPeer and
 * WebSocketServer hold Godot's state machine and talk only to it. Every event is staged
 * into the owner's StagingQueue (a server stages all its peers into one) and applied by
 * the owner's poll().
 *
 * A connection reports, in order: WS_OPEN once, then any number of WS_MESSAGE and
 * WS_PONG, at most one WS_CLOSE_REQUEST, and exactly one terminal event, WS_CLOSED or
 * WS_FAILED, after which it reports nothing. A connection that is destroyed reports
 * nothing more from that moment.
 */

/** Connection event: the handshake completed. `a`: the selected subprotocol (`""` for none), `b`: {@link WebSocketEndpoints}. */
export const WS_OPEN = 21;
/** Connection event: a complete message. `a`: `Uint8Array` (owned by the receiver), `b`: `true` for a text message. */
export const WS_MESSAGE = 22;
/** Connection event: the remote's close frame arrived. `a`: its code (1005 when it had none), `b`: its reason. */
export const WS_CLOSE_REQUEST = 23;
/**
 * Connection event, terminal: the connection is gone. `a`: the code of the close frame
 * received when the closing handshake completed, or -1 when it did not (reset, EOF
 * without a close frame, connect or handshake failure); `b`: the reason.
 */
export const WS_CLOSED = 24;
/**
 * Connection event, terminal: this side failed the connection because the remote broke
 * the protocol or sent a message over the size limit; a close frame with `a` (1002,
 * 1007, 1009) was sent and the connection is finishing on its own. `b`: Godot's reason.
 */
export const WS_FAILED = 25;
/** Connection event: a pong arrived. */
export const WS_PONG = 26;

/** Server event: listening has started. `a`: the local port. */
export const WS_SERVER_LISTENING = 31;
/** Server event: listening failed. `a`: the {@link ErrorCode}. */
export const WS_SERVER_ERROR = 32;
/** Server event: a TCP connection was accepted; its request has not been read. `a`: the {@link WebSocketHandshake}. */
export const WS_SERVER_INCOMING = 33;
/** Server event: a well-formed upgrade request arrived and waits for a decision. `a`: the {@link WebSocketHandshake}. */
export const WS_SERVER_REQUEST = 34;
/**
 * Server event: the transport refused a connection's upgrade itself (a malformed request,
 * an unsupported version, a head over the size limit) and answered it with an HTTP error.
 * `a`: the {@link WebSocketHandshake}, `b`: why, in words.
 */
export const WS_SERVER_REFUSED = 35;

/** Addresses of an open connection, reported with {@link WS_OPEN}. */
export interface WebSocketEndpoints {
  /** The remote IP address ("" when the platform does not tell, as in browsers). */
  remoteAddress: string;
  /** The remote port (0 when unknown). */
  remotePort: number;
  /** Server side: `ws://` or `wss://`, the request's Host header and path. */
  requestedUrl?: string;
}

/** An open (or opening) WebSocket, as the platform gives it to a public class. */
export interface WebSocketConnection {
  /** Sends one message as one final frame, handed to the network at once (SPEC §1.5). The payload is copied. */
  send(data: Uint8Array, text: boolean): void;
  /**
   * Sends a frame made by {@link WebSocketTransport.prepareFrame}, as it is: a broadcast
   * frames once and writes the same bytes to every server-side connection.
   */
  sendPrepared(frame: PreparedFrame): void;
  /** Sends a ping with an empty payload. */
  ping(): void;
  /**
   * Starts the closing handshake: sends a close frame with `code` (a valid code) and
   * `reason` (≤ 123 UTF-8 bytes). The terminal event follows when it completes or fails.
   */
  close(code: number, reason: string): void;
  /**
   * Sends a close frame and lets the connection finish on its own, reporting nothing
   * more (used when a server stops or gives a peer up).
   */
  shutdown(code: number, reason: string): void;
  /** Drops the connection now (no close frame); it reports nothing more. */
  destroy(): void;
  /** Real sockets only: drops the connection once `owner` is collected (see {@link StreamConnection.abortWhenCollected}). */
  abortWhenCollected?(owner: object): void;
  /** Hands bytes held back for the current tick (corked) to the network now. */
  flush(): void;
  /** Bytes accepted by `send` and not yet handed to the network. */
  readonly bufferedAmount: number;
  /** Messages accepted by `send` whose bytes have not all been handed to the network. */
  readonly queuedMessages: number;
  /** TCP_NODELAY (no effect where the platform has no such switch). */
  setNoDelay(enabled: boolean): void;
  /** Stops (false) or resumes (true) reading, so an owner that does not read applies backpressure. */
  setReceiving(enabled: boolean): void;
}

/** A frame encoded once for many connections (opaque to public classes). */
export type PreparedFrame = {
  /** The size of the encoded frame in bytes, counted against each peer's outbound limit. */
  readonly byteLength: number;
};

/** What a client connection needs, from a parsed URL. */
export interface WebSocketConnectRequest {
  /** The URL exactly as given to `connectToUrl` (with `ws://` added when it had no scheme). */
  url: string;
  /** `wss://`. */
  secure: boolean;
  /** The host name or IP address (no brackets). */
  host: string;
  /** The port. */
  port: number;
  /** The request target. */
  path: string;
  /** The `Host` header value. */
  hostHeader: string;
  /** Offered subprotocols. */
  protocols: readonly string[];
  /** Extra request header lines ("Name: value"). */
  headers: readonly string[];
  /** TLS client options for `wss://` (`null`: the platform's trust store). */
  tls: TLSOptions | null;
  /** The largest message accepted (larger ones fail the connection with 1009); 0 for no limit. */
  maxPayload: number;
}

/** How a server side answers a handshake it accepts. */
export interface WebSocketAcceptOptions {
  /** The subprotocols this side supports (Godot's choice rules apply). */
  protocols: readonly string[];
  /** Extra response header lines ("Name: value"). */
  headers: readonly string[];
  /** The largest message accepted; 0 for no limit. */
  maxPayload: number;
}

/** What a listening server needs. */
export interface WebSocketListenRequest {
  /** The port (0 picks a free one). */
  port: number;
  /** `"*"`, a wildcard address, or one IP address. */
  bindAddress: string;
  /** PEM private key for `wss`; `null` for plain `ws`. */
  tlsKey: string | null;
  /** PEM certificate chain for `wss`; `null` for plain `ws`. */
  tlsCert: string | null;
}

/** A listening WebSocket server socket. */
export interface WebSocketListener {
  /** The bound port; 0 while binding is still in progress. */
  readonly localPort: number;
  /** Stops listening and frees the port; pending handshakes are dropped. Open connections are unaffected. */
  close(): void;
}

/**
 * An upgrade request as a server's handshake hook sees it.
 */
export interface WebSocketHandshakeRequest {
  /** The request target (path and query), `""` until the request has arrived. */
  readonly path: string;
  /** Request headers by lower-case name (repeated headers joined with `,`). */
  readonly headers: ReadonlyMap<string, string>;
  /** The subprotocols the client offered, in its order. */
  readonly protocols: readonly string[];
  /** The client's IP address. */
  readonly remoteAddress: string;
  /** The client's port. */
  readonly remotePort: number;
}

/** A connection accepted by a listening server, before and while its upgrade is decided. */
export interface WebSocketHandshake extends WebSocketHandshakeRequest {
  /** Whether it was accepted, refused, or went away; nothing more can be done with it. */
  readonly settled: boolean;
  /**
   * Completes the upgrade with `protocol` and returns the open connection, whose events
   * go to `queue`/`target` from now on (it is open at once: no WS_OPEN is staged).
   */
  accept(
    protocol: string,
    options: WebSocketAcceptOptions,
    queue: StagingQueue,
    target: StagedEventTarget,
  ): WebSocketConnection;
  /** Answers with an HTTP error `status` and closes. */
  refuse(status: number): void;
  /** Drops the connection without an answer (a handshake timeout). */
  destroy(): void;
}

/** The WebSocket capability of a transport. */
export interface WebSocketTransport {
  /** Whether servers and `acceptStream` exist here (false in browsers). */
  readonly canServe: boolean;
  /** Whether `wss://` works here. */
  readonly hasTls: boolean;
  /**
   * Starts a client connection. Never blocks and never throws for network conditions:
   * the outcome arrives as {@link WS_OPEN} or {@link WS_CLOSED}.
   */
  connect(
    request: WebSocketConnectRequest,
    queue: StagingQueue,
    target: StagedEventTarget,
  ): WebSocketConnection;
  /**
   * Takes over an accepted TCP stream and runs the server side of the handshake with
   * `options` (Godot's `accept_stream`): {@link WS_OPEN} when the 101 is written, or
   * {@link WS_CLOSED} (-1) after answering a bad request with 400. `ERR_UNAVAILABLE`
   * where the platform cannot, `ERR_INVALID_PARAMETER` for a stream of another network.
   */
  accept(
    stream: DetachedStream,
    options: WebSocketAcceptOptions,
    queue: StagingQueue,
    target: StagedEventTarget,
  ): WebSocketConnection | ErrorCode;
  /**
   * Starts listening. Returns an error code for a failure known at once (a busy port
   * with `"*"`); otherwise a listener whose outcome may arrive later as
   * {@link WS_SERVER_LISTENING} or {@link WS_SERVER_ERROR}. Each accepted connection is
   * staged as {@link WS_SERVER_INCOMING}, then {@link WS_SERVER_REQUEST} once its request
   * is read; malformed requests are answered with 400 by the transport.
   */
  listen(
    request: WebSocketListenRequest,
    queue: StagingQueue,
    target: StagedEventTarget,
  ): WebSocketListener | ErrorCode;
  /** Encodes a server-side (unmasked) frame once, for {@link WebSocketConnection.sendPrepared}. */
  prepareFrame(data: Uint8Array, text: boolean): PreparedFrame;
}
