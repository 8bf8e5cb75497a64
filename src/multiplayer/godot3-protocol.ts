/*
 * Godot 3's multiplayer protocol over WebSocket (`gd_mp_api`), as a Godot 3.2.3 engine
 * puts it on the wire: every message carries a 9-byte header
 *
 *   offset 0  u8     type   0 DATA, 1 SYS_ADD, 2 SYS_DEL, 3 SYS_ID
 *   offset 1  int32  from   little-endian
 *   offset 5  int32  to     little-endian
 *   offset 9  ...    payload (SYS_*: the int32 LE peer id; DATA: a MultiplayerAPI packet)
 *
 * and the first payload byte of DATA is Godot 3's MultiplayerAPI command.
 */

import { readInt32, writeInt32 } from "./int32.js";

/** Bytes before the payload. */
export const GODOT3_HEADER_SIZE = 9;
/** The size of a system message (header and a 4-byte peer id). */
export const GODOT3_SYS_SIZE = 13;

/** A packet between peers (Godot's `SYS_NONE`). */
export const GODOT3_DATA = 0;
/** The server announces a peer. */
export const GODOT3_SYS_ADD = 1;
/** The server announces that a peer left. */
export const GODOT3_SYS_DEL = 2;
/** The server tells a client its id. */
export const GODOT3_SYS_ID = 3;

/** Godot 3.2 MultiplayerAPI command: an RPC. */
export const GODOT3_COMMAND_REMOTE_CALL = 0;
/** Godot 3.2 MultiplayerAPI command: an rset. */
export const GODOT3_COMMAND_REMOTE_SET = 1;
/** Godot 3.2 MultiplayerAPI command: "this node path has this cache id". */
export const GODOT3_COMMAND_SIMPLIFY_PATH = 2;
/** Godot 3.2 MultiplayerAPI command: "I have cached this path". */
export const GODOT3_COMMAND_CONFIRM_PATH = 3;
/** Godot 3.2 MultiplayerAPI command: `send_bytes` data. */
export const GODOT3_COMMAND_RAW = 4;

/** A whole message: the header, then `payload`. */
export function encodeGodot3Packet(type: number, from: number, to: number, payload: Uint8Array): Uint8Array {
  const packet = new Uint8Array(GODOT3_HEADER_SIZE + payload.byteLength);
  packet[0] = type;
  writeInt32(packet, 1, from);
  writeInt32(packet, 5, to);
  packet.set(payload, GODOT3_HEADER_SIZE);
  return packet;
}

/** A system message from the server (`from = 1`, `to = 0`) about peer `id`. */
export function encodeGodot3System(type: number, id: number): Uint8Array {
  const packet = new Uint8Array(GODOT3_SYS_SIZE);
  packet[0] = type;
  writeInt32(packet, 1, 1);
  writeInt32(packet, 9, id);
  return packet;
}

/** The `from` field of a message at least 9 bytes long. */
export function godot3From(packet: Uint8Array): number {
  return readInt32(packet, 1);
}

/** The `to` field of a message at least 9 bytes long. */
export function godot3To(packet: Uint8Array): number {
  return readInt32(packet, 5);
}

/** The peer id of a system message at least 13 bytes long. */
export function godot3SystemId(packet: Uint8Array): number {
  return readInt32(packet, 9);
}

/**
 * The CONFIRM_PATH payload that answers a SIMPLIFY_PATH payload
 * (`02 <cache id u32> <path> 00` → `03 <path> 00`), or `null` when it is too short to
 * hold a path.
 */
export function godot3ConfirmPath(simplifyPath: Uint8Array): Uint8Array | null {
  if (simplifyPath.byteLength < 6) return null;
  let end = simplifyPath.indexOf(0, 5);
  if (end < 0) end = simplifyPath.byteLength;
  const answer = new Uint8Array(end - 5 + 2);
  answer[0] = GODOT3_COMMAND_CONFIRM_PATH;
  answer.set(simplifyPath.subarray(5, end), 1);
  return answer;
}
