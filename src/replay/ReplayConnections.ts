import type { StreamConnection } from "../transport/tcp.js";
import type { PreparedFrame, WebSocketConnection } from "../transport/websocket.js";
import type { StreamWebSocketPlatform } from "../websocket/StreamWebSocket.js";

/*
 * What a replay hands the objects it feeds in place of the platform's connections: they
 * send nowhere, and answer live readings (buffered amounts) from the recording.
 */

/** Answers live readings from the recording. */
export interface ReadingSource {
  /** The next recorded live reading. */
  read(): number;
}

/** A byte stream of a replay: its events come from the recording, its writes go nowhere. */
export class ReplayStreamConnection implements StreamConnection {
  readonly #readings: ReadingSource;
  readonly stagedBytes = 0;

  constructor(readings: ReadingSource) {
    this.#readings = readings;
  }

  get bufferedAmount(): number {
    return this.#readings.read();
  }

  get queuedWrites(): number {
    return this.#readings.read();
  }

  attach(): void {}
  write(): void {}
  flush(): void {}
  setNoDelay(): void {}
  setReceiving(): void {}
  close(): void {}
  destroy(): void {}
}

/** A WebSocket connection of a replayed browser peer. */
export class ReplayWebSocketConnection implements WebSocketConnection {
  readonly #readings: ReadingSource;

  constructor(readings: ReadingSource) {
    this.#readings = readings;
  }

  get bufferedAmount(): number {
    return this.#readings.read();
  }

  get queuedMessages(): number {
    return this.#readings.read();
  }

  send(): void {}
  sendPrepared(_frame: PreparedFrame): void {}
  ping(): void {}
  close(): void {}
  shutdown(): void {}
  destroy(): void {}
  flush(): void {}
  setNoDelay(): void {}
  setReceiving(): void {}
}

/** Frames of a replay: masks and keys are never checked by anyone, memory is plain. */
export const replayWebSocketPlatform: StreamWebSocketPlatform = {
  nextMask: () => new Uint8Array(4),
  handshakeKey: () => new Uint8Array(16),
  allocate: (size) => new Uint8Array(size),
};
