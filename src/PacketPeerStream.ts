import { ErrorCode } from "./ErrorCode.js";
import { PacketPeer } from "./PacketPeer.js";
import type { StreamPeer } from "./StreamPeer.js";

const EMPTY = new Uint8Array(0);
const DEFAULT_BUFFER_MAX_SIZE = 65532;

/**
 * Packets over a byte stream: each packet is a u32 little-endian length and the bytes.
 * The length is always little-endian, whatever the stream's `bigEndian`, as in Godot.
 *
 * Ports Godot's `PacketPeerStream`. Reads never block: bytes are taken from the stream
 * as they are available (up to {@link PacketPeerStream.inputBufferMaxSize} buffered),
 * and a packet is available once it has fully arrived. Call the stream's `poll()` (for
 * `StreamPeerTCP`) each frame as usual.
 */
export class PacketPeerStream extends PacketPeer {
  /** The stream packets travel over. Ports `PacketPeerStream.stream_peer`. */
  streamPeer: StreamPeer | null = null;

  /**
   * The largest packet that can be received, and the most bytes buffered from the
   * stream. Default 65532. Ports `PacketPeerStream.input_buffer_max_size`.
   */
  inputBufferMaxSize = DEFAULT_BUFFER_MAX_SIZE;

  /**
   * The largest packet that can be sent. Default 65532.
   * Ports `PacketPeerStream.output_buffer_max_size`.
   */
  outputBufferMaxSize = DEFAULT_BUFFER_MAX_SIZE;

  #buffer = new Uint8Array(0);
  #start = 0;
  #end = 0;

  /**
   * The number of complete packets received. Takes what the stream has first.
   * Ports `PacketPeerStream.get_available_packet_count`.
   */
  getAvailablePacketCount(): number {
    this.#takeFromStream();
    let count = 0;
    let at = this.#start;
    const view = new DataView(this.#buffer.buffer, this.#buffer.byteOffset);
    while (this.#end - at >= 4) {
      const length = view.getUint32(at, true);
      if (this.#end - at - 4 < length) break;
      count++;
      at += 4 + length;
    }
    return count;
  }

  /** @internal */
  protected readPacket(): [ErrorCode, Uint8Array] {
    if (this.streamPeer === null) return [ErrorCode.ERR_UNCONFIGURED, EMPTY];
    this.#takeFromStream();
    if (this.#end - this.#start < 4) return [ErrorCode.ERR_UNAVAILABLE, EMPTY];
    const length = new DataView(this.#buffer.buffer, this.#buffer.byteOffset).getUint32(this.#start, true);
    if (length > this.inputBufferMaxSize) {
      // A packet that can never fit: Godot reports it and the stream is unusable.
      return [ErrorCode.ERR_OUT_OF_MEMORY, EMPTY];
    }
    if (this.#end - this.#start - 4 < length) return [ErrorCode.ERR_UNAVAILABLE, EMPTY];
    const packet = this.#buffer.slice(this.#start + 4, this.#start + 4 + length);
    this.#start += 4 + length;
    return [ErrorCode.OK, packet];
  }

  /** @internal */
  protected writePacket(buffer: Uint8Array): ErrorCode {
    if (this.streamPeer === null) return ErrorCode.ERR_UNCONFIGURED;
    if (buffer.byteLength > this.outputBufferMaxSize) return ErrorCode.ERR_INVALID_PARAMETER;
    const framed = new Uint8Array(4 + buffer.byteLength);
    new DataView(framed.buffer).setUint32(0, buffer.byteLength, true);
    framed.set(buffer, 4);
    return this.streamPeer.putData(framed);
  }

  /** Moves what the stream has into the input buffer, up to its capacity. */
  #takeFromStream(): void {
    const stream = this.streamPeer;
    if (stream === null) return;
    const capacity = this.inputBufferMaxSize + 4;
    for (;;) {
      const room = capacity - (this.#end - this.#start);
      const available = Math.min(stream.getAvailableBytes(), room);
      if (available <= 0) return;
      const [error, bytes] = stream.getPartialData(available);
      if (error !== ErrorCode.OK || bytes.byteLength === 0) return;
      this.#append(bytes, capacity);
    }
  }

  #append(bytes: Uint8Array, capacity: number): void {
    if (this.#buffer.byteLength - this.#end < bytes.byteLength) {
      const grown = new Uint8Array(Math.max(capacity, this.#end - this.#start + bytes.byteLength));
      grown.set(this.#buffer.subarray(this.#start, this.#end));
      this.#end -= this.#start;
      this.#start = 0;
      this.#buffer = grown;
    }
    this.#buffer.set(bytes, this.#end);
    this.#end += bytes.byteLength;
  }
}
