import { PackedStringArray } from "./containers.js";
import { INVALID_DATA } from "./failure.js";
import { count, int, need, type Reader, reserve, string } from "./reader.js";
import { HOST_IS_LITTLE_ENDIAN } from "./writer.js";

/*
 * Packed arrays: each count is checked against the bytes left before the array is
 * allocated, then the elements are copied as one block.
 */

export function byteArray(r: Reader): Uint8Array {
  const n = count(r, 1);
  reserve(r, n);
  // A copy (a Node Buffer's slice() would alias the input), always a plain Uint8Array.
  const out = new Uint8Array(n);
  out.set(r.bytes.subarray(r.pos, r.pos + n));
  // Godot counts the padding as consumed without checking it is there.
  r.pos = Math.min(r.pos + n + ((4 - (n & 3)) & 3), r.end);
  return out;
}

type NumericArrayType = typeof Int32Array | typeof BigInt64Array | typeof Float32Array | typeof Float64Array;

export function numericArray<A extends NumericArrayType>(r: Reader, Type: A): InstanceType<A> {
  const size = Type.BYTES_PER_ELEMENT;
  const n = count(r, size);
  reserve(r, n * size);
  const out = new Type(n) as InstanceType<A>;
  copyLittleEndian(r, out, n * size, size);
  return out;
}

/** Copies `byteLength` bytes at the cursor into a typed array, swapping on big-endian hosts. */
function copyLittleEndian(r: Reader, out: ArrayBufferView, byteLength: number, elementSize: number): void {
  const target = new Uint8Array(out.buffer, out.byteOffset, byteLength);
  target.set(r.bytes.subarray(r.pos, r.pos + byteLength));
  if (!HOST_IS_LITTLE_ENDIAN) {
    for (let at = 0; at < byteLength; at += elementSize) target.subarray(at, at + elementSize).reverse();
  }
  r.pos += byteLength;
}

export function realArray(r: Reader, stride: number, wide: boolean): Float32Array | Float64Array {
  const size = stride * (wide ? 8 : 4);
  const n = count(r, size);
  reserve(r, n * size);
  const out = wide ? new Float64Array(n * stride) : new Float32Array(n * stride);
  copyLittleEndian(r, out, n * size, wide ? 8 : 4);
  return out;
}

export function stringArray(r: Reader): PackedStringArray {
  need(r, 4);
  // Godot reads this count as int32 and decodes a negative count as an empty array.
  const n = int(r);
  const out = new PackedStringArray();
  if (n <= 0) return out;
  if (n * 4 > r.end - r.pos) throw INVALID_DATA;
  reserve(r, n * 8);
  for (let i = 0; i < n; i++) out.push(string(r));
  return out;
}
