import WebSocket from "ws";
import type { StagedEventTarget, StagingQueue } from "../../core/StagingQueue.js";
import { ErrorCode } from "../../ErrorCode.js";
import type { DetachedStream } from "../../StreamPeerTCP.js";
import { OPCODE_BINARY, OPCODE_TEXT } from "../../websocket/frames.js";
import { headerPairs } from "../../websocket/handshake.js";
import type {
  PreparedFrame,
  WebSocketAcceptOptions,
  WebSocketConnection,
  WebSocketConnectRequest,
  WebSocketTransport,
} from "../websocket.js";
import { NodeStreamConnection } from "./tcp.js";
import {
  encodeNodeFrame,
  FailedWebSocketConnection,
  NodeWebSocketConnection,
} from "./websocket-connection.js";
import { adoptSocket, listenWebSocket, NodeServerHandshake } from "./websocket-server.js";

/** The ws client options for a connect request. */
function clientOptions(request: WebSocketConnectRequest): WebSocket.ClientOptions & { servername?: string } {
  const headers: Record<string, string> = {};
  for (const [name, value] of headerPairs(request.headers)) headers[name] = value;
  const options: WebSocket.ClientOptions & { servername?: string } = {
    perMessageDeflate: false,
    maxPayload: request.maxPayload,
    headers,
    followRedirects: false,
    autoPong: true,
    allowSynchronousEvents: true,
    skipUTF8Validation: false,
  };
  const tls = request.tls;
  if (request.secure && tls !== null) {
    const chain = tls.getTrustedCaChain();
    if (chain !== null) options.ca = chain;
    if (tls.isUnsafeClient()) options.rejectUnauthorized = false;
    const name = tls.getCommonNameOverride();
    if (name !== "") options.servername = name;
  }
  return options;
}

/** The WebSocket capability of the node transport: ws for framing, gdnet's own server handshake. */
export function createNodeWebSocketTransport(): WebSocketTransport {
  return {
    canServe: true,
    hasTls: true,

    connect(
      request: WebSocketConnectRequest,
      queue: StagingQueue,
      target: StagedEventTarget,
    ): WebSocketConnection {
      const host = request.host.includes(":") ? `[${request.host}]` : request.host;
      const url = `${request.secure ? "wss" : "ws"}://${host}:${request.port}${request.path}`;
      let ws: WebSocket;
      try {
        ws = new WebSocket(url, request.protocols.slice(), clientOptions(request));
      } catch {
        // ws refuses some arguments Godot would send (invalid subprotocol or header names).
        return new FailedWebSocketConnection(queue, target);
      }
      return new NodeWebSocketConnection(ws, true, queue, target);
    },

    accept(
      stream: DetachedStream,
      options: WebSocketAcceptOptions,
      queue: StagingQueue,
      target: StagedEventTarget,
    ): WebSocketConnection | ErrorCode {
      const connection = stream.connection;
      if (!(connection instanceof NodeStreamConnection)) return ErrorCode.ERR_INVALID_PARAMETER;
      const socket = connection.socket;
      if (socket.destroyed) return ErrorCode.ERR_INVALID_PARAMETER;
      adoptSocket(socket);
      const handshake = new NodeServerHandshake(socket, false, queue, target, {
        protocols: options.protocols.slice(),
        headers: options.headers.slice(),
        maxPayload: options.maxPayload,
      });
      return new PendingServerConnection(handshake, stream.buffered);
    },

    listen: listenWebSocket,

    prepareFrame(data: Uint8Array, text: boolean): PreparedFrame {
      return encodeNodeFrame(text ? OPCODE_TEXT : OPCODE_BINARY, data, false);
    },
  };
}

/**
 * The connection of an `acceptStream` peer: the handshake until the upgrade completes,
 * then the ws connection it became.
 */
class PendingServerConnection implements WebSocketConnection {
  readonly #handshake: NodeServerHandshake;

  constructor(handshake: NodeServerHandshake, buffered: Uint8Array) {
    this.#handshake = handshake;
    if (buffered.byteLength > 0) handshake.receive(buffered);
    handshake.socket.resume();
  }

  get bufferedAmount(): number {
    return this.#handshake.connection?.bufferedAmount ?? 0;
  }

  get queuedMessages(): number {
    return this.#handshake.connection?.queuedMessages ?? 0;
  }

  send(data: Uint8Array, text: boolean): void {
    this.#handshake.connection?.send(data, text);
  }

  sendPrepared(frame: PreparedFrame): void {
    this.#handshake.connection?.sendPrepared(frame);
  }

  ping(): void {
    this.#handshake.connection?.ping();
  }

  close(code: number, reason: string): void {
    this.#handshake.connection?.close(code, reason);
  }

  shutdown(code: number, reason: string): void {
    const connection = this.#handshake.connection;
    if (connection !== null) connection.shutdown(code, reason);
    else this.#handshake.destroy();
  }

  destroy(): void {
    const connection = this.#handshake.connection;
    if (connection !== null) connection.destroy();
    else this.#handshake.destroy();
  }

  flush(): void {
    this.#handshake.connection?.flush();
  }

  setNoDelay(enabled: boolean): void {
    if (!this.#handshake.socket.destroyed) this.#handshake.socket.setNoDelay(enabled);
  }

  setReceiving(enabled: boolean): void {
    this.#handshake.connection?.setReceiving(enabled);
  }
}
