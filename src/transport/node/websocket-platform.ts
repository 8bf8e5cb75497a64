import { randomFillSync } from "node:crypto";
import type { StreamWebSocketPlatform } from "../../websocket/StreamWebSocket.js";

/*
 * What gdnet's WebSocket needs from Node: masks and handshake keys from the secure
 * generator (RFC 6455 asks for unpredictable masks), drawn in blocks so a frame costs no
 * system call, and pooled Buffers for frames.
 */

const POOL_SIZE = 8 * 1024;
const pool = Buffer.alloc(POOL_SIZE);
let poolOffset = POOL_SIZE;

function take(size: number): Uint8Array {
  if (poolOffset + size > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + size);
  poolOffset += size;
  return bytes;
}

/** The mask handed out by `nextMask`, valid until the next call (no allocation per frame). */
const mask = new Uint8Array(4);

/** Node's {@link StreamWebSocketPlatform}. */
export const nodeWebSocketPlatform: StreamWebSocketPlatform = {
  nextMask: () => {
    if (poolOffset + 4 > POOL_SIZE) {
      randomFillSync(pool);
      poolOffset = 0;
    }
    mask[0] = pool[poolOffset]!;
    mask[1] = pool[poolOffset + 1]!;
    mask[2] = pool[poolOffset + 2]!;
    mask[3] = pool[poolOffset + 3]!;
    poolOffset += 4;
    return mask;
  },
  handshakeKey: () => Uint8Array.from(take(16)),
  allocate: (size) => Buffer.allocUnsafe(size),
};
