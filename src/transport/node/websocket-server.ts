import net from "node:net";
import tls from "node:tls";
import WebSocket from "ws";
import { detachString } from "../../core/bytes.js";
import type { StagedEventTarget, StagingQueue } from "../../core/StagingQueue.js";
import { ErrorCode } from "../../ErrorCode.js";
import {
  buildRefusal,
  buildServerResponse,
  checkClientRequest,
  HeadReader,
  parseHead,
  selectProtocol,
} from "../../websocket/handshake.js";
import {
  type WebSocketAcceptOptions,
  type WebSocketConnection,
  type WebSocketHandshake,
  type WebSocketListener,
  type WebSocketListenRequest,
  WS_CLOSED,
  WS_OPEN,
  WS_SERVER_ERROR,
  WS_SERVER_INCOMING,
  WS_SERVER_LISTENING,
  WS_SERVER_REQUEST,
} from "../websocket.js";
import { isBindAddress, NodeListener } from "./listener.js";
import { NodeWebSocketConnection } from "./websocket-connection.js";

/*
 * The server side of WebSocket on Node: gdnet reads and answers the upgrade request on
 * the raw socket itself (Godot's rules, the same code as the in-memory network), then
 * hands the socket to a ws WebSocket for framing. Used by listening servers and by
 * `acceptStream`. Listeners are module-level functions.
 */

const HANDSHAKE = Symbol("gdnet.webSocketHandshake");

type TaggedSocket = net.Socket & { [HANDSHAKE]?: NodeServerHandshake };

/** ws's server-side construction, which its typings do not declare (what ws's own server does). */
interface ServerSideWebSocket {
  new (
    address: null,
    protocols: undefined,
    options: { autoPong: boolean; closeTimeout: number },
  ): WebSocket & {
    setSocket(
      socket: net.Socket,
      head: Buffer,
      options: {
        allowSynchronousEvents: boolean;
        maxPayload: number;
        skipUTF8Validation: boolean;
        maxBufferedChunks: number;
        maxFragments: number;
      },
    ): void;
  };
}

const ServerWebSocket = WebSocket as unknown as ServerSideWebSocket;
const EMPTY_HEADERS: ReadonlyMap<string, string> = new Map();
const EMPTY = Buffer.alloc(0);

/** One accepted socket until its upgrade is decided. */
export class NodeServerHandshake implements WebSocketHandshake {
  readonly socket: net.Socket;
  readonly remoteAddress: string;
  readonly remotePort: number;
  path = "";
  headers: ReadonlyMap<string, string> = EMPTY_HEADERS;
  protocols: readonly string[] = [];
  /** The connection the upgrade became, once accepted. */
  connection: WebSocketConnection | null = null;
  #queue: StagingQueue;
  #target: StagedEventTarget;
  #secure: boolean;
  /** `acceptStream`: decide by these options and report to the peer; null: ask the server. */
  #autoAccept: WebSocketAcceptOptions | null;
  #reader: HeadReader | null = new HeadReader();
  #key = "";
  #rest: Buffer = EMPTY;
  #settled = false;

  constructor(
    socket: net.Socket,
    secure: boolean,
    queue: StagingQueue,
    target: StagedEventTarget,
    autoAccept: WebSocketAcceptOptions | null,
  ) {
    this.socket = socket;
    this.remoteAddress = socket.remoteAddress ?? "";
    this.remotePort = socket.remotePort ?? 0;
    this.#secure = secure;
    this.#queue = queue;
    this.#target = target;
    this.#autoAccept = autoAccept;
    (socket as TaggedSocket)[HANDSHAKE] = this;
    socket.setNoDelay(true);
    socket.on("data", onHandshakeData);
    socket.on("error", onHandshakeGone);
    socket.on("close", onHandshakeGone);
    socket.on("end", onHandshakeGone);
  }

  get settled(): boolean {
    return this.#settled;
  }

  /** @internal Request bytes arrived. */
  receive(chunk: Uint8Array): void {
    const reader = this.#reader;
    if (reader === null) return;
    const result = reader.push(chunk);
    if (result === null) return;
    this.#reader = null;
    if (result === "too-big") {
      this.#fail(400);
      return;
    }
    const head = parseHead(result.head);
    const request = head === null ? 400 : checkClientRequest(head);
    if (typeof request === "number") {
      this.#fail(request);
      return;
    }
    this.path = request.path;
    this.headers = request.headers;
    this.protocols = request.protocols;
    this.#key = request.key;
    this.#rest = Buffer.from(result.rest.buffer, result.rest.byteOffset, result.rest.byteLength);
    // Nothing more is read until the upgrade is decided.
    this.socket.pause();
    const options = this.#autoAccept;
    if (options === null) {
      this.#queue.push(this.#target, WS_SERVER_REQUEST, this);
      return;
    }
    const protocol = selectProtocol(request.protocols, options.protocols);
    if (protocol === null) {
      this.#fail(400);
      return;
    }
    this.accept(protocol, options, this.#queue, this.#target);
    const url = detachString(
      `${this.#secure ? "wss" : "ws"}://${request.headers.get("host") ?? ""}${request.path}`,
    );
    this.#queue.push(this.#target, WS_OPEN, protocol, {
      remoteAddress: this.remoteAddress,
      remotePort: this.remotePort,
      requestedUrl: url,
    });
  }

  /** @internal The socket went away before the upgrade completed. */
  gone(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#release();
    this.socket.destroy();
    if (this.#autoAccept !== null) this.#queue.push(this.#target, WS_CLOSED, -1, "");
  }

  accept(
    protocol: string,
    options: WebSocketAcceptOptions,
    queue: StagingQueue,
    target: StagedEventTarget,
  ): WebSocketConnection {
    this.#settled = true;
    this.#release();
    const socket = this.socket;
    socket.write(buildServerResponse(this.#key, protocol, options.headers), "latin1");
    const ws = new ServerWebSocket(null, undefined, { autoPong: true, closeTimeout: 30_000 });
    const connection = new NodeWebSocketConnection(ws, false, queue, target);
    ws.setSocket(socket, this.#rest, {
      allowSynchronousEvents: true,
      maxPayload: options.maxPayload,
      skipUTF8Validation: false,
      maxBufferedChunks: 256 * 1024,
      maxFragments: 16 * 1024,
    });
    // ws has its own error listener now.
    socket.removeListener("error", ignoreError);
    socket.resume();
    connection.markOpen();
    this.connection = connection;
    return connection;
  }

  refuse(status: number): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#release();
    this.socket.end(buildRefusal(status), "latin1");
    this.socket.destroySoon();
  }

  destroy(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#release();
    this.socket.destroy();
  }

  #fail(status: number): void {
    this.refuse(status);
    if (this.#autoAccept !== null) this.#queue.push(this.#target, WS_CLOSED, -1, "");
  }

  #release(): void {
    const socket = this.socket as TaggedSocket;
    socket[HANDSHAKE] = undefined;
    socket.removeListener("data", onHandshakeData);
    socket.removeListener("close", onHandshakeGone);
    socket.removeListener("end", onHandshakeGone);
    socket.removeListener("error", onHandshakeGone);
    // Errors after the handover belong to ws; until then, a late one must not throw.
    socket.on("error", ignoreError);
  }
}

function ignoreError(): void {}

function onHandshakeData(this: TaggedSocket, chunk: Buffer): void {
  this[HANDSHAKE]?.receive(chunk);
}

function onHandshakeGone(this: TaggedSocket): void {
  this[HANDSHAKE]?.gone();
}

/** Takes over a socket from its previous owner (the TCP transport's listeners are removed). */
export function adoptSocket(socket: net.Socket): void {
  for (const event of ["connect", "data", "end", "error", "close", "timeout"])
    socket.removeAllListeners(event);
}

/** A net or tls server as a {@link WebSocketListener}. */
class NodeWebSocketListener extends NodeListener implements WebSocketListener {
  readonly secure: boolean;

  constructor(request: WebSocketListenRequest, queue: StagingQueue, target: StagedEventTarget) {
    const secure = request.tlsKey !== null && request.tlsCert !== null;
    let server: net.Server;
    if (secure) {
      server = tls.createServer({ key: request.tlsKey!, cert: request.tlsCert!, handshakeTimeout: 10_000 });
      server.on("tlsClientError", onTlsClientError);
    } else {
      server = net.createServer({ noDelay: true });
    }
    const kinds = { listening: WS_SERVER_LISTENING, error: WS_SERVER_ERROR };
    super(server, secure ? "secureConnection" : "connection", kinds, queue, target);
    this.secure = secure;
  }

  protected incoming(socket: net.Socket): void {
    const { queue, target } = this.owner!;
    queue.push(target, WS_SERVER_INCOMING, new NodeServerHandshake(socket, this.secure, queue, target, null));
  }
}

function onTlsClientError(_error: Error, socket: tls.TLSSocket): void {
  socket.destroy();
}

/** Starts listening (binding as TCPServer does: `"*"` synchronously). */
export function listenWebSocket(
  request: WebSocketListenRequest,
  queue: StagingQueue,
  target: StagedEventTarget,
): WebSocketListener | ErrorCode {
  const { port, bindAddress } = request;
  if (!isBindAddress(bindAddress)) return ErrorCode.ERR_INVALID_PARAMETER;
  let listener: NodeWebSocketListener;
  try {
    listener = new NodeWebSocketListener(request, queue, target);
  } catch {
    // A key or certificate that does not parse.
    return ErrorCode.ERR_INVALID_PARAMETER;
  }
  return listener.bind(port, bindAddress);
}
