import { createHash } from "node:crypto";
import type http from "node:http";

/** Block `index` of a deterministic body: 64 KiB of bytes that differ from block to block. */
export function patternBlock(index: number, block = new Uint8Array(65536)): Uint8Array {
  let value = (index * 2654435761) >>> 0;
  for (let i = 0; i < block.length; i += 4) {
    value = (value * 1664525 + 1013904223) >>> 0;
    block[i] = value & 0xff;
    block[i + 1] = (value >>> 8) & 0xff;
    block[i + 2] = (value >>> 16) & 0xff;
    block[i + 3] = value >>> 24;
  }
  return block;
}

/** The SHA-256 (hex) of the first `size` bytes of the pattern. */
export function patternDigest(size: number): string {
  const hash = createHash("sha256");
  const block = new Uint8Array(65536);
  for (let index = 0, sent = 0; sent < size; index++) {
    patternBlock(index, block);
    const length = Math.min(block.length, size - sent);
    hash.update(length === block.length ? block : block.subarray(0, length));
    sent += length;
  }
  return hash.digest("hex");
}

/** Streams `size` bytes of the pattern into `res`, respecting backpressure (it holds one block). */
export function streamPattern(res: http.ServerResponse, size: number): void {
  let index = 0;
  let sent = 0;
  const pump = () => {
    while (sent < size) {
      const block = patternBlock(index++);
      const length = Math.min(block.length, size - sent);
      sent += length;
      const more = res.write(length === block.length ? block : block.subarray(0, length));
      if (!more) {
        res.once("drain", pump);
        return;
      }
    }
    res.end();
  };
  pump();
}
