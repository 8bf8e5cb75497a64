/*
 * Where a recording goes. A sink takes chunks as the recorder fills them and says how
 * much it has not yet stored, so the recorder can end a recording whose sink falls
 * behind instead of growing the heap or blocking a poll.
 */

/** Where a {@link Recorder} writes. */
export interface RecordingSink {
  /** Takes one chunk of the recording (it is the sink's); `false` when it can take nothing more. */
  write(chunk: Uint8Array): boolean;
  /** Bytes taken and not yet stored (a file's write backlog); the recorder's bound applies to it. */
  readonly pendingBytes: number;
  /** The recording is complete. */
  close(): void;
}

/**
 * A recording kept in memory, for tests and browsers: its chunks, up to `limit` bytes in
 * all (then it refuses, and the recording ends with an error). gdnet addition.
 */
export class MemoryRecordingSink implements RecordingSink {
  /** The chunks taken so far, in order. gdnet addition. */
  readonly chunks: Uint8Array[] = [];
  /** Bytes in {@link MemoryRecordingSink.chunks}. gdnet addition. */
  size = 0;
  /** Whether the recorder closed it. gdnet addition. */
  closed = false;
  /** Always 0: memory takes a chunk at once. gdnet addition. */
  readonly pendingBytes = 0;
  readonly #limit: number;

  /** @param limit the most bytes kept (default 64 MiB). gdnet addition. */
  constructor(limit = 64 * 1024 * 1024) {
    this.#limit = limit;
  }

  /** Keeps `chunk`, unless it would pass the limit. gdnet addition. */
  write(chunk: Uint8Array): boolean {
    if (this.size + chunk.byteLength > this.#limit) return false;
    this.chunks.push(chunk);
    this.size += chunk.byteLength;
    return true;
  }

  /** Marks the recording complete. gdnet addition. */
  close(): void {
    this.closed = true;
  }

  /** The whole recording as one array (what `new Replay(...)` takes). gdnet addition. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return out;
  }
}

/**
 * Hands each chunk to a function (a browser can post it to a server or to IndexedDB);
 * the function returns `false` when it cannot keep up, which ends the recording with an
 * error. gdnet addition.
 */
export class CallbackRecordingSink implements RecordingSink {
  /** Always 0: the function takes a chunk at once. gdnet addition. */
  readonly pendingBytes = 0;
  readonly #onChunk: (chunk: Uint8Array) => boolean | undefined;
  readonly #onClose: (() => void) | undefined;

  /** @param onChunk takes each chunk; @param onClose told when the recording is complete. gdnet addition. */
  constructor(onChunk: (chunk: Uint8Array) => boolean | undefined, onClose?: () => void) {
    this.#onChunk = onChunk;
    this.#onClose = onClose;
  }

  /** Hands `chunk` to the function. gdnet addition. */
  write(chunk: Uint8Array): boolean {
    return this.#onChunk(chunk) !== false;
  }

  /** Tells the close function, if any. gdnet addition. */
  close(): void {
    this.#onClose?.();
  }
}
