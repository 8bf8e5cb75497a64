/**
 * The decoder's primitives: a bounds-checked little-endian cursor over the input. Every
 * read checks the bytes left first and throws `INVALID_DATA` (caught by `decodeVariant`)
 * when they are not there.
 */
import { INVALID_DATA } from "./failure.js";

const textDecoder = new TextDecoder("utf-8", { fatal: true });
const SHORT_STRING = 24;
export const INT32_MAX = 0x7fffffff;

/**
 * The decoder's cursor over one input, with its options. It also counts what the decoder
 * reserved because the input claimed it (element counts, copied bytes), so a test can
 * check that no input makes it allocate far beyond its own size.
 */
export class Reader {
  readonly view: DataView;
  pos = 0;
  readonly end: number;
  /** The largest single reservation, in bytes. */
  largestReservation = 0;
  /** All reservations together, in bytes. */
  totalReserved = 0;

  constructor(
    readonly bytes: Uint8Array,
    readonly format: 3 | 4,
    readonly exact: boolean,
    readonly allowObjects: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.end = bytes.length;
  }
}

export function need(r: Reader, count: number): void {
  if (r.end - r.pos < count) throw INVALID_DATA;
}

export function reserve(r: Reader, bytes: number): void {
  if (bytes > r.largestReservation) r.largestReservation = bytes;
  r.totalReserved += bytes;
}

export function u32(r: Reader): number {
  need(r, 4);
  const value = r.view.getUint32(r.pos, true);
  r.pos += 4;
  return value;
}

/** A uint32 element count, refused unless `count` elements of at least `minSize` bytes fit in what is left. */
export function count(r: Reader, minSize: number): number {
  const n = u32(r);
  if (n > INT32_MAX || n * minSize > r.end - r.pos) throw INVALID_DATA;
  return n;
}

export function int64(r: Reader): number | bigint {
  need(r, 8);
  const value = r.view.getInt32(r.pos + 4, true) * 4294967296 + r.view.getUint32(r.pos, true);
  const result = Number.isSafeInteger(value) ? value : r.view.getBigInt64(r.pos, true);
  r.pos += 8;
  return result;
}

export function u64(r: Reader): bigint {
  need(r, 8);
  const value = r.view.getBigUint64(r.pos, true);
  r.pos += 8;
  return value;
}

/** Checks room for `n` reals once; `real()` then reads without checks. */
export function reals(r: Reader, n: number, wide: boolean): void {
  need(r, n * (wide ? 8 : 4));
}

export function real(r: Reader, wide: boolean): number {
  const pos = r.pos;
  if (wide) {
    r.pos += 8;
    return r.view.getFloat64(pos, true);
  }
  r.pos += 4;
  return r.view.getFloat32(pos, true);
}

export function int(r: Reader): number {
  const pos = r.pos;
  r.pos += 4;
  return r.view.getInt32(pos, true);
}

/** A length-prefixed, zero-padded UTF-8 string (Godot's `_decode_string`). */
export function string(r: Reader): string {
  const length = u32(r);
  const pad = (4 - (length & 3)) & 3;
  if (length > INT32_MAX || length + pad > r.end - r.pos) throw INVALID_DATA;
  const start = r.pos;
  r.pos += length + pad;
  reserve(r, length * 2);
  return utf8(r.bytes, start, start + length);
}

/** UTF-8 up to the first NUL (Godot's `parse_utf8` stops there); invalid UTF-8 is refused. */
function utf8(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= SHORT_STRING) {
    let text = "";
    for (let i = start; i < end; i++) {
      const code = bytes[i]!;
      if (code === 0) return text;
      if (code >= 0x80) return utf8Slow(bytes, start, end);
      text += String.fromCharCode(code);
    }
    return text;
  }
  return utf8Slow(bytes, start, end);
}

function utf8Slow(bytes: Uint8Array, start: number, end: number): string {
  let slice = bytes.subarray(start, end);
  const nul = slice.indexOf(0);
  if (nul >= 0) slice = slice.subarray(0, nul);
  try {
    return textDecoder.decode(slice);
  } catch {
    throw INVALID_DATA;
  }
}
