/*
 * A long test stream whose every byte depends on its position, so that a lost, repeated
 * or reordered chunk shows at the first byte that differs.
 */

/** Byte `i` of the stream. */
export function streamByte(i: number): number {
  return (i * 31 + (i >>> 13)) & 0xff;
}

/** `length` bytes of the stream from `offset`. */
export function streamChunk(offset: number, length: number): Buffer {
  const chunk = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) chunk[i] = streamByte(offset + i);
  return chunk;
}

/** The stream position of the first byte of `bytes` (received at `offset`) that is wrong, or -1. */
export function firstMismatch(bytes: Uint8Array, offset: number): number {
  for (let i = 0; i < bytes.byteLength; i++) if (bytes[i] !== streamByte(offset + i)) return offset + i;
  return -1;
}
