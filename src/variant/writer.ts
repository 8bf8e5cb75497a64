const textEncoder = new TextEncoder();
const SHORT_STRING = 32;

/** Whether this machine stores numbers little-endian, so typed-array bytes can be copied as they are. */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * A growing little-endian byte buffer for the encoder. Every write reserves its room
 * first; `finish()` copies out exactly the written bytes, so one writer can be reused.
 */
export class ByteWriter {
  bytes: Uint8Array;
  view: DataView;
  pos = 0;

  constructor(capacity = 256) {
    this.bytes = new Uint8Array(capacity);
    this.view = new DataView(this.bytes.buffer);
  }

  /** Makes room for `count` more bytes. */
  reserve(count: number): void {
    const needed = this.pos + count;
    if (needed <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.pos));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  u32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.pos, value, true);
    this.pos += 4;
  }

  i32(value: number): void {
    this.reserve(4);
    this.view.setInt32(this.pos, value, true);
    this.pos += 4;
  }

  /** A signed 64-bit integer given as an integral number or a bigint within range. */
  i64(value: number | bigint): void {
    this.reserve(8);
    this.view.setBigInt64(this.pos, BigInt(value), true);
    this.pos += 8;
  }

  u64(value: bigint): void {
    this.reserve(8);
    this.view.setBigUint64(this.pos, value, true);
    this.pos += 8;
  }

  f32(value: number): void {
    this.reserve(4);
    this.view.setFloat32(this.pos, value, true);
    this.pos += 4;
  }

  f64(value: number): void {
    this.reserve(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /** Raw bytes, unpadded. */
  raw(source: Uint8Array): void {
    this.reserve(source.length);
    this.bytes.set(source, this.pos);
    this.pos += source.length;
  }

  /** Zero bytes up to the next multiple of 4 (the buffer may hold old bytes there). */
  pad4(): void {
    while (this.pos & 3) {
      this.reserve(1);
      this.bytes[this.pos++] = 0;
    }
  }

  /**
   * A string's UTF-8 bytes preceded by their uint32 length (plus `lengthExtra`, which
   * is 1 for the NUL-terminated strings of packed string arrays). Returns the byte
   * length; no padding.
   */
  utf8(text: string, lengthExtra = 0): number {
    const count = text.length;
    this.reserve(4 + count * 3 + lengthExtra);
    const start = this.pos + 4;
    const bytes = this.bytes;
    let length = -1;
    if (count <= SHORT_STRING) {
      let i = 0;
      for (; i < count; i++) {
        const code = text.charCodeAt(i);
        if (code >= 0x80) break;
        bytes[start + i] = code;
      }
      if (i === count) length = count;
    }
    if (length < 0) length = textEncoder.encodeInto(text, bytes.subarray(start)).written;
    this.view.setUint32(this.pos, length + lengthExtra, true);
    this.pos = start + length;
    return length;
  }

  /** The written bytes, copied out; the writer is reset for reuse. */
  finish(): Uint8Array {
    const out = this.bytes.slice(0, this.pos);
    this.pos = 0;
    return out;
  }
}
