/*
 * Godot 4's "compressed" Variant encoding of RPC arguments (reference/godot4-rpc.md §3):
 * a top-level bool is one byte (`01` false, `81` true) and a top-level int is a meta
 * byte `02 | mode << 6` followed by the value in the smallest signed width (mode 0..3 =
 * 1, 2, 4, 8 bytes). Every other value is plain `encode_variant`, whose header's first
 * byte doubles as the meta byte. Values inside containers are never compressed.
 */

import { ErrorCode } from "../../ErrorCode.js";
import { decodeVariant, encodeVariant } from "../../variant/codec.js";

const TYPE_BOOL = 1;
const TYPE_INT = 2;
const TYPE_MASK = 0x3f;
const MODE_SHIFT = 6;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Encoded arguments, or the reason they could not be encoded. */
export type EncodedArguments = [ErrorCode, Uint8Array];

/**
 * Encodes `args` back to back in the compressed form, without a count. Fails with
 * `encodeVariant`'s error (`ERR_INVALID_PARAMETER` for a value with no Godot type).
 * Ports `SceneRPCInterface::_encode_and_compress_variant`.
 */
export function encodeCompressedArguments(args: readonly unknown[]): EncodedArguments {
  const parts: Uint8Array[] = [];
  let length = 0;
  for (const value of args) {
    const [error, bytes] = encodeCompressed(value);
    if (error !== ErrorCode.OK) return [error, bytes];
    parts.push(bytes);
    length += bytes.byteLength;
  }
  if (parts.length === 1) return [ErrorCode.OK, parts[0]!];
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return [ErrorCode.OK, out];
}

function encodeCompressed(value: unknown): EncodedArguments {
  if (typeof value === "boolean") return [ErrorCode.OK, Uint8Array.of(value ? 0x80 | TYPE_BOOL : TYPE_BOOL)];
  if (typeof value === "number" && Number.isInteger(value) && !Object.is(value, -0)) {
    if (value >= -0x80000000 && value <= 0x7fffffff) return [ErrorCode.OK, compressedInt32(value)];
    return encodeCompressed(BigInt(value));
  }
  if (typeof value === "bigint") {
    if (value < INT64_MIN || value > INT64_MAX) return [ErrorCode.ERR_INVALID_PARAMETER, new Uint8Array(0)];
    if (value >= -0x80000000n && value <= 0x7fffffffn) return [ErrorCode.OK, compressedInt32(Number(value))];
    const out = new Uint8Array(9);
    out[0] = TYPE_INT | (3 << MODE_SHIFT);
    new DataView(out.buffer).setBigInt64(1, value, true);
    return [ErrorCode.OK, out];
  }
  return encodeVariant(value);
}

/** An int that fits 32 bits, in the smallest of 1, 2 or 4 bytes (modes 0, 1, 2). */
function compressedInt32(value: number): Uint8Array {
  if (value >= -0x80 && value <= 0x7f) return Uint8Array.of(TYPE_INT, value & 0xff);
  if (value >= -0x8000 && value <= 0x7fff) {
    return Uint8Array.of(TYPE_INT | (1 << MODE_SHIFT), value & 0xff, (value >> 8) & 0xff);
  }
  return Uint8Array.of(
    TYPE_INT | (2 << MODE_SHIFT),
    value & 0xff,
    (value >> 8) & 0xff,
    (value >> 16) & 0xff,
    (value >>> 24) & 0xff,
  );
}

/** Decoded arguments (`[OK, values]`) or `[ERR_INVALID_DATA, []]`. */
export type DecodedArguments = [ErrorCode, unknown[]];

/**
 * Decodes exactly `count` compressed values from `bytes[start, end)`. Fails with
 * `ERR_INVALID_DATA` when a value is malformed or runs past `end`, and with the decoder's
 * error otherwise (`ERR_UNAUTHORIZED` for a full object: objects are never decoded, as
 * Godot with `allow_object_decoding` off). Bytes left after the last value are ignored,
 * as Godot ignores them. Ports `SceneRPCInterface::_decode_and_decompress_variant`.
 */
export function decodeCompressedArguments(
  bytes: Uint8Array,
  start: number,
  end: number,
  count: number,
): DecodedArguments {
  const values: unknown[] = [];
  let pos = start;
  for (let i = 0; i < count; i++) {
    if (pos >= end) return [ErrorCode.ERR_INVALID_DATA, []];
    const meta = bytes[pos]!;
    const type = meta & TYPE_MASK;
    if (type === TYPE_BOOL) {
      values.push((meta & 0x80) !== 0);
      pos += 1;
      continue;
    }
    if (type === TYPE_INT) {
      const width = 1 << (meta >> MODE_SHIFT);
      if (end - pos - 1 < width) return [ErrorCode.ERR_INVALID_DATA, []];
      values.push(readInt(bytes, pos + 1, width));
      pos += 1 + width;
      continue;
    }
    const [error, value, consumed] = decodeVariant(bytes.subarray(pos, end));
    if (error !== ErrorCode.OK) return [error, []];
    values.push(value);
    pos += consumed;
  }
  return [ErrorCode.OK, values];
}

/** A signed little-endian int of `width` bytes: a `number`, or a `bigint` beyond ±(2^53 − 1) as the Variant decoder gives. */
function readInt(bytes: Uint8Array, offset: number, width: number): number | bigint {
  if (width === 1) return (bytes[offset]! << 24) >> 24;
  if (width === 2) return ((bytes[offset]! | (bytes[offset + 1]! << 8)) << 16) >> 16;
  if (width === 4) {
    return (
      bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)
    );
  }
  const value = new DataView(bytes.buffer, bytes.byteOffset + offset, 8).getBigInt64(0, true);
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}
