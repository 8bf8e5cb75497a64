/*
 * Godot 3.2's MultiplayerAPI packets for RPCs (reference/godot3-multiplayer.md), the
 * payload of a gd_mp_api DATA message:
 *
 *   REMOTE_CALL    00 <node u32> <method UTF-8> 00 <argc u8> <argc Godot 3 Variants> [path 00]
 *   SIMPLIFY_PATH  02 <cache id u32> <path relative to the root> 00
 *   CONFIRM_PATH   03 <path> 00
 *
 * The node is the sender's cache id or, with bit 31 set, the offset of the path spelled
 * out at the end of the packet. Arguments are plain `encode_variant` (no compression).
 */

import { ErrorCode } from "../../ErrorCode.js";
import { decodeVariant, encodeVariant } from "../../variant/codec.js";
import { GODOT3_COMMAND_REMOTE_CALL, GODOT3_COMMAND_SIMPLIFY_PATH } from "../godot3-protocol.js";
import { MAX_RPC_ARGUMENTS, readPath } from "./remote-call.js";

const FULL_PATH_FLAG = 0x80000000;
/** Godot 3 refuses shorter REMOTE_CALLs. */
const REMOTE_CALL_MIN_LENGTH = 6;
const textEncoder = new TextEncoder();

/** The arguments of one Godot 3 call, encoded once for every target. */
export interface Godot3RpcBody {
  /** Command, cache-id placeholder, method name and arguments: the packet up to the path. */
  readonly head: Uint8Array;
}

/**
 * Encodes a REMOTE_CALL of `method` with `args` (Godot 3 Variants) up to the path; the
 * node is filled in per target by {@link godot3RemoteCall}. Fails with
 * `ERR_INVALID_PARAMETER` for more than 255 arguments or a value with no Godot 3 type.
 */
export function encodeGodot3RpcBody(
  method: string,
  args: readonly unknown[],
): [ErrorCode, Godot3RpcBody | null] {
  if (args.length > MAX_RPC_ARGUMENTS) return [ErrorCode.ERR_INVALID_PARAMETER, null];
  const name = textEncoder.encode(method);
  const values: Uint8Array[] = [];
  let length = 5 + name.byteLength + 2;
  for (const value of args) {
    const [error, bytes] = encodeVariant(value, { format: 3 });
    if (error !== ErrorCode.OK) return [error, null];
    values.push(bytes);
    length += bytes.byteLength;
  }
  const head = new Uint8Array(length);
  head[0] = GODOT3_COMMAND_REMOTE_CALL;
  head.set(name, 5);
  let pos = 5 + name.byteLength + 1;
  head[pos++] = args.length;
  for (const bytes of values) {
    head.set(bytes, pos);
    pos += bytes.byteLength;
  }
  return [ErrorCode.OK, { head }];
}

/** The REMOTE_CALL for node `node`: a cache id the receiver confirmed, or a path spelled out at the end. */
export function godot3RemoteCall(body: Godot3RpcBody, node: number | string): Uint8Array {
  const path = typeof node === "string" ? textEncoder.encode(node) : null;
  const packet = new Uint8Array(body.head.byteLength + (path === null ? 0 : path.byteLength + 1));
  packet.set(body.head);
  const id = path === null ? (node as number) : (FULL_PATH_FLAG | body.head.byteLength) >>> 0;
  new DataView(packet.buffer).setUint32(1, id, true);
  if (path !== null) packet.set(path, body.head.byteLength);
  return packet;
}

/** A decoded Godot 3 REMOTE_CALL. */
export interface Godot3RemoteCall {
  /** The sender's cache id, or -1 with a path. */
  readonly cacheId: number;
  readonly path: string | null;
  readonly method: string;
  /** The arguments, or `null` when they do not decode. */
  readonly args: unknown[] | null;
}

/**
 * Reads a Godot 3 REMOTE_CALL, or returns `null` when its header is malformed (shorter
 * than 6 bytes, no end to the method name, no argument count, a path offset outside the
 * packet, text that is not UTF-8). Arguments that do not decode (or hold an object) give
 * `args: null`. Ports the parsing of Godot 3.2's `MultiplayerAPI::_process_packet`.
 */
export function decodeGodot3RemoteCall(packet: Uint8Array): Godot3RemoteCall | null {
  if (packet.byteLength < REMOTE_CALL_MIN_LENGTH) return null;
  const node = new DataView(packet.buffer, packet.byteOffset, packet.byteLength).getUint32(1, true);
  let end = packet.byteLength;
  let path: string | null = null;
  if ((node & FULL_PATH_FLAG) !== 0) {
    const offset = node & ~FULL_PATH_FLAG;
    if (offset < REMOTE_CALL_MIN_LENGTH || offset >= packet.byteLength) return null;
    path = readPath(packet, offset);
    if (path === null) return null;
    end = offset;
  }
  const nameEnd = packet.indexOf(0, 5);
  if (nameEnd < 0 || nameEnd + 1 >= end) return null;
  const method = readPath(packet.subarray(0, nameEnd), 5);
  if (method === null) return null;
  const argc = packet[nameEnd + 1]!;
  const args: unknown[] = [];
  let pos = nameEnd + 2;
  for (let i = 0; i < argc; i++) {
    const [error, value, used] = decodeVariant(packet.subarray(pos, end), { format: 3 });
    if (error !== ErrorCode.OK) return { cacheId: path === null ? node : -1, path, method, args: null };
    args.push(value);
    pos += used;
  }
  return { cacheId: path === null ? node : -1, path, method, args };
}

/** SIMPLIFY_PATH: "my cache id `cacheId` means `path`". */
export function encodeGodot3SimplifyPath(cacheId: number, path: string): Uint8Array {
  const bytes = textEncoder.encode(path);
  const packet = new Uint8Array(5 + bytes.byteLength + 1);
  packet[0] = GODOT3_COMMAND_SIMPLIFY_PATH;
  new DataView(packet.buffer).setUint32(1, cacheId, true);
  packet.set(bytes, 5);
  return packet;
}

/** Reads a SIMPLIFY_PATH, or `null` when it holds no path or the path is not UTF-8. */
export function decodeGodot3SimplifyPath(packet: Uint8Array): { cacheId: number; path: string } | null {
  if (packet.byteLength < 6) return null;
  const path = readPath(packet, 5);
  if (path === null || path === "") return null;
  return { cacheId: new DataView(packet.buffer, packet.byteOffset).getUint32(1, true), path };
}

/** The path a CONFIRM_PATH confirms, or `null` when it holds none. */
export function decodeGodot3ConfirmPath(packet: Uint8Array): string | null {
  if (packet.byteLength < 2) return null;
  const path = readPath(packet, 1);
  return path === "" ? null : path;
}
