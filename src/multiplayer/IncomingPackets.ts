const EMPTY = new Uint8Array(0);

/** What one source has waiting. */
interface Backlog {
  packets: number;
  bytes: number;
}

/**
 * A multiplayer peer's received packets, oldest first, each with the id of the peer it
 * came from.
 *
 * Each source may have at most `maxPackets` packets and about `maxBytes` bytes waiting
 * (Godot's inbound limits of one WebSocket peer); a packet past either limit is dropped
 * and `push` says so. A peer that floods a server whose game does not read therefore
 * costs a bounded amount of memory, and cannot crowd out the other peers' packets.
 */
export class IncomingPackets {
  #sources: number[] = [];
  #packets: Uint8Array[] = [];
  #head = 0;
  readonly #backlogs = new Map<number, Backlog>();
  #maxPackets = 4096;
  #maxBytes = 65535;

  /** Packets waiting. */
  get count(): number {
    return this.#packets.length - this.#head;
  }

  /**
   * Sets the limits per source: `maxPackets` packets and a byte budget of the next power
   * of two above `bufferSize`, less one (Godot's ring buffer of a WebSocket peer).
   */
  setLimits(maxPackets: number, bufferSize: number): void {
    this.#maxPackets = Math.max(1, Math.trunc(maxPackets) || 1);
    this.#maxBytes = 2 ** (Math.floor(Math.log2(Math.max(1, bufferSize))) + 1) - 1;
  }

  /** Queues `packet` from `source`; false (and nothing queued) when that source is at its limit. */
  push(source: number, packet: Uint8Array): boolean {
    let backlog = this.#backlogs.get(source);
    if (backlog === undefined) {
      backlog = { packets: 0, bytes: 0 };
      this.#backlogs.set(source, backlog);
    } else if (backlog.packets >= this.#maxPackets || backlog.bytes + packet.byteLength > this.#maxBytes) {
      return false;
    }
    backlog.packets++;
    backlog.bytes += packet.byteLength;
    this.#sources.push(source);
    this.#packets.push(packet);
    return true;
  }

  /** The source of the oldest packet; 0 when none is waiting. */
  nextSource(): number {
    return this.#head < this.#packets.length ? this.#sources[this.#head]! : 0;
  }

  /** Removes and returns the oldest packet (an empty array when none). */
  take(): Uint8Array {
    const head = this.#head;
    if (head >= this.#packets.length) return EMPTY;
    const packet = this.#packets[head]!;
    const source = this.#sources[head]!;
    this.#packets[head] = EMPTY;
    this.#head = head + 1;
    const backlog = this.#backlogs.get(source)!;
    if (--backlog.packets === 0) this.#backlogs.delete(source);
    else backlog.bytes -= packet.byteLength;
    if (this.#head === this.#packets.length) {
      this.#packets.length = 0;
      this.#sources.length = 0;
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#packets.length) {
      this.#packets = this.#packets.slice(this.#head);
      this.#sources = this.#sources.slice(this.#head);
      this.#head = 0;
    }
    return packet;
  }

  /** Forgets every packet. */
  clear(): void {
    this.#sources = [];
    this.#packets = [];
    this.#head = 0;
    this.#backlogs.clear();
  }
}
