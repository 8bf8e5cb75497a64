import { utf8Decode } from "../../core/bytes.js";
import type { StagedEventTarget, StagingQueue } from "../../core/StagingQueue.js";
import { ErrorCode } from "../../ErrorCode.js";
import {
  type PreparedFrame,
  type WebSocketConnection,
  type WebSocketConnectRequest,
  type WebSocketTransport,
  WS_CLOSE_REQUEST,
  WS_CLOSED,
  WS_MESSAGE,
  WS_OPEN,
} from "../websocket.js";

/*
 * The browser's native WebSocket behind the WebSocketConnection interface. As in Godot's
 * web export, the handlers only stage events; the peer applies them in poll(). Browsers
 * cannot serve, set request headers, ping or pause reading: `acceptStream` and servers
 * return ERR_UNAVAILABLE, handshake headers are ignored and the heartbeat does nothing.
 */

const CONNECTION = Symbol("gdnet.browserWebSocket");

type Tagged = WebSocket & { [CONNECTION]?: BrowserWebSocketConnection };

const textEncoder = new TextEncoder();

/** A native WebSocket as a {@link WebSocketConnection}. */
class BrowserWebSocketConnection implements WebSocketConnection {
  readonly queuedMessages = 0;
  #socket: WebSocket | null = null;
  readonly #queue: StagingQueue;
  readonly #target: StagedEventTarget;
  #reporting = true;

  constructor(request: WebSocketConnectRequest, queue: StagingQueue, target: StagedEventTarget) {
    this.#queue = queue;
    this.#target = target;
    const host = request.host.includes(":") ? `[${request.host}]` : request.host;
    const url = `${request.secure ? "wss" : "ws"}://${host}:${request.port}${request.path}`;
    let socket: WebSocket;
    try {
      socket = new WebSocket(url, request.protocols.slice());
    } catch {
      // The browser refuses some arguments (a malformed subprotocol, a blocked port).
      this.stage(WS_CLOSED, -1, "");
      this.#reporting = false;
      return;
    }
    socket.binaryType = "arraybuffer";
    (socket as Tagged)[CONNECTION] = this;
    socket.onopen = onOpen;
    socket.onmessage = onMessage;
    socket.onclose = onClose;
    this.#socket = socket;
  }

  /** @internal */
  stage(kind: number, a?: unknown, b?: unknown): void {
    if (this.#reporting) this.#queue.push(this.#target, kind, a, b);
  }

  /** @internal */
  stopReporting(): void {
    this.#reporting = false;
  }

  get bufferedAmount(): number {
    return this.#socket?.bufferedAmount ?? 0;
  }

  send(data: Uint8Array, text: boolean): void {
    const socket = this.#socket;
    if (socket === null || socket.readyState !== WebSocket.OPEN) return;
    // Godot's web export sends text as a decoded string, as the API requires for text frames.
    if (text) socket.send(utf8Decode(data));
    else socket.send(data.slice());
  }

  sendPrepared(_frame: PreparedFrame): void {}

  ping(): void {}

  close(code: number, reason: string): void {
    this.#socket?.close(code, reason);
  }

  shutdown(code: number, reason: string): void {
    this.#reporting = false;
    this.#socket?.close(code, reason);
  }

  destroy(): void {
    this.#reporting = false;
    const socket = this.#socket;
    if (socket !== null && socket.readyState !== WebSocket.CLOSED) socket.close();
  }

  flush(): void {}

  setNoDelay(_enabled: boolean): void {}

  setReceiving(_enabled: boolean): void {}
}

function onOpen(this: Tagged): void {
  this[CONNECTION]?.stage(WS_OPEN, this.protocol, { remoteAddress: "", remotePort: 0 });
}

function onMessage(this: Tagged, event: MessageEvent): void {
  const data = event.data;
  if (typeof data === "string") this[CONNECTION]?.stage(WS_MESSAGE, textEncoder.encode(data), true);
  else this[CONNECTION]?.stage(WS_MESSAGE, new Uint8Array(data as ArrayBuffer), false);
}

function onClose(this: Tagged, event: CloseEvent): void {
  const connection = this[CONNECTION];
  if (connection === undefined) return;
  this[CONNECTION] = undefined;
  // 1006 is the browser's "abnormal closure": no close frame; gdnet reports -1.
  if (event.code === 1006) {
    connection.stage(WS_CLOSED, -1, "");
  } else {
    connection.stage(WS_CLOSE_REQUEST, event.code, event.reason);
    connection.stage(WS_CLOSED, event.code, event.reason);
  }
  connection.stopReporting();
}

/** The WebSocket capability of the browser transport. */
export function createBrowserWebSocketTransport(): WebSocketTransport {
  return {
    canServe: false,
    hasTls: true,
    connect(
      request: WebSocketConnectRequest,
      queue: StagingQueue,
      target: StagedEventTarget,
    ): WebSocketConnection {
      return new BrowserWebSocketConnection(request, queue, target);
    },
    accept(): ErrorCode {
      return ErrorCode.ERR_UNAVAILABLE;
    },
    listen(): ErrorCode {
      return ErrorCode.ERR_UNAVAILABLE;
    },
    prepareFrame(data: Uint8Array): PreparedFrame {
      return { byteLength: data.byteLength };
    },
  };
}
