/*
 * Godot 4's REMOTE_CALL packet (reference/godot4-rpc.md §2, §3):
 *
 *   byte 0     0x00 | nodeWidth << 4 | methodWidth << 6 | byteOnly << 7
 *   node id    1, 2 or 4 bytes; with bit 31 set, `0x80000000 | offset` of a path
 *              (UTF-8, NUL-terminated) that ends the packet
 *   method id  1 or 2 bytes
 *   [argc]     1 byte, absent when byteOnly
 *   arguments  argc compressed Variants, or the raw bytes of one PackedByteArray
 */

import { ErrorCode } from "../../ErrorCode.js";
import { SCENE_COMMAND_REMOTE_CALL } from "../godot4-protocol.js";
import { encodeCompressedArguments } from "./compressed-variant.js";

const NODE_WIDTH_SHIFT = 4;
const METHOD_WIDTH_SHIFT = 6;
const BYTE_ONLY_FLAG = 0x80;
const FULL_PATH_FLAG = 0x80000000;
/** Godot counts arguments in one byte. */
export const MAX_RPC_ARGUMENTS = 255;

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder("utf-8", { fatal: true });

/** The arguments of one call, encoded once and reused for every target. */
export interface RpcBody {
  /** No argument count on the wire: no arguments, or the bytes of one PackedByteArray. */
  readonly byteOnly: boolean;
  readonly argc: number;
  readonly bytes: Uint8Array;
}

/**
 * Encodes `args` as Godot sends them: no arguments or one `Uint8Array` (PackedByteArray)
 * use the byte-only form, anything else a count and compressed Variants. Fails with
 * `ERR_INVALID_PARAMETER` for more than 255 arguments or a value with no Godot type.
 */
export function encodeRpcBody(args: readonly unknown[]): [ErrorCode, RpcBody | null] {
  if (args.length === 0) return [ErrorCode.OK, { byteOnly: true, argc: 0, bytes: new Uint8Array(0) }];
  if (args.length === 1 && args[0] instanceof Uint8Array) {
    return [ErrorCode.OK, { byteOnly: true, argc: 1, bytes: args[0] }];
  }
  if (args.length > MAX_RPC_ARGUMENTS) return [ErrorCode.ERR_INVALID_PARAMETER, null];
  const [error, bytes] = encodeCompressedArguments(args);
  if (error !== ErrorCode.OK) return [error, null];
  return [ErrorCode.OK, { byteOnly: false, argc: args.length, bytes }];
}

/**
 * A REMOTE_CALL for node `node` (a cache id the receiver confirmed, written in the
 * smallest width, or a path relative to the multiplayer root, spelled out at the end) and
 * method id `methodId` (8-bit up to 255, else 16-bit).
 */
export function encodeRemoteCall(node: number | string, methodId: number, body: RpcBody): Uint8Array {
  const path = typeof node === "string" ? textEncoder.encode(node) : null;
  const nodeWidth = typeof node === "string" ? 2 : node <= 0xff ? 0 : node <= 0xffff ? 1 : 2;
  const methodWidth = methodId <= 0xff ? 0 : 1;
  const headerLength = 1 + (1 << nodeWidth) + (1 << methodWidth) + (body.byteOnly ? 0 : 1);
  const pathStart = headerLength + body.bytes.byteLength;
  const packet = new Uint8Array(pathStart + (path === null ? 0 : path.byteLength + 1));
  packet[0] =
    SCENE_COMMAND_REMOTE_CALL |
    (nodeWidth << NODE_WIDTH_SHIFT) |
    (methodWidth << METHOD_WIDTH_SHIFT) |
    (body.byteOnly ? BYTE_ONLY_FLAG : 0);
  const nodeId = path !== null ? (FULL_PATH_FLAG | pathStart) >>> 0 : (node as number);
  let pos = writeLittleEndian(packet, 1, nodeId, 1 << nodeWidth);
  pos = writeLittleEndian(packet, pos, methodId, 1 << methodWidth);
  if (!body.byteOnly) packet[pos++] = body.argc;
  packet.set(body.bytes, pos);
  if (path !== null) packet.set(path, pathStart);
  return packet;
}

/** A REMOTE_CALL's header, as far as the receiver needs it before looking the node up. */
export interface RemoteCallHeader {
  /** The sender's cache id, or -1 when the path is spelled out. */
  readonly cacheId: number;
  /** The path relative to the multiplayer root, or `null` with a cache id. */
  readonly path: string | null;
  readonly methodId: number;
  readonly byteOnly: boolean;
  /** Argument count (without byteOnly). */
  readonly argc: number;
  /** Where the arguments start and end in the packet. */
  readonly argsStart: number;
  readonly argsEnd: number;
}

/**
 * Reads a REMOTE_CALL's header, or returns `null` when it is malformed: truncated, node
 * width 3, a path offset outside the packet or before the arguments, a path that is not
 * UTF-8. Ports the parsing half of `SceneRPCInterface::process_rpc`.
 */
export function decodeRemoteCall(packet: Uint8Array): RemoteCallHeader | null {
  const first = packet[0]!;
  const nodeWidth = (first >> NODE_WIDTH_SHIFT) & 3;
  if (nodeWidth === 3) return null;
  const methodWidth = (first >> METHOD_WIDTH_SHIFT) & 1;
  const byteOnly = (first & BYTE_ONLY_FLAG) !== 0;
  const nodeBytes = 1 << nodeWidth;
  const methodBytes = 1 << methodWidth;
  let pos = 1 + nodeBytes + methodBytes;
  if (packet.byteLength < pos + (byteOnly ? 0 : 1)) return null;
  const nodeId = readLittleEndian(packet, 1, nodeBytes);
  const methodId = readLittleEndian(packet, 1 + nodeBytes, methodBytes);
  const argc = byteOnly ? 0 : packet[pos++]!;
  let path: string | null = null;
  let argsEnd = packet.byteLength;
  if (nodeWidth === 2 && (nodeId & FULL_PATH_FLAG) !== 0) {
    const offset = nodeId & ~FULL_PATH_FLAG;
    if (offset < pos || offset >= packet.byteLength) return null;
    path = readPath(packet, offset);
    if (path === null) return null;
    argsEnd = offset;
  }
  return { cacheId: path === null ? nodeId : -1, path, methodId, byteOnly, argc, argsStart: pos, argsEnd };
}

/** Writes the low `width` bytes of `value` little-endian at `offset`; returns the offset after them. */
function writeLittleEndian(bytes: Uint8Array, offset: number, value: number, width: number): number {
  for (let i = 0; i < width; i++) bytes[offset + i] = (value >>> (8 * i)) & 0xff;
  return offset + width;
}

/** An unsigned little-endian int of `width` (1, 2 or 4) bytes at `offset`. */
function readLittleEndian(bytes: Uint8Array, offset: number, width: number): number {
  let value = 0;
  for (let i = width - 1; i >= 0; i--) value = value * 256 + bytes[offset + i]!;
  return value;
}

/** A NUL-terminated (or packet-terminated) UTF-8 path from `offset`, `null` if not UTF-8. */
export function readPath(packet: Uint8Array, offset: number): string | null {
  let end = packet.indexOf(0, offset);
  if (end < 0) end = packet.byteLength;
  try {
    return textDecoder.decode(packet.subarray(offset, end));
  } catch {
    return null;
  }
}
