/*
 * Godot 4's node-path cache packets (reference/godot4-rpc.md §4):
 *
 *   SIMPLIFY_PATH  01 <checksum: 32 hex chars> 00 <cache id u32> <path relative to the root> 00
 *   CONFIRM_PATH   02 <valid: 01 | 00> <cache id u32>
 */

import { SCENE_COMMAND_CONFIRM_PATH, SCENE_COMMAND_SIMPLIFY_PATH } from "../godot4-protocol.js";
import { readPath } from "./remote-call.js";

const CHECKSUM_LENGTH = 32;
/** Where the path starts: command, checksum, its NUL, cache id. Also the shortest SIMPLIFY_PATH Godot accepts. */
const SIMPLIFY_PATH_MIN_LENGTH = 38;
const CONFIRM_PATH_LENGTH = 6;

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder("utf-8", { fatal: true });

/** What a SIMPLIFY_PATH announces. */
export interface SimplifyPath {
  readonly checksum: string;
  readonly cacheId: number;
  /** Relative to the multiplayer root (`Game` for `/root/Game`). */
  readonly path: string;
}

/** SIMPLIFY_PATH: "my cache id `cacheId` means `path`, whose methods sum to `checksum`". */
export function encodeSimplifyPath(checksum: string, cacheId: number, path: string): Uint8Array {
  const pathBytes = textEncoder.encode(path);
  const packet = new Uint8Array(SIMPLIFY_PATH_MIN_LENGTH + pathBytes.byteLength + 1);
  packet[0] = SCENE_COMMAND_SIMPLIFY_PATH;
  textEncoder.encodeInto(checksum.slice(0, CHECKSUM_LENGTH), packet.subarray(1, 1 + CHECKSUM_LENGTH));
  new DataView(packet.buffer).setUint32(CHECKSUM_LENGTH + 2, cacheId, true);
  packet.set(pathBytes, SIMPLIFY_PATH_MIN_LENGTH);
  return packet;
}

/** Reads a SIMPLIFY_PATH, or `null` when it is shorter than Godot's minimum or not text where text belongs. */
export function decodeSimplifyPath(packet: Uint8Array): SimplifyPath | null {
  if (packet.byteLength < SIMPLIFY_PATH_MIN_LENGTH) return null;
  let checksum: string;
  try {
    checksum = textDecoder.decode(packet.subarray(1, 1 + CHECKSUM_LENGTH));
  } catch {
    return null;
  }
  const cacheId = new DataView(packet.buffer, packet.byteOffset).getUint32(CHECKSUM_LENGTH + 2, true);
  const path = readPath(packet, SIMPLIFY_PATH_MIN_LENGTH);
  if (path === null || path === "") return null;
  return { checksum, cacheId, path };
}

/** CONFIRM_PATH: the answer to SIMPLIFY_PATH `cacheId`, `valid` when the checksums agreed. */
export function encodeConfirmPath(valid: boolean, cacheId: number): Uint8Array {
  const packet = new Uint8Array(CONFIRM_PATH_LENGTH);
  packet[0] = SCENE_COMMAND_CONFIRM_PATH;
  packet[1] = valid ? 1 : 0;
  new DataView(packet.buffer).setUint32(2, cacheId, true);
  return packet;
}

/** Reads a CONFIRM_PATH, or `null` unless it is exactly 6 bytes, as Godot requires. */
export function decodeConfirmPath(packet: Uint8Array): { valid: boolean; cacheId: number } | null {
  if (packet.byteLength !== CONFIRM_PATH_LENGTH) return null;
  const cacheId = new DataView(packet.buffer, packet.byteOffset).getUint32(2, true);
  return { valid: packet[1] !== 0, cacheId };
}
