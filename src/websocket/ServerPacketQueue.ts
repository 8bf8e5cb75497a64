import type { WebSocketPeer } from "../WebSocketPeer.js";

const EMPTY = new Uint8Array(0);

/**
 * A WebSocketServer's packet queue over all its peers: which peer each received packet
 * came from, in arrival order. The packets stay in their peers' queues, so a packet read
 * through `getPeer(id)` is skipped here, and each peer's packets keep their order.
 */
export class ServerPacketQueue {
  /** Slots `#head` to `#tail` name the peers of the waiting packets; the rest is spare capacity. */
  #sources: (WebSocketPeer | null)[] = [];
  #head = 0;
  #tail = 0;
  #count = 0;

  /** Packets waiting in all peers. */
  get count(): number {
    return this.#count;
  }

  /** A packet arrived from `peer`. */
  received(peer: WebSocketPeer): void {
    const tail = this.#tail;
    if (tail === this.#sources.length) this.#sources.push(peer);
    else this.#sources[tail] = peer;
    this.#tail = tail + 1;
    this.#count++;
  }

  /** `count` packets were read from a peer (here or through the peer). */
  taken(count: number): void {
    this.#count -= count;
    // Nothing waits anywhere: every remembered source is stale. Forgetting them here keeps
    // the list bounded for servers that read only through their peers.
    if (this.#count <= 0) {
      this.#count = 0;
      this.#sources.fill(null, this.#head, this.#tail);
      this.#head = 0;
      this.#tail = 0;
    }
  }

  /** The peer whose packet comes next, if any. */
  next(): WebSocketPeer | undefined {
    const sources = this.#sources;
    let head = this.#head;
    const tail = this.#tail;
    // Skip the entries of packets already read through their peer.
    while (head < tail && sources[head]!.getAvailablePacketCount() === 0) sources[head++] = null;
    if (head >= tail) {
      this.#head = 0;
      this.#tail = 0;
      return undefined;
    }
    if (head >= 1024 && head * 2 >= tail) {
      sources.copyWithin(0, head, tail);
      sources.fill(null, tail - head, tail);
      this.#tail = tail - head;
      head = 0;
    }
    this.#head = head;
    return sources[head]!;
  }

  /** Reads the next packet (an empty array when none). */
  take(): Uint8Array {
    const source = this.next();
    if (source === undefined) return EMPTY;
    this.#sources[this.#head] = null;
    this.#head++;
    if (this.#head === this.#tail) {
      this.#head = 0;
      this.#tail = 0;
    }
    return source.getPacket();
  }

  /** Forgets everything. */
  clear(): void {
    this.#sources = [];
    this.#head = 0;
    this.#tail = 0;
    this.#count = 0;
  }
}
