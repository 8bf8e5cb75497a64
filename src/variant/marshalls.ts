/**
 * Godot's little-endian byte helpers (`core/io/marshalls.h`): each `encode*` writes into
 * `out` at `offset` and returns the number of bytes written; each `decode*` reads at
 * `offset`. The caller provides the room, as in Godot.
 */

const scratch = new DataView(new ArrayBuffer(8));

/** Ports `encode_uint16`: 2 bytes, little-endian. */
export function encodeUint16(value: number, out: Uint8Array, offset = 0): number {
  out[offset] = value & 0xff;
  out[offset + 1] = (value >>> 8) & 0xff;
  return 2;
}

/** Ports `decode_uint16`. */
export function decodeUint16(bytes: Uint8Array, offset = 0): number {
  return (bytes[offset]! | (bytes[offset + 1]! << 8)) >>> 0;
}

/** Ports `encode_uint32`: 4 bytes, little-endian (a negative value is written as two's complement). */
export function encodeUint32(value: number, out: Uint8Array, offset = 0): number {
  scratch.setUint32(0, value >>> 0, true);
  for (let i = 0; i < 4; i++) out[offset + i] = scratch.getUint8(i);
  return 4;
}

/** Ports `decode_uint32`. */
export function decodeUint32(bytes: Uint8Array, offset = 0): number {
  for (let i = 0; i < 4; i++) scratch.setUint8(i, bytes[offset + i]!);
  return scratch.getUint32(0, true);
}

/** Ports `encode_uint64`: 8 bytes, little-endian (a negative value is written as two's complement). */
export function encodeUint64(value: bigint | number, out: Uint8Array, offset = 0): number {
  scratch.setBigUint64(0, BigInt.asUintN(64, BigInt(value)), true);
  for (let i = 0; i < 8; i++) out[offset + i] = scratch.getUint8(i);
  return 8;
}

/** Ports `decode_uint64`, as an unsigned `bigint`. */
export function decodeUint64(bytes: Uint8Array, offset = 0): bigint {
  for (let i = 0; i < 8; i++) scratch.setUint8(i, bytes[offset + i]!);
  return scratch.getBigUint64(0, true);
}

/**
 * Ports `Math::make_half_float`: the IEEE binary16 bits of a number, computed from its
 * float32 value the way Godot does, which truncates the mantissa (no rounding) and
 * flushes values below the smallest normal half (6.1e-5) to +0.
 */
export function floatToHalf(value: number): number {
  scratch.setFloat32(0, value, true);
  const bits = scratch.getUint32(0, true);
  const sign = (bits >>> 16) & 0x8000;
  const exponent = bits & 0x7f800000;
  const mantissa = bits & 0x7fffff;
  if (exponent >= 0x47800000) {
    const notANumber = exponent === 0x7f800000 && mantissa !== 0;
    return sign | 0x7c00 | (notANumber ? 0x3ff : 0);
  }
  if (exponent <= 0x38000000) return 0;
  return sign | ((exponent - 0x38000000) >>> 13) | (mantissa >>> 13);
}

/** Ports `Math::half_to_float`: the value of IEEE binary16 bits (subnormals included). */
export function halfToFloat(half: number): number {
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >>> 10) & 0x1f;
  const mantissa = half & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Ports `encode_half`: 2 bytes of {@link floatToHalf}. */
export function encodeHalf(value: number, out: Uint8Array, offset = 0): number {
  return encodeUint16(floatToHalf(value), out, offset);
}

/** Ports `decode_half`. */
export function decodeHalf(bytes: Uint8Array, offset = 0): number {
  return halfToFloat(decodeUint16(bytes, offset));
}

/** Ports `encode_float`: IEEE binary32, little-endian. */
export function encodeFloat(value: number, out: Uint8Array, offset = 0): number {
  scratch.setFloat32(0, value, true);
  for (let i = 0; i < 4; i++) out[offset + i] = scratch.getUint8(i);
  return 4;
}

/** Ports `decode_float`. */
export function decodeFloat(bytes: Uint8Array, offset = 0): number {
  for (let i = 0; i < 4; i++) scratch.setUint8(i, bytes[offset + i]!);
  return scratch.getFloat32(0, true);
}

/** Ports `encode_double`: IEEE binary64, little-endian. */
export function encodeDouble(value: number, out: Uint8Array, offset = 0): number {
  scratch.setFloat64(0, value, true);
  for (let i = 0; i < 8; i++) out[offset + i] = scratch.getUint8(i);
  return 8;
}

/** Ports `decode_double`. */
export function decodeDouble(bytes: Uint8Array, offset = 0): number {
  for (let i = 0; i < 8; i++) scratch.setUint8(i, bytes[offset + i]!);
  return scratch.getFloat64(0, true);
}

/**
 * Ports `encode_cstring`: the string's bytes and a NUL. Godot writes each UTF-16 unit's
 * low byte (Latin-1); so does this. Returns the length written, NUL included.
 */
export function encodeCString(text: string, out: Uint8Array, offset = 0): number {
  for (let i = 0; i < text.length; i++) out[offset + i] = text.charCodeAt(i) & 0xff;
  out[offset + text.length] = 0;
  return text.length + 1;
}
