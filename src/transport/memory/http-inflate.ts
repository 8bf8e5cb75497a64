/*
 * DEFLATE decoding (RFC 1951) with the gzip (RFC 1952) and zlib (RFC 1950) wrappers, in
 * plain TypeScript, so the in-memory network can decode `Content-Encoding: gzip` and
 * `deflate` bodies without a platform module (it runs in browsers too). It decodes a
 * whole body at once; the memory network's bodies are test-sized.
 */

const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
  227, 258,
];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DISTANCE_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
  6145, 8193, 12289, 16385, 24577,
];
const DISTANCE_EXTRA = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
const MAX_BITS = 15;

class CorruptData extends Error {}

/** A canonical Huffman code: how many codes of each length, and the symbols in code order. */
interface Huffman {
  counts: Uint16Array;
  symbols: Uint16Array;
}

function buildHuffman(lengths: ArrayLike<number>, offset: number, count: number): Huffman {
  const counts = new Uint16Array(MAX_BITS + 1);
  const symbols = new Uint16Array(count);
  for (let i = 0; i < count; i++) counts[lengths[offset + i]!]!++;
  const offsets = new Uint16Array(MAX_BITS + 2);
  for (let len = 1; len <= MAX_BITS; len++) offsets[len + 1] = offsets[len]! + counts[len]!;
  for (let i = 0; i < count; i++) {
    const len = lengths[offset + i]!;
    if (len !== 0) symbols[offsets[len]!++] = i;
  }
  counts[0] = 0;
  return { counts, symbols };
}

class Inflater {
  #input: Uint8Array;
  #position: number;
  #bitBuffer = 0;
  #bitCount = 0;
  #output = new Uint8Array(1024);
  #length = 0;

  constructor(input: Uint8Array, start: number) {
    this.#input = input;
    this.#position = start;
  }

  /** Where the compressed data ended (the byte after the last one used). */
  get position(): number {
    return this.#position;
  }

  run(): Uint8Array {
    let last = 0;
    while (last === 0) {
      last = this.#bits(1);
      const type = this.#bits(2);
      if (type === 0) this.#stored();
      else if (type === 1) this.#codes(FIXED_LITERALS, FIXED_DISTANCES);
      else if (type === 2) this.#dynamic();
      else throw new CorruptData("invalid block type");
    }
    return this.#output.subarray(0, this.#length);
  }

  #bits(need: number): number {
    let buffer = this.#bitBuffer;
    while (this.#bitCount < need) {
      if (this.#position >= this.#input.length) throw new CorruptData("unexpected end of data");
      buffer |= this.#input[this.#position++]! << this.#bitCount;
      this.#bitCount += 8;
    }
    this.#bitBuffer = buffer >>> need;
    this.#bitCount -= need;
    return buffer & ((1 << need) - 1);
  }

  #emit(byte: number): void {
    if (this.#length === this.#output.length) {
      const grown = new Uint8Array(this.#output.length * 2);
      grown.set(this.#output);
      this.#output = grown;
    }
    this.#output[this.#length++] = byte;
  }

  #stored(): void {
    // Fewer than 8 bits are ever buffered, all from the byte being read: drop them.
    this.#bitBuffer = 0;
    this.#bitCount = 0;
    const input = this.#input;
    const at = this.#position;
    if (at + 4 > input.length) throw new CorruptData("unexpected end of data");
    const length = input[at]! | (input[at + 1]! << 8);
    const check = input[at + 2]! | (input[at + 3]! << 8);
    if (length !== (~check & 0xffff)) throw new CorruptData("stored block length mismatch");
    if (at + 4 + length > input.length) throw new CorruptData("unexpected end of data");
    for (let i = 0; i < length; i++) this.#emit(input[at + 4 + i]!);
    this.#position = at + 4 + length;
  }

  #decode(code: Huffman): number {
    let value = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= MAX_BITS; len++) {
      value |= this.#bits(1);
      const count = code.counts[len]!;
      if (value - count < first) return code.symbols[index + (value - first)]!;
      index += count;
      first = (first + count) << 1;
      value <<= 1;
    }
    throw new CorruptData("invalid Huffman code");
  }

  #codes(literals: Huffman, distances: Huffman): void {
    for (;;) {
      const symbol = this.#decode(literals);
      if (symbol < 256) {
        this.#emit(symbol);
        continue;
      }
      if (symbol === 256) return;
      const lengthIndex = symbol - 257;
      if (lengthIndex >= 29) throw new CorruptData("invalid length symbol");
      const length = LENGTH_BASE[lengthIndex]! + this.#bits(LENGTH_EXTRA[lengthIndex]!);
      const distanceIndex = this.#decode(distances);
      if (distanceIndex >= 30) throw new CorruptData("invalid distance symbol");
      const distance = DISTANCE_BASE[distanceIndex]! + this.#bits(DISTANCE_EXTRA[distanceIndex]!);
      if (distance > this.#length) throw new CorruptData("distance too far back");
      for (let i = 0; i < length; i++) this.#emit(this.#output[this.#length - distance]!);
    }
  }

  #dynamic(): void {
    const literalCount = this.#bits(5) + 257;
    const distanceCount = this.#bits(5) + 1;
    const codeLengthCount = this.#bits(4) + 4;
    if (literalCount > 286 || distanceCount > 30) throw new CorruptData("too many codes");
    const codeLengths = new Uint8Array(19);
    for (let i = 0; i < codeLengthCount; i++) codeLengths[CODE_LENGTH_ORDER[i]!] = this.#bits(3);
    const codeLengthCode = buildHuffman(codeLengths, 0, 19);
    const lengths = new Uint8Array(literalCount + distanceCount);
    let i = 0;
    while (i < lengths.length) {
      const symbol = this.#decode(codeLengthCode);
      if (symbol < 16) {
        lengths[i++] = symbol;
        continue;
      }
      let repeat: number;
      let value = 0;
      if (symbol === 16) {
        if (i === 0) throw new CorruptData("repeat with no previous length");
        value = lengths[i - 1]!;
        repeat = 3 + this.#bits(2);
      } else if (symbol === 17) {
        repeat = 3 + this.#bits(3);
      } else {
        repeat = 11 + this.#bits(7);
      }
      if (i + repeat > lengths.length) throw new CorruptData("too many lengths");
      lengths.fill(value, i, i + repeat);
      i += repeat;
    }
    if (lengths[256] === 0) throw new CorruptData("no end-of-block code");
    this.#codes(buildHuffman(lengths, 0, literalCount), buildHuffman(lengths, literalCount, distanceCount));
  }
}

const FIXED_LITERALS = (() => {
  const lengths = new Uint8Array(288);
  lengths.fill(8, 0, 144);
  lengths.fill(9, 144, 256);
  lengths.fill(7, 256, 280);
  lengths.fill(8, 280, 288);
  return buildHuffman(lengths, 0, 288);
})();
const FIXED_DISTANCES = buildHuffman(new Uint8Array(30).fill(5), 0, 30);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; i++) {
    a = (a + data[i]!) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function readU32LE(data: Uint8Array, at: number): number {
  if (at + 4 > data.length) throw new CorruptData("truncated trailer");
  return (data[at]! | (data[at + 1]! << 8) | (data[at + 2]! << 16) | (data[at + 3]! << 24)) >>> 0;
}

function gunzip(data: Uint8Array): Uint8Array {
  if (data.length < 18 || data[0] !== 0x1f || data[1] !== 0x8b || data[2] !== 8) {
    throw new CorruptData("not gzip");
  }
  const flags = data[3]!;
  let at = 10;
  if (flags & 4) at += 2 + (data[at]! | (data[at + 1]! << 8));
  if (flags & 8) while (at < data.length && data[at++] !== 0);
  if (flags & 16) while (at < data.length && data[at++] !== 0);
  if (flags & 2) at += 2;
  const inflater = new Inflater(data, at);
  const output = inflater.run();
  const end = inflater.position;
  if (readU32LE(data, end) !== crc32(output)) throw new CorruptData("CRC mismatch");
  if (readU32LE(data, end + 4) !== output.length >>> 0) throw new CorruptData("size mismatch");
  return output;
}

function inflateZlibOrRaw(data: Uint8Array): Uint8Array {
  const zlibWrapped = data.length >= 2 && (data[0]! & 0x0f) === 8 && ((data[0]! << 8) | data[1]!) % 31 === 0;
  if (!zlibWrapped) return new Inflater(data, 0).run();
  if (data[1]! & 0x20) throw new CorruptData("preset dictionary not supported");
  const inflater = new Inflater(data, 2);
  const output = inflater.run();
  const at = inflater.position;
  if (at + 4 > data.length) throw new CorruptData("truncated trailer");
  const expected = ((data[at]! << 24) | (data[at + 1]! << 16) | (data[at + 2]! << 8) | data[at + 3]!) >>> 0;
  if (expected !== adler32(output)) throw new CorruptData("Adler-32 mismatch");
  return output;
}

/**
 * Decodes a whole `gzip` or `deflate` body (zlib-wrapped, or raw DEFLATE as browsers
 * also accept). Returns `null` for corrupt data.
 * @internal
 */
export function inflateBody(data: Uint8Array, encoding: "gzip" | "deflate"): Uint8Array | null {
  try {
    return encoding === "gzip" ? gunzip(data) : inflateZlibOrRaw(data);
  } catch (error) {
    if (error instanceof CorruptData) return null;
    throw error;
  }
}
