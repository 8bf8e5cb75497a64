const EMPTY = new Uint8Array(0);

/**
 * Received WebSocket messages waiting to be read, oldest first, each with whether it was
 * a text message. Allocation-free once its arrays have grown to the busiest size.
 */
export class PacketQueue {
  #packets: Uint8Array[] = [];
  #text: boolean[] = [];
  #head = 0;
  #bytes = 0;
  #maxPackets = 4096;
  #maxBytes = 65535;

  /**
   * Sets the backpressure limits, Godot's way: `maxPackets` slots and a payload ring of
   * the next power of two above `bufferSize`, less one byte.
   */
  setLimits(maxPackets: number, bufferSize: number): void {
    this.#maxPackets = Math.max(1, maxPackets);
    this.#maxBytes = 2 ** (Math.floor(Math.log2(Math.max(1, bufferSize))) + 1) - 1;
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
    return this.#packets.length - this.#head;
  }

  /** The payload bytes waiting. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Appends a packet. */
  push(data: Uint8Array, text: boolean): void {
    this.#packets.push(data);
    this.#text.push(text);
    this.#bytes += data.byteLength;
  }

  /** Whether the oldest packet is text (false when empty). */
  get nextIsText(): boolean {
    return this.#head < this.#packets.length && this.#text[this.#head]!;
  }

  /** Removes and returns the oldest packet (an empty array when there is none). */
  shift(): Uint8Array {
    if (this.#head >= this.#packets.length) return EMPTY;
    const data = this.#packets[this.#head]!;
    this.#packets[this.#head] = EMPTY;
    this.#head++;
    this.#bytes -= data.byteLength;
    if (this.#head === this.#packets.length) {
      this.#packets.length = 0;
      this.#text.length = 0;
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#packets.length) {
      this.#packets = this.#packets.slice(this.#head);
      this.#text = this.#text.slice(this.#head);
      this.#head = 0;
    }
    return data;
  }

  /** Drops every packet. */
  clear(): void {
    this.#packets = [];
    this.#text = [];
    this.#head = 0;
    this.#bytes = 0;
  }
}
