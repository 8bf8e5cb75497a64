import { ErrorCode } from "./ErrorCode.js";
import { StreamPeer } from "./StreamPeer.js";

const EMPTY = new Uint8Array(0);

/**
 * A stream over a byte array in memory, with a cursor: handy to build or parse a
 * message with the typed helpers before sending it as one packet.
 *
 * Ports Godot's `StreamPeerBuffer` exactly, synchronous semantics included: a read
 * past the end consumes what is there and fails (`getData` → `ERR_INVALID_PARAMETER`),
 * unlike the non-blocking network streams.
 */
export class StreamPeerBuffer extends StreamPeer {
  #data = new Uint8Array(64);
  #size = 0;
  #position = 0;

  /**
   * The whole buffer. Reading returns a copy; assigning replaces the data and moves the
   * cursor to 0. Ports `StreamPeerBuffer.data_array`.
   */
  get dataArray(): Uint8Array {
    return this.#data.slice(0, this.#size);
  }

  /** Replaces the data with a copy of `data` and moves the cursor to 0. */
  set dataArray(data: Uint8Array) {
    if (!(data instanceof Uint8Array)) throw new TypeError("dataArray expects a Uint8Array");
    this.#data = new Uint8Array(Math.max(64, data.byteLength));
    this.#data.set(data);
    this.#size = data.byteLength;
    this.#position = 0;
  }

  /**
   * Moves the cursor. Positions outside `0..getSize()` are rejected
   * (`ERR_INVALID_PARAMETER`) and the cursor stays. Ports `StreamPeerBuffer.seek`
   * (void in Godot, which logs the error).
   */
  seek(position: number): ErrorCode {
    if (!Number.isInteger(position) || position < 0 || position > this.#size)
      return ErrorCode.ERR_INVALID_PARAMETER;
    this.#position = position;
    return ErrorCode.OK;
  }

  /** The number of bytes in the buffer. Ports `StreamPeerBuffer.get_size`. */
  getSize(): number {
    return this.#size;
  }

  /** The cursor. Ports `StreamPeerBuffer.get_position`. */
  getPosition(): number {
    return this.#position;
  }

  /**
   * Resizes the data (new bytes are zero). The cursor is not moved, so it may end up
   * past the end, as in Godot. Negative sizes are rejected. Ports `StreamPeerBuffer.resize`.
   */
  resize(size: number): ErrorCode {
    if (!Number.isInteger(size) || size < 0) return ErrorCode.ERR_INVALID_PARAMETER;
    this.#reserve(size);
    if (size < this.#size) this.#data.fill(0, size, this.#size);
    this.#size = size;
    return ErrorCode.OK;
  }

  /** Empties the buffer and moves the cursor to 0. Ports `StreamPeerBuffer.clear`. */
  clear(): void {
    this.#data = new Uint8Array(64);
    this.#size = 0;
    this.#position = 0;
  }

  /**
   * A new buffer with a copy of the data (and of `bigEndian`), its cursor at 0.
   * Ports `StreamPeerBuffer.duplicate`.
   */
  duplicate(): StreamPeerBuffer {
    const copy = new StreamPeerBuffer();
    copy.dataArray = this.dataArray;
    copy.bigEndian = this.bigEndian;
    copy.variantFormat = this.variantFormat;
    return copy;
  }

  /** `getSize() - getPosition()` (0 if the cursor is past the end). Ports `get_available_bytes`. */
  getAvailableBytes(): number {
    return Math.max(0, this.#size - this.#position);
  }

  /** Writes all of `data` at the cursor; never partial. Ports `StreamPeerBuffer.put_partial_data`. */
  putPartialData(data: Uint8Array): [ErrorCode, number] {
    if (!(data instanceof Uint8Array)) throw new TypeError("putPartialData expects a Uint8Array");
    const error = this.writeAll(data);
    return [error, error === ErrorCode.OK ? data.byteLength : 0];
  }

  /**
   * Reads up to `bytes` bytes. At or past the end: `ERR_FILE_EOF`.
   * Ports `StreamPeerBuffer.get_partial_data`.
   */
  getPartialData(bytes: number): [ErrorCode, Uint8Array] {
    if (!Number.isInteger(bytes) || bytes < 0) return [ErrorCode.ERR_INVALID_PARAMETER, EMPTY];
    if (bytes === 0) return [ErrorCode.OK, EMPTY];
    if (this.#position >= this.#size) return [ErrorCode.ERR_FILE_EOF, EMPTY];
    const count = Math.min(bytes, this.#size - this.#position);
    const out = this.#data.slice(this.#position, this.#position + count);
    this.#position += count;
    return [ErrorCode.OK, out];
  }

  /** @internal */
  protected override shortReadsConsume(): boolean {
    return true;
  }

  /** @internal */
  protected readExact(target: Uint8Array, length: number): ErrorCode {
    const count = Math.min(length, this.getAvailableBytes(), target.byteLength);
    if (count > 0) target.set(this.#data.subarray(this.#position, this.#position + count));
    this.#position += count;
    return count === length ? ErrorCode.OK : ErrorCode.ERR_INVALID_PARAMETER;
  }

  /** @internal */
  protected peekExact(target: Uint8Array, length: number): boolean {
    if (this.getAvailableBytes() < length) return false;
    target.set(this.#data.subarray(this.#position, this.#position + length));
    return true;
  }

  /** @internal */
  protected writeAll(data: Uint8Array): ErrorCode {
    const end = this.#position + data.byteLength;
    this.#reserve(end);
    this.#data.set(data, this.#position);
    this.#position = end;
    if (end > this.#size) this.#size = end;
    return ErrorCode.OK;
  }

  #reserve(size: number): void {
    if (size <= this.#data.byteLength) return;
    let capacity = this.#data.byteLength * 2;
    while (capacity < size) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.#data.subarray(0, this.#size));
    this.#data = grown;
  }
}
