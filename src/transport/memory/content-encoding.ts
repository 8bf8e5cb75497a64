import { Decompress, gunzipSync, inflateSync } from "fflate";

/*
 * Decoding of `Content-Encoding: gzip` and `deflate` bodies for the in-memory network,
 * which runs in browsers too, so it cannot use node:zlib; and it must decode
 * synchronously inside a poll to stay deterministic, so not `DecompressionStream`.
 * fflate inflates; it does not verify the trailers' checksums, so they are checked here,
 * as node:zlib and browsers do: a body with a wrong CRC-32 or Adler-32 is corrupt.
 */

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

function crc32(data: Uint8Array): number {
  let crc = -1;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  // 5552 bytes is the most that can be summed before b could pass 2^32 (RFC 1950's NMAX).
  for (let start = 0; start < data.length; start += 5552) {
    const end = Math.min(start + 5552, data.length);
    for (let i = start; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const readU32LE = (data: Uint8Array, at: number) =>
  (data[at]! | (data[at + 1]! << 8) | (data[at + 2]! << 16) | (data[at + 3]! << 24)) >>> 0;
const readU32BE = (data: Uint8Array, at: number) =>
  ((data[at]! << 24) | (data[at + 1]! << 16) | (data[at + 2]! << 8) | data[at + 3]!) >>> 0;

function gunzip(data: Uint8Array): Uint8Array | null {
  if (data.length < 18 || data[0] !== 0x1f || data[1] !== 0x8b || data[2] !== 8) return null;
  const output = gunzipSync(data);
  const trailer = data.length - 8;
  if (readU32LE(data, trailer) !== crc32(output)) return null;
  if (readU32LE(data, trailer + 4) !== output.length >>> 0) return null;
  return output;
}

/** `deflate` as browsers accept it: zlib-wrapped (RFC 1950) or raw DEFLATE. */
function inflateZlibOrRaw(data: Uint8Array): Uint8Array | null {
  const zlibWrapped = data.length >= 2 && (data[0]! & 0x0f) === 8 && ((data[0]! << 8) | data[1]!) % 31 === 0;
  if (!zlibWrapped) return inflateSync(data);
  // A preset dictionary is something no HTTP server can have agreed on with the client.
  if (data[1]! & 0x20 || data.length < 6) return null;
  const output = inflateSync(data.subarray(2, data.length - 4));
  return readU32BE(data, data.length - 4) === adler32(output) ? output : null;
}

/** What {@link decodeBody} returns for a body that inflates past its size limit. @internal */
export const TOO_LARGE = "too-large";

/**
 * Whether `data` inflates to more than `limit` bytes. It is fed to fflate's streaming
 * decoder 1 KiB at a time (DEFLATE inflates at most about 1032 times), so a small
 * "bomb" is stopped about 1 MiB past the limit instead of inflated whole. Corrupt data
 * is left to the full decode to report.
 */
function inflatesPast(data: Uint8Array, limit: number): boolean {
  let size = 0;
  const stream = new Decompress((chunk) => {
    size += chunk.byteLength;
  });
  try {
    for (let at = 0; at < data.length && size <= limit; at += 1024) {
      stream.push(data.subarray(at, at + 1024), at + 1024 >= data.length);
    }
  } catch {
    return false;
  }
  return size > limit;
}

/**
 * Decodes a whole `gzip` or `deflate` body. Returns `null` for corrupt data, and
 * {@link TOO_LARGE} when it would inflate past `limit` bytes (-1: no limit).
 * @internal
 */
export function decodeBody(
  data: Uint8Array,
  encoding: "gzip" | "deflate",
  limit = -1,
): Uint8Array | null | typeof TOO_LARGE {
  if (limit >= 0 && inflatesPast(data, limit)) return TOO_LARGE;
  try {
    return encoding === "gzip" ? gunzip(data) : inflateZlibOrRaw(data);
  } catch (error) {
    // fflate reports corrupt input with an Error carrying a numeric `code`.
    if (error instanceof Error && typeof (error as { code?: unknown }).code === "number") return null;
    throw error;
  }
}
