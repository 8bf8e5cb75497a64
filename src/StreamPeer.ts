// Why this file is long: Godot's StreamPeer is a family of typed put/get pairs (8 to 64
// bits, floats, strings, Variants), each documented where it is declared.
import { utf8Decode, utf8Encode } from "./core/bytes.js";
import { ErrorCode } from "./ErrorCode.js";
import { decodeVariant, encodeVariant } from "./variant/index.js";
import { floatToHalf, halfToFloat } from "./variant/marshalls.js";

const EMPTY = new Uint8Array(0);
const MAX_INT32 = 0x7fffffff;

/**
 * The byte-stream base class: raw data and typed helpers over a stream.
 *
 * Ports Godot's `StreamPeer`. Typed helpers write little-endian unless
 * {@link StreamPeer.bigEndian}; that includes the length prefixes of strings and
 * Variants, but never the Variant body, which is always little-endian.
 *
 * Deviation (non-blocking, SPEC §3): Godot's `put_data`/`get_data` block on TCP. On a
 * network stream here, writes are queued and return at once, and **a read that needs
 * more bytes than are available consumes nothing**: `getData` returns
 * `ERR_UNAVAILABLE`, typed getters return 0 (and record the error for
 * {@link StreamPeer.getLastError}), `getString`/`getVar` return `""`/`null`. A frame loop
 * can therefore try again next frame without losing its place in the stream.
 * `StreamPeerBuffer` keeps Godot's synchronous semantics exactly.
 */
export abstract class StreamPeer {
  /**
   * Whether typed helpers use big-endian byte order. Default false.
   * Ports `StreamPeer.big_endian`.
   */
  bigEndian = false;

  /**
   * Which Godot's binary Variant format `putVar`/`getVar` speak: 4 (Godot 4, the
   * default) or 3 (Godot 3.x). gdnet addition.
   */
  variantFormat: 3 | 4 = 4;

  #lastError: ErrorCode = ErrorCode.OK;
  readonly #scratch = new Uint8Array(8);
  readonly #view = new DataView(this.#scratch.buffer);

  /** The number of bytes that can be read now. Ports `StreamPeer.get_available_bytes`. */
  abstract getAvailableBytes(): number;

  /**
   * Sends bytes without blocking, as many as the stream takes now; returns the error
   * and the number sent. Ports `StreamPeer.put_partial_data`.
   */
  abstract putPartialData(data: Uint8Array): [ErrorCode, number];

  /**
   * Reads up to `bytes` bytes that are available now, without waiting.
   * Ports `StreamPeer.get_partial_data`.
   */
  abstract getPartialData(bytes: number): [ErrorCode, Uint8Array];

  /**
   * Copies exactly `length` bytes into `target`, or fails. Network streams consume
   * nothing on failure; `StreamPeerBuffer` consumes what there was, as Godot does.
   * @internal
   */
  protected abstract readExact(target: Uint8Array, length: number): ErrorCode;

  /**
   * Copies the first `length` unread bytes into `target` without consuming them;
   * false if fewer are available.
   * @internal
   */
  protected abstract peekExact(target: Uint8Array, length: number): boolean;

  /**
   * Queues `data` whole, or fails without queueing any of it.
   * @internal
   */
  protected abstract writeAll(data: Uint8Array): ErrorCode;

  /**
   * Whether a short read consumes what was there (Godot's `StreamPeerBuffer`) instead
   * of nothing (network streams).
   * @internal
   */
  protected shortReadsConsume(): boolean {
    return false;
  }

  /**
   * The error of the last read or write made through this object (OK after a success).
   * gdnet addition: Godot's typed getters swallow errors; here a getter that returns 0
   * because bytes are missing records `ERR_UNAVAILABLE`.
   */
  getLastError(): ErrorCode {
    return this.#lastError;
  }

  /**
   * Sends all of `data`. Returns OK when queued (it leaves as soon as the socket takes
   * it), `FAILED` when not connected, `ERR_OUT_OF_MEMORY` past the outbound limit (then
   * nothing is queued). An empty array is OK and sends nothing.
   * Ports `StreamPeer.put_data` (which blocks in Godot).
   */
  putData(data: Uint8Array): ErrorCode {
    if (!(data instanceof Uint8Array)) throw new TypeError("putData expects a Uint8Array");
    const error = data.byteLength === 0 ? ErrorCode.OK : this.writeAll(data);
    this.#lastError = error;
    return error;
  }

  /**
   * Reads exactly `bytes` bytes. If fewer are available, returns `ERR_UNAVAILABLE` and
   * an empty array and consumes nothing (network streams; see the class notes).
   * Ports `StreamPeer.get_data` (which blocks in Godot).
   */
  getData(bytes: number): [ErrorCode, Uint8Array] {
    if (!Number.isInteger(bytes) || bytes < 0 || bytes > MAX_INT32) {
      this.#lastError = ErrorCode.ERR_INVALID_PARAMETER;
      return [ErrorCode.ERR_INVALID_PARAMETER, EMPTY];
    }
    if (bytes === 0) {
      this.#lastError = ErrorCode.OK;
      return [ErrorCode.OK, EMPTY];
    }
    const available = this.getAvailableBytes();
    if (available < bytes) {
      // Checked before allocating, so asking for bytes that are not there costs nothing.
      // A buffer hands over what it has (Godot 4.0's truncated array); a network stream
      // consumes nothing and says why (ERR_UNAVAILABLE, or FAILED when not connected).
      const out = this.shortReadsConsume() ? new Uint8Array(Math.max(0, available)) : EMPTY;
      const error = this.readExact(out, bytes);
      this.#lastError = error;
      return [error, out];
    }
    const out = new Uint8Array(bytes);
    const error = this.readExact(out, bytes);
    this.#lastError = error;
    return [error, error === ErrorCode.OK ? out : EMPTY];
  }

  /** Writes a signed 8-bit integer. Ports `StreamPeer.put_8`. */
  put8(value: number): void {
    this.#view.setInt8(0, value);
    this.#putScratch(1);
  }

  /** Writes an unsigned 8-bit integer. Ports `StreamPeer.put_u8`. */
  putU8(value: number): void {
    this.#view.setUint8(0, value);
    this.#putScratch(1);
  }

  /** Writes a signed 16-bit integer. Ports `StreamPeer.put_16`. */
  put16(value: number): void {
    this.#view.setInt16(0, value, !this.bigEndian);
    this.#putScratch(2);
  }

  /** Writes an unsigned 16-bit integer. Ports `StreamPeer.put_u16`. */
  putU16(value: number): void {
    this.#view.setUint16(0, value, !this.bigEndian);
    this.#putScratch(2);
  }

  /** Writes a signed 32-bit integer. Ports `StreamPeer.put_32`. */
  put32(value: number): void {
    this.#view.setInt32(0, value, !this.bigEndian);
    this.#putScratch(4);
  }

  /** Writes an unsigned 32-bit integer. Ports `StreamPeer.put_u32`. */
  putU32(value: number): void {
    this.#view.setUint32(0, value, !this.bigEndian);
    this.#putScratch(4);
  }

  /**
   * Writes a signed 64-bit integer (a `number` is truncated to an integer first).
   * Ports `StreamPeer.put_64`.
   */
  put64(value: number | bigint): void {
    this.#view.setBigInt64(0, BigInt.asIntN(64, toBigInt(value)), !this.bigEndian);
    this.#putScratch(8);
  }

  /**
   * Writes an unsigned 64-bit integer (a `number` is truncated to an integer first).
   * Ports `StreamPeer.put_u64`.
   */
  putU64(value: number | bigint): void {
    this.#view.setBigUint64(0, BigInt.asUintN(64, toBigInt(value)), !this.bigEndian);
    this.#putScratch(8);
  }

  /**
   * Writes an IEEE 754 half-precision float, converted as Godot does (the mantissa is
   * truncated, not rounded; magnitudes below 2^-14 become +0). Ports `StreamPeer.put_half`.
   */
  putHalf(value: number): void {
    this.#view.setUint16(0, floatToHalf(value), !this.bigEndian);
    this.#putScratch(2);
  }

  /** Writes a single-precision float. Ports `StreamPeer.put_float`. */
  putFloat(value: number): void {
    this.#view.setFloat32(0, value, !this.bigEndian);
    this.#putScratch(4);
  }

  /** Writes a double-precision float. Ports `StreamPeer.put_double`. */
  putDouble(value: number): void {
    this.#view.setFloat64(0, value, !this.bigEndian);
    this.#putScratch(8);
  }

  /** Reads a signed 8-bit integer; 0 if not available. Ports `StreamPeer.get_8`. */
  get8(): number {
    return this.#getScratch(1) ? this.#view.getInt8(0) : 0;
  }

  /** Reads an unsigned 8-bit integer; 0 if not available. Ports `StreamPeer.get_u8`. */
  getU8(): number {
    return this.#getScratch(1) ? this.#view.getUint8(0) : 0;
  }

  /** Reads a signed 16-bit integer; 0 if not available. Ports `StreamPeer.get_16`. */
  get16(): number {
    return this.#getScratch(2) ? this.#view.getInt16(0, !this.bigEndian) : 0;
  }

  /** Reads an unsigned 16-bit integer; 0 if not available. Ports `StreamPeer.get_u16`. */
  getU16(): number {
    return this.#getScratch(2) ? this.#view.getUint16(0, !this.bigEndian) : 0;
  }

  /** Reads a signed 32-bit integer; 0 if not available. Ports `StreamPeer.get_32`. */
  get32(): number {
    return this.#getScratch(4) ? this.#view.getInt32(0, !this.bigEndian) : 0;
  }

  /** Reads an unsigned 32-bit integer; 0 if not available. Ports `StreamPeer.get_u32`. */
  getU32(): number {
    return this.#getScratch(4) ? this.#view.getUint32(0, !this.bigEndian) : 0;
  }

  /** Reads a signed 64-bit integer as a `bigint`; `0n` if not available. Ports `StreamPeer.get_64`. */
  get64(): bigint {
    return this.#getScratch(8) ? this.#view.getBigInt64(0, !this.bigEndian) : 0n;
  }

  /** Reads an unsigned 64-bit integer as a `bigint`; `0n` if not available. Ports `StreamPeer.get_u64`. */
  getU64(): bigint {
    return this.#getScratch(8) ? this.#view.getBigUint64(0, !this.bigEndian) : 0n;
  }

  /** Reads a half-precision float; 0 if not available. Ports `StreamPeer.get_half`. */
  getHalf(): number {
    return this.#getScratch(2) ? halfToFloat(this.#view.getUint16(0, !this.bigEndian)) : 0;
  }

  /** Reads a single-precision float; 0 if not available. Ports `StreamPeer.get_float`. */
  getFloat(): number {
    return this.#getScratch(4) ? this.#view.getFloat32(0, !this.bigEndian) : 0;
  }

  /** Reads a double-precision float; 0 if not available. Ports `StreamPeer.get_double`. */
  getDouble(): number {
    return this.#getScratch(8) ? this.#view.getFloat64(0, !this.bigEndian) : 0;
  }

  /**
   * Writes a u32 length and then `value` as ASCII, with no terminator. Characters above
   * U+007F become a space (0x20), as in Godot. Ports `StreamPeer.put_string`.
   */
  putString(value: string): void {
    const codePoints = Array.from(value);
    const bytes = new Uint8Array(4 + codePoints.length);
    new DataView(bytes.buffer).setUint32(0, codePoints.length, !this.bigEndian);
    for (let i = 0; i < codePoints.length; i++) {
      const code = codePoints[i]!.codePointAt(0)!;
      bytes[4 + i] = code > 0x7f ? 0x20 : code;
    }
    this.#putBytes(bytes);
  }

  /**
   * Writes a u32 byte length and then `value` as UTF-8, with no terminator.
   * Ports `StreamPeer.put_utf8_string`.
   */
  putUtf8String(value: string): void {
    this.#putBytes(this.#withLengthPrefix(utf8Encode(value)));
  }

  /**
   * Reads a string of `bytes` bytes, or, with the default -1, a signed 32-bit length and
   * then that many bytes. The bytes are read as Latin-1 up to the first NUL, as Godot's
   * `get_string` does. Returns `""` when the string is not all there yet (nothing is
   * consumed) or the length is negative. Ports `StreamPeer.get_string`.
   */
  getString(bytes = -1): string {
    const data = this.#readSized(bytes);
    if (data === null) return "";
    let end = data.indexOf(0);
    if (end < 0) end = data.length;
    let text = "";
    for (let i = 0; i < end; i += 8192) {
      text += String.fromCharCode(...data.subarray(i, Math.min(end, i + 8192)));
    }
    return text;
  }

  /**
   * Reads a UTF-8 string of `bytes` bytes, or, with the default -1, a signed 32-bit
   * length and then that many bytes. Returns `""` when the string is not all there yet
   * (nothing is consumed). Ports `StreamPeer.get_utf8_string`.
   */
  getUtf8String(bytes = -1): string {
    const data = this.#readSized(bytes);
    return data === null ? "" : utf8Decode(data);
  }

  /**
   * Writes a signed 32-bit length (following {@link StreamPeer.bigEndian}) and the
   * Variant encoding of `value` (always little-endian). Returns the encoding error, if
   * any. Ports `StreamPeer.put_var` (void in Godot).
   */
  putVar(value: unknown, fullObjects = false): ErrorCode {
    const [error, bytes] = encodeVariant(value, { fullObjects, format: this.variantFormat });
    if (error !== ErrorCode.OK) {
      this.#lastError = error;
      return error;
    }
    return this.#putBytes(this.#withLengthPrefix(bytes));
  }

  /**
   * Reads a signed 32-bit length and a Variant of that many bytes. Returns `null` when
   * the whole Variant is not there yet (nothing is consumed) or does not decode; full
   * objects are refused unless `allowObjects`. Ports `StreamPeer.get_var`.
   */
  getVar(allowObjects = false): unknown {
    const data = this.#readSized(-1);
    if (data === null) return null;
    const [error, value] = decodeVariant(data, { allowObjects, format: this.variantFormat });
    if (error !== ErrorCode.OK) {
      this.#lastError = error;
      return null;
    }
    return value;
  }

  #putScratch(size: number): void {
    this.#lastError = this.writeAll(this.#scratch.subarray(0, size));
  }

  #putBytes(bytes: Uint8Array): ErrorCode {
    const error = this.writeAll(bytes);
    this.#lastError = error;
    return error;
  }

  #getScratch(size: number): boolean {
    const error = this.readExact(this.#scratch, size);
    this.#lastError = error;
    return error === ErrorCode.OK;
  }

  #withLengthPrefix(body: Uint8Array): Uint8Array {
    const bytes = new Uint8Array(4 + body.byteLength);
    new DataView(bytes.buffer).setUint32(0, body.byteLength, !this.bigEndian);
    bytes.set(body, 4);
    return bytes;
  }

  /**
   * Reads `size` bytes, or a signed 32-bit length and then that many bytes when `size`
   * is negative. A network stream consumes nothing unless the whole item is there; a
   * buffer follows Godot (length first, then whatever is there).
   */
  #readSized(size: number): Uint8Array | null {
    if (size >= 0) {
      const [error, data] = this.getData(size);
      return error === ErrorCode.OK ? data : null;
    }
    let length: number;
    if (this.shortReadsConsume()) {
      if (!this.#getScratch(4)) return null;
      length = this.#view.getInt32(0, !this.bigEndian);
    } else {
      if (!this.peekExact(this.#scratch, 4)) {
        this.#lastError = ErrorCode.ERR_UNAVAILABLE;
        return null;
      }
      length = this.#view.getInt32(0, !this.bigEndian);
      if (length >= 0 && this.getAvailableBytes() < 4 + length) {
        this.#lastError = ErrorCode.ERR_UNAVAILABLE;
        return null;
      }
      // A negative length is consumed like any other, so the stream can move past it.
      this.readExact(this.#scratch, 4);
    }
    if (length < 0) {
      this.#lastError = ErrorCode.ERR_INVALID_DATA;
      return null;
    }
    const [error, data] = this.getData(length);
    return error === ErrorCode.OK ? data : null;
  }
}

function toBigInt(value: number | bigint): bigint {
  if (typeof value === "bigint") return value;
  if (!Number.isFinite(value)) return 0n;
  return BigInt(Math.trunc(value));
}
