import type { HeldWriter, StagingQueue } from "../core/StagingQueue.js";
import type { PreparedFrame, WebSocketConnection } from "../transport/websocket.js";

/*
 * Outbound conditions for a WebSocket that does not write through a StreamConnection (the
 * browser's own): each send and close waits in the queue's DelayLine like a write, in
 * order, and is done when released. What waits counts in the buffered amount, so the
 * peer's outbound limits hold.
 */

const SEND = 0;
const CLOSE = 1;
const SHUTDOWN = 2;

interface HeldOperation {
  kind: typeof SEND | typeof CLOSE | typeof SHUTDOWN;
  data: Uint8Array;
  text: boolean;
  code: number;
  reason: string;
}

const EMPTY = new Uint8Array(0);

/** A WebSocket connection whose sends and closes the conditions on `queue` hold back. */
export class HeldWebSocketConnection implements WebSocketConnection, HeldWriter {
  readonly #connection: WebSocketConnection;
  readonly #queue: StagingQueue;
  readonly #held: HeldOperation[] = [];
  #heldBytes = 0;

  constructor(connection: WebSocketConnection, queue: StagingQueue) {
    this.#connection = connection;
    this.#queue = queue;
  }

  get bufferedAmount(): number {
    return this.#connection.bufferedAmount + this.#heldBytes;
  }

  get queuedMessages(): number {
    return this.#connection.queuedMessages + this.#held.length;
  }

  send(data: Uint8Array, text: boolean): void {
    this.#hold({ kind: SEND, data: data.slice(), text, code: 0, reason: "" });
  }

  sendPrepared(frame: PreparedFrame): void {
    this.#connection.sendPrepared(frame);
  }

  ping(): void {
    this.#connection.ping();
  }

  close(code: number, reason: string): void {
    this.#hold({ kind: CLOSE, data: EMPTY, text: false, code, reason });
  }

  shutdown(code: number, reason: string): void {
    this.#hold({ kind: SHUTDOWN, data: EMPTY, text: false, code, reason });
  }

  destroy(): void {
    this.#held.length = 0;
    this.#heldBytes = 0;
    this.#connection.destroy();
  }

  flush(): void {
    this.#connection.flush();
  }

  setNoDelay(enabled: boolean): void {
    this.#connection.setNoDelay(enabled);
  }

  setReceiving(enabled: boolean): void {
    this.#connection.setReceiving(enabled);
  }

  /** @internal The conditions release the oldest held operation (or drop it). */
  releaseWrite(_bytes: Uint8Array, deliver: boolean): void {
    const operation = this.#held.shift();
    if (operation === undefined) return;
    this.#heldBytes -= operation.data.byteLength;
    if (deliver) this.#perform(operation);
  }

  #hold(operation: HeldOperation): void {
    if (this.#queue.tap?.holdWrite?.(this, operation.data)) {
      this.#held.push(operation);
      this.#heldBytes += operation.data.byteLength;
      return;
    }
    this.#perform(operation);
  }

  #perform(operation: HeldOperation): void {
    if (operation.kind === SEND) this.#connection.send(operation.data, operation.text);
    else if (operation.kind === CLOSE) this.#connection.close(operation.code, operation.reason);
    else this.#connection.shutdown(operation.code, operation.reason);
  }
}
