import { ErrorCode } from "../ErrorCode.js";
import { decodeValue, Reader } from "./decode.js";
import { type EncodeState, encodeValue } from "./encode.js";
import { VariantFailure } from "./failure.js";
import { ByteWriter } from "./writer.js";

/** Options of {@link varToBytes} and {@link encodeVariant}. */
export interface VariantEncodeOptions {
  /**
   * Godot's `full_objects`: encode a {@link GodotObject} with its class and properties.
   * Without it a `GodotObject` cannot be encoded (`ERR_INVALID_PARAMETER`). Default `false`.
   */
  fullObjects?: boolean;
  /** The wire format: 4 for Godot 4 (default), 3 for Godot 3.x. */
  format?: 3 | 4;
  /**
   * Write real-based math types and packed vector arrays as float64 with the 64-bit
   * header flag, as a Godot 4 build with `precision=double` does. Colors stay float32.
   * Ignored with `format: 3`. Default `false` (float32, as standard builds).
   */
  doublePrecision?: boolean;
}

/** Options of {@link bytesToVar} and {@link decodeVariant}. */
export interface VariantDecodeOptions {
  /**
   * Godot's `allow_objects`: accept full objects (decoded as {@link GodotObject}) and keep
   * the class names of object-typed container slots. Without it a full object fails with
   * `ERR_UNAUTHORIZED`, as in Godot. Objects sent as ids are always accepted. Default `false`.
   */
  allowObjects?: boolean;
  /** The wire format: 4 for Godot 4 (default), 3 for Godot 3.x. */
  format?: 3 | 4;
  /**
   * Decode every FLOAT as a {@link Float} instead of a `number`, so that decoding and
   * re-encoding gives back the same bytes. Default `false`.
   */
  exact?: boolean;
}

/**
 * What the last {@link decodeVariant} call reserved because its input claimed it (element
 * counts, copied bytes and strings), for tests that bound the decoder's allocations.
 * Internal: not exported from the package.
 */
export const lastDecodeStats = { inputLength: 0, largestReservation: 0, totalReserved: 0 };

const EMPTY = new Uint8Array(0);
const KEEP_WRITER_BYTES = 1 << 20;
let spareWriter: ByteWriter | null = new ByteWriter(1024);

/**
 * Encodes a value in Godot's binary Variant format and reports why it could not.
 * Ports Godot's `encode_variant` (`core/io/marshalls.cpp`), which `var_to_bytes` and
 * `put_var` use.
 *
 * @returns `[OK, bytes]`, or `[error, empty]`: `ERR_INVALID_PARAMETER` for a value with no
 *   Godot type in the chosen format (a function, a `Vector2i` with `format: 3`, an int
 *   beyond 64 bits, a `GodotObject` without `fullObjects`), `ERR_OUT_OF_MEMORY` for
 *   nesting deeper than 1024 containers (cyclic data ends here, as in Godot).
 */
export function encodeVariant(value: unknown, options: VariantEncodeOptions = {}): [ErrorCode, Uint8Array] {
  const format = options.format ?? 4;
  if (format !== 3 && format !== 4) return [ErrorCode.ERR_INVALID_PARAMETER, EMPTY];
  const writer = spareWriter ?? new ByteWriter();
  spareWriter = null;
  const state: EncodeState = {
    w: writer,
    format,
    fullObjects: options.fullObjects === true,
    wideReals: format === 4 && options.doublePrecision === true,
  };
  try {
    encodeValue(state, value, 0);
    return [ErrorCode.OK, writer.finish()];
  } catch (error) {
    if (error instanceof VariantFailure) return [error.code, EMPTY];
    throw error;
  } finally {
    writer.pos = 0;
    if (writer.bytes.length <= KEEP_WRITER_BYTES) spareWriter = writer;
  }
}

/**
 * Decodes one Variant from the start of `bytes` and reports why it could not. Ports
 * Godot's `decode_variant`, which `bytes_to_var` and `get_var` use.
 *
 * Safe for bytes from the network: it never throws, finishes in time proportional to the
 * input, and refuses any count the remaining bytes cannot hold before allocating for it.
 *
 * @returns `[OK, value, consumed]`, where `consumed` is the encoded length (Godot's
 *   `r_len`; trailing bytes are left alone), or `[error, null, 0]`: `ERR_INVALID_DATA` for
 *   malformed or truncated bytes (where Godot says `ERR_FILE_EOF` for a truncated string,
 *   gdnet says `ERR_INVALID_DATA`), `ERR_UNAUTHORIZED` for a full object without
 *   `allowObjects`, `ERR_OUT_OF_MEMORY` for nesting deeper than 1024 containers.
 */
export function decodeVariant(
  bytes: Uint8Array,
  options: VariantDecodeOptions = {},
): [ErrorCode, unknown, number] {
  const format = options.format ?? 4;
  if ((format !== 3 && format !== 4) || !(bytes instanceof Uint8Array)) {
    return [ErrorCode.ERR_INVALID_PARAMETER, null, 0];
  }
  const reader = new Reader(bytes, format, options.exact === true, options.allowObjects === true);
  try {
    const value = decodeValue(reader, 0);
    return [ErrorCode.OK, value, reader.pos];
  } catch (error) {
    if (error instanceof VariantFailure) return [error.code, null, 0];
    throw error;
  } finally {
    lastDecodeStats.inputLength = bytes.length;
    lastDecodeStats.largestReservation = reader.largestReservation;
    lastDecodeStats.totalReserved = reader.totalReserved;
  }
}

/**
 * Encodes a value in Godot's binary Variant format. Ports GDScript's `var_to_bytes`
 * (and, with `fullObjects`, `var_to_bytes_with_objects`; `var2bytes` in Godot 3).
 *
 * Numbers: an integral `number` (other than `-0`) is INT, any other number is FLOAT; wrap
 * in {@link Float} to force FLOAT. INT uses 32 bits when the value fits, else 64; FLOAT
 * uses float32 when exact, else float64. See {@link encodeVariant} for the errors.
 *
 * @returns the bytes, or an empty array on error, as Godot.
 */
export function varToBytes(value: unknown, options?: VariantEncodeOptions): Uint8Array {
  return encodeVariant(value, options)[1];
}

/**
 * Decodes bytes in Godot's binary Variant format. Ports GDScript's `bytes_to_var` (and,
 * with `allowObjects`, `bytes_to_var_with_objects`; `bytes2var` in Godot 3).
 *
 * INT decodes as a `number`, or a `bigint` outside ±(2^53 − 1); FLOAT as a `number`
 * (a {@link Float} with `exact`). Trailing bytes are ignored. See {@link decodeVariant}.
 *
 * @returns the value, or `null` on error, as Godot.
 */
export function bytesToVar(bytes: Uint8Array, options?: VariantDecodeOptions): unknown {
  return decodeVariant(bytes, options)[1];
}
