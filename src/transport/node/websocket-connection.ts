import { randomFillSync } from "node:crypto";
import type { EventEmitter } from "node:events";
import type net from "node:net";
import type WebSocket from "ws";
import { StagingBudget } from "../../core/StagingBudget.js";
import type { StagedEventTarget, StagingQueue } from "../../core/StagingQueue.js";
import { encodeFrame, FAILURE_REASONS, OPCODE_BINARY, OPCODE_TEXT } from "../../websocket/frames.js";
import {
  type PreparedFrame,
  type WebSocketConnection,
  WS_CLOSE_REQUEST,
  WS_CLOSED,
  WS_FAILED,
  WS_MESSAGE,
  WS_OPEN,
  WS_PONG,
} from "../websocket.js";
import { TickWriter } from "./websocket-writer.js";

/*
 * One ws WebSocket behind the WebSocketConnection interface. ws does the client
 * handshake, parses frames (with its limits and UTF-8 checks), answers pings and runs
 * the closing handshake; gdnet frames its own data messages and writes them to the
 * socket itself, batched per tick (see TickWriter), so a burst of sends in one frame
 * becomes one write. Listeners are module-level functions that find their connection
 * through a symbol, so a thousand connections share one copy of each.
 */

const CONNECTION = Symbol("gdnet.webSocketConnection");

type Tagged<T> = T & { [CONNECTION]?: NodeWebSocketConnection };

/** The parts of ws's internals gdnet relies on (stable across ws 8). */
interface WsInternals {
  _socket: net.Socket | null;
  _receiver: EventEmitter | null;
}

const allocate = (size: number): Uint8Array => Buffer.allocUnsafe(size);
const MASK_POOL_SIZE = 8 * 1024;
const maskPool = Buffer.alloc(MASK_POOL_SIZE);
let maskPoolOffset = MASK_POOL_SIZE;

/** Four fresh random bytes for a client frame's mask. */
function nextMask(): Uint8Array {
  if (maskPoolOffset === MASK_POOL_SIZE) {
    randomFillSync(maskPool);
    maskPoolOffset = 0;
  }
  const mask = maskPool.subarray(maskPoolOffset, maskPoolOffset + 4);
  maskPoolOffset += 4;
  return mask;
}

/** Encodes a frame in pooled memory: masked for a client, as it is for a server. */
export function encodeNodeFrame(opcode: number, data: Uint8Array, client: boolean): Buffer {
  return encodeFrame(opcode, data, client ? nextMask() : null, allocate) as Buffer;
}

/** Maps a ws receiver error to the close code Godot reports for it. */
function failureCode(error: NodeJS.ErrnoException): number {
  switch (error.code) {
    case "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH":
    case "WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH":
      return 1009;
    case "WS_ERR_INVALID_UTF8":
      return 1007;
    default:
      return 1002;
  }
}

/** A ws WebSocket as a {@link WebSocketConnection}. */
export class NodeWebSocketConnection extends TickWriter implements WebSocketConnection {
  readonly #ws: WebSocket;
  readonly #client: boolean;
  #queue: StagingQueue;
  #target: StagedEventTarget;
  #reporting = true;
  #opened = false;
  /** The owner wants messages (false once its packet queue is full). */
  #receiving = true;
  /** Bounds what is staged between two polls; made when the first message arrives. */
  #budget: StagingBudget | null = null;

  /**
   * @param ws a client WebSocket still connecting (WS_OPEN is staged when it opens), or
   *   a server-side one about to be given its socket (the caller then calls `markOpen`).
   */
  constructor(ws: WebSocket, client: boolean, queue: StagingQueue, target: StagedEventTarget) {
    super();
    this.#ws = ws;
    this.#client = client;
    this.#queue = queue;
    this.#target = target;
    (ws as Tagged<WebSocket>)[CONNECTION] = this;
    ws.on("message", onMessage);
    ws.on("pong", onPong);
    ws.on("error", onError);
    ws.on("close", onClose);
    if (client) ws.on("open", onOpen);
  }

  /** @internal The socket, once open. */
  get socket(): net.Socket | null {
    return this.outputSocket;
  }

  /** @internal Called when ws has opened: hooks the receiver's close-frame event. */
  markOpen(): void {
    const internals = this.#ws as unknown as WsInternals;
    this.#opened = true;
    this.outputSocket = internals._socket;
    const receiver = internals._receiver as Tagged<EventEmitter> | null;
    if (receiver !== null) {
      receiver[CONNECTION] = this;
      receiver.on("conclude", onConclude);
    }
  }

  /** @internal */
  stage(kind: number, a?: unknown, b?: unknown): void {
    if (this.#reporting) this.#queue.push(this.#target, kind, a, b);
  }

  /** @internal Called by the message handler: stages the message, within the staging budget. */
  stageMessage(data: Buffer, text: boolean): void {
    if (!this.#reporting) return;
    this.#queue.push(this.#target, WS_MESSAGE, data, text);
    if (this.#budget === null) this.#budget = new StagingBudget(this.#queue, this);
    this.#budget.staged(data.byteLength);
  }

  /** @internal Stages the terminal event and stops reporting. */
  stageTerminal(kind: number, a: unknown, b: unknown): void {
    this.stage(kind, a, b);
    this.#reporting = false;
  }

  /** @internal */
  get opened(): boolean {
    return this.#opened;
  }

  send(data: Uint8Array, text: boolean): void {
    if (this.canWrite())
      this.queueFrame(encodeNodeFrame(text ? OPCODE_TEXT : OPCODE_BINARY, data, this.#client));
  }

  sendPrepared(frame: PreparedFrame): void {
    this.queueFrame(frame as Buffer);
  }

  ping(): void {
    if (this.#ws.readyState !== 1) return;
    this.flush();
    this.#ws.ping();
  }

  close(code: number, reason: string): void {
    if (this.#ws.readyState !== 1) return;
    // The messages sent before the close frame go first.
    this.flush();
    this.#ws.close(code, reason);
  }

  shutdown(code: number, reason: string): void {
    this.#reporting = false;
    this.flush();
    const socket = this.outputSocket;
    if (this.#ws.readyState === 1 && socket !== null) {
      this.#ws.close(code, reason);
      // FIN after the close frame, then release the descriptor without waiting for the
      // remote's answer (ws's own close timer is cleared when the socket closes).
      socket.destroySoon();
    } else {
      this.#ws.terminate();
    }
  }

  destroy(): void {
    this.#reporting = false;
    this.discardFrames();
    this.#ws.terminate();
  }

  setNoDelay(enabled: boolean): void {
    const socket = this.outputSocket;
    if (socket !== null && !socket.destroyed) socket.setNoDelay(enabled);
  }

  setReceiving(enabled: boolean): void {
    this.#receiving = enabled;
    this.#updateReading();
  }

  /** @internal The staging budget holds reading until the owner's next drain, or lets it go on. */
  holdForDrain(_held: boolean): void {
    this.#updateReading();
  }

  /** Reads while the owner wants messages and within the staging budget. */
  #updateReading(): void {
    if (this.#receiving && !(this.#budget?.holding ?? false)) this.#ws.resume();
    else this.#ws.pause();
  }

  protected canWrite(): boolean {
    return this.#ws.readyState === 1;
  }
}

function onOpen(this: Tagged<WebSocket>): void {
  const connection = this[CONNECTION];
  if (connection === undefined) return;
  connection.markOpen();
  const socket = connection.socket;
  connection.stage(WS_OPEN, this.protocol, {
    remoteAddress: socket?.remoteAddress ?? "",
    remotePort: socket?.remotePort ?? 0,
  });
}

function onMessage(this: Tagged<WebSocket>, data: Buffer, isBinary: boolean): void {
  this[CONNECTION]?.stageMessage(data, !isBinary);
}

function onPong(this: Tagged<WebSocket>): void {
  this[CONNECTION]?.stage(WS_PONG);
}

function onConclude(this: Tagged<EventEmitter>, code: number, reason: Buffer): void {
  this[CONNECTION]?.stage(WS_CLOSE_REQUEST, code, reason.toString("utf8"));
}

function onError(this: Tagged<WebSocket>, error: NodeJS.ErrnoException): void {
  const connection = this[CONNECTION];
  if (connection === undefined || !connection.opened) return;
  if (typeof error.code !== "string" || !error.code.startsWith("WS_ERR_")) return;
  // ws has sent the matching close frame and stopped reading; the socket ends by itself.
  const code = failureCode(error);
  connection.stageTerminal(WS_FAILED, code, FAILURE_REASONS[code] ?? "");
}

function onClose(this: Tagged<WebSocket>, code: number, reason: Buffer): void {
  const connection = this[CONNECTION];
  if (connection === undefined) return;
  this[CONNECTION] = undefined;
  // 1006 is ws's "no close frame received"; it can never arrive in a frame.
  if (code === 1006) connection.stageTerminal(WS_CLOSED, -1, "");
  else connection.stageTerminal(WS_CLOSED, code, reason.toString("utf8"));
}

/** A connection that failed before it existed (ws refused the arguments): closed at the next poll. */
export class FailedWebSocketConnection implements WebSocketConnection {
  readonly bufferedAmount = 0;
  readonly queuedMessages = 0;
  constructor(queue: StagingQueue, target: StagedEventTarget) {
    queue.push(target, WS_CLOSED, -1, "");
  }
  send(): void {}
  sendPrepared(): void {}
  ping(): void {}
  close(): void {}
  shutdown(): void {}
  destroy(): void {}
  flush(): void {}
  setNoDelay(): void {}
  setReceiving(): void {}
}
