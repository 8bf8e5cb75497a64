import type { WebSocketPeer } from "../WebSocketPeer.js";

const EMPTY = new Uint8Array(0);

/**
 * A WebSocketServer's packet queue over all its peers: which peer each received packet
 * came from, in arrival order. The packets stay in their peers' queues, so a packet read
 * through `getPeer(id)` is skipped here, and each peer's packets keep their order.
 */
export class ServerPacketQueue {
  #sources: WebSocketPeer[] = [];
  #head = 0;
  #count = 0;

  /** Packets waiting in all peers. */
  get count(): number {
    return this.#count;
  }

  /** A packet arrived from `peer`. */
  received(peer: WebSocketPeer): void {
    this.#sources.push(peer);
    this.#count++;
  }

  /** `count` packets were read from a peer (here or through the peer). */
  taken(count: number): void {
    this.#count -= count;
    // Nothing waits anywhere: every remembered source is stale. Forgetting them here keeps
    // the list bounded for servers that read only through their peers.
    if (this.#count <= 0) {
      this.#count = 0;
      this.#sources.length = 0;
      this.#head = 0;
    }
  }

  /** The peer whose packet comes next, if any. */
  next(): WebSocketPeer | undefined {
    const sources = this.#sources;
    while (this.#head < sources.length && sources[this.#head]!.getAvailablePacketCount() === 0) this.#head++;
    if (this.#head >= sources.length) {
      sources.length = 0;
      this.#head = 0;
      return undefined;
    }
    if (this.#head > 1024 && this.#head * 2 > sources.length) {
      this.#sources = sources.slice(this.#head);
      this.#head = 0;
    }
    return this.#sources[this.#head];
  }

  /** Reads the next packet (an empty array when none). */
  take(): Uint8Array {
    const source = this.next();
    if (source === undefined) return EMPTY;
    this.#head++;
    return source.getPacket();
  }

  /** Forgets everything. */
  clear(): void {
    this.#sources = [];
    this.#head = 0;
    this.#count = 0;
  }
}
