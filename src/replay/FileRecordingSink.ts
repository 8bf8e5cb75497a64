import fs from "node:fs";
import type { RecordingSink } from "./sinks.js";

/**
 * A recording written to a file (Node only): chunks go to a write stream, and what the
 * disk has not yet taken counts against the recorder's bound, so a disk that falls
 * behind ends the recording instead of growing the heap. gdnet addition.
 */
export class FileRecordingSink implements RecordingSink {
  readonly #stream: fs.WriteStream;
  #failed = false;

  /** Creates (or truncates) the file at `path`. gdnet addition. */
  constructor(path: string) {
    this.#stream = fs.createWriteStream(path);
    this.#stream.on("error", () => {
      this.#failed = true;
    });
  }

  /** Queues `chunk` for the file; `false` once writing failed. gdnet addition. */
  write(chunk: Uint8Array): boolean {
    if (this.#failed) return false;
    this.#stream.write(chunk);
    return true;
  }

  /** Bytes queued for the file and not yet written. gdnet addition. */
  get pendingBytes(): number {
    return this.#stream.writableLength;
  }

  /** Ends the file once everything queued is written. gdnet addition. */
  close(): void {
    this.#stream.end();
  }

  /** Resolves once the file is complete on disk. gdnet addition. */
  finished(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#stream.closed) resolve();
      else this.#stream.once("close", () => resolve());
    });
  }
}
