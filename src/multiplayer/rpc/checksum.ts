/*
 * The RPC checksum Godot 4 sends with SIMPLIFY_PATH so both ends can tell whether they
 * number a node's methods the same way (reference/godot4-rpc.md §4).
 */

import { md5 } from "@noble/hashes/legacy.js";
import { bytesToHex } from "@noble/hashes/utils.js";

const textEncoder = new TextEncoder();

/**
 * Lowercase hex MD5 of the method names concatenated in method-id order with no
 * separator (node-level names first, then script names, each group sorted). Ports the
 * checksum of Godot 4's `SceneCacheInterface`/`SceneRPCInterface`.
 */
export function rpcChecksum(namesInIdOrder: readonly string[]): string {
  return bytesToHex(md5(textEncoder.encode(namesInIdOrder.join(""))));
}
