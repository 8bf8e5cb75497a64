const EMPTY = new Uint8Array(0);

/**
 * Received WebSocket messages waiting to be read, oldest first, each with whether it was
 * a text message. Allocates nothing until the first message, and nothing more once its
 * array has grown to the busiest size.
 */
export class PacketQueue {
  /** Two slots per packet (the bytes, then whether it is text), `#head` to `#tail`; the rest is spare. */
  #slots: (Uint8Array | boolean)[] | null = null;
  #head = 0;
  #tail = 0;
  #bytes = 0;
  #maxPackets = 4096;
  #maxBytes = 65535;

  /**
   * Sets the backpressure limits, Godot's way: `maxPackets` slots and a payload ring of
   * the next power of two above `bufferSize`, less one byte.
   */
  setLimits(maxPackets: number, bufferSize: number): void {
    this.#maxPackets = Math.max(1, maxPackets);
    const size = Math.max(1, bufferSize);
    // Whole-number arithmetic below 2^30 keeps the limit a small integer (no boxed double per peer).
    this.#maxBytes = size < 0x40000000 ? ringSize(size) - 1 : 2 ** (Math.floor(Math.log2(size)) + 1) - 1;
  }

  /** Whether reading should pause until the owner reads (a limit is reached). */
  get full(): boolean {
    return this.count >= this.#maxPackets || this.#bytes >= this.#maxBytes;
  }

  /** Whether a paused reader may resume (at most half of each limit is in use). */
  get drained(): boolean {
    return this.count * 2 <= this.#maxPackets && this.#bytes * 2 <= this.#maxBytes;
  }

  /** The number of packets waiting. */
  get count(): number {
    return (this.#tail - this.#head) >> 1;
  }

  /** The payload bytes waiting. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Appends a packet. */
  push(data: Uint8Array, text: boolean): void {
    this.#slots ??= [];
    const slots = this.#slots;
    const tail = this.#tail;
    if (tail === slots.length) {
      slots.push(data, text);
    } else {
      slots[tail] = data;
      slots[tail + 1] = text;
    }
    this.#tail = tail + 2;
    this.#bytes += data.byteLength;
  }

  /** Whether the oldest packet is text (false when empty). */
  get nextIsText(): boolean {
    return this.#head < this.#tail && this.#slots![this.#head + 1] === true;
  }

  /** Removes and returns the oldest packet (an empty array when there is none). */
  shift(): Uint8Array {
    const head = this.#head;
    if (head >= this.#tail) return EMPTY;
    const slots = this.#slots!;
    const data = slots[head] as Uint8Array;
    slots[head] = EMPTY;
    this.#bytes -= data.byteLength;
    const next = head + 2;
    if (next === this.#tail) {
      // Empty again: start over at the front, keeping the array's capacity.
      this.#head = 0;
      this.#tail = 0;
    } else if (next >= 2048 && next * 2 >= this.#tail) {
      slots.copyWithin(0, next, this.#tail);
      this.#tail -= next;
      slots.fill(EMPTY, this.#tail);
      this.#head = 0;
    } else {
      this.#head = next;
    }
    return data;
  }

  /** Drops every packet. */
  clear(): void {
    this.#slots = null;
    this.#head = 0;
    this.#tail = 0;
    this.#bytes = 0;
  }
}

/** The smallest power of two above `size` (1 ≤ size < 2^30). */
function ringSize(size: number): number {
  let ring = 2;
  while (ring <= size) ring *= 2;
  return ring;
}
