/**
 * Received bytes waiting to be read, kept as the chunks they arrived in (no copying on
 * arrival). Reads copy out exactly what they take.
 */
export class ByteQueue {
  #chunks: Uint8Array[] = [];
  #head = 0;
  /** Read offset into the first chunk. */
  #offset = 0;
  #length = 0;

  /** The number of bytes queued. */
  get length(): number {
    return this.#length;
  }

  /** The first queued chunk (EMPTY when none); its unread bytes start at {@link ByteQueue.firstOffset}. */
  get firstChunk(): Uint8Array {
    return this.#length === 0 ? EMPTY : this.#chunks[this.#head]!;
  }

  /** Where the unread bytes of {@link ByteQueue.firstChunk} start. */
  get firstOffset(): number {
    return this.#offset;
  }

  /** Consumes `count` bytes, which must all lie in the first chunk. */
  skipInFirst(count: number): void {
    const chunk = this.#chunks[this.#head]!;
    this.#length -= count;
    this.#offset += count;
    if (this.#offset < chunk.byteLength) return;
    this.#chunks[this.#head] = EMPTY;
    this.#head++;
    this.#offset = 0;
    if (this.#head === this.#chunks.length) {
      this.#chunks.length = 0;
      this.#head = 0;
    } else if (this.#head > 64 && this.#head * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Queues a chunk (kept by reference: the caller must not modify it afterwards). */
  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.byteLength;
  }

  /** Copies the first `length` bytes into `target` without consuming them. False if fewer are queued. */
  peek(target: Uint8Array, length: number): boolean {
    if (length > this.#length) return false;
    this.#copy(target, length, false);
    return true;
  }

  /** Copies the first `length` bytes into `target` and consumes them. False (nothing consumed) if fewer are queued. */
  read(target: Uint8Array, length: number): boolean {
    if (length > this.#length) return false;
    this.#copy(target, length, true);
    return true;
  }

  /**
   * Takes up to `max` bytes, but no more than the first chunk holds: what one read from
   * the network gave. The bytes are the chunk itself (or a view of it), not a copy.
   */
  takeChunk(max: number): Uint8Array {
    if (this.#length === 0 || max <= 0) return EMPTY;
    const chunk = this.#chunks[this.#head]!;
    const start = this.#offset;
    const count = Math.min(max, chunk.byteLength - start);
    const out = start === 0 && count === chunk.byteLength ? chunk : chunk.subarray(start, start + count);
    this.#length -= count;
    if (start + count === chunk.byteLength) {
      this.#chunks[this.#head] = EMPTY;
      this.#head++;
      this.#offset = 0;
      if (this.#head === this.#chunks.length) {
        this.#chunks.length = 0;
        this.#head = 0;
      }
    } else {
      this.#offset = start + count;
    }
    return out;
  }

  /** Takes up to `max` bytes as a new array. */
  take(max: number): Uint8Array {
    const length = Math.min(max, this.#length);
    const out = new Uint8Array(length);
    this.#copy(out, length, true);
    return out;
  }

  /** Empties the queue. */
  clear(): void {
    this.#chunks = [];
    this.#head = 0;
    this.#offset = 0;
    this.#length = 0;
  }

  #copy(target: Uint8Array, length: number, consume: boolean): void {
    let written = 0;
    let index = this.#head;
    let offset = this.#offset;
    while (written < length) {
      const chunk = this.#chunks[index]!;
      const count = Math.min(chunk.byteLength - offset, length - written);
      target.set(chunk.subarray(offset, offset + count), written);
      written += count;
      offset += count;
      if (offset === chunk.byteLength) {
        index++;
        offset = 0;
      }
    }
    if (!consume) return;
    this.#length -= length;
    for (let i = this.#head; i < index; i++) this.#chunks[i] = EMPTY;
    this.#head = index;
    this.#offset = offset;
    if (this.#head === this.#chunks.length) {
      this.#chunks.length = 0;
      this.#head = 0;
    } else if (this.#head > 64 && this.#head * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#head = 0;
    }
  }
}

const EMPTY = new Uint8Array(0);
