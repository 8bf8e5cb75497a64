/*
 * Godot 4's multiplayer protocol over WebSocket.
 *
 * Transport (WebSocketMultiplayerPeer): the server's first message to a client is its
 * id, a 4-byte little-endian int32 ≥ 2; after that every message is one packet with no
 * header.
 *
 * Scene layer (SceneMultiplayer): the low 3 bits of a packet's first byte are the
 * command. SYS packets are `07 <sys command u8> <peer id int32 LE> <payload…>`.
 */

import { readInt32, writeInt32 } from "./int32.js";

/** The bits of the first byte that hold the command. */
export const SCENE_COMMAND_MASK = 7;
/** An RPC. */
export const SCENE_COMMAND_REMOTE_CALL = 0;
/** "This node path has this cache id". */
export const SCENE_COMMAND_SIMPLIFY_PATH = 1;
/** "I have cached this path". */
export const SCENE_COMMAND_CONFIRM_PATH = 2;
/** `send_bytes` data. */
export const SCENE_COMMAND_RAW = 3;
/** MultiplayerSpawner spawn. */
export const SCENE_COMMAND_SPAWN = 4;
/** MultiplayerSpawner despawn. */
export const SCENE_COMMAND_DESPAWN = 5;
/** MultiplayerSynchronizer state. */
export const SCENE_COMMAND_SYNC = 6;
/** A system packet (authentication, peer announcements, relay). */
export const SCENE_COMMAND_SYS = 7;

/** SYS: authentication data. */
export const SYS_AUTH = 0;
/** SYS: the server announces a peer. */
export const SYS_ADD_PEER = 1;
/** SYS: the server announces that a peer left. */
export const SYS_DEL_PEER = 2;
/** SYS: a packet relayed through the server (target on the way in, source on the way out). */
export const SYS_RELAY = 3;
/** Bytes before a SYS packet's payload. */
export const SYS_HEADER_SIZE = 6;

/** The id message a server sends first: the id as a 4-byte little-endian int32. */
export function encodePeerIdMessage(id: number): Uint8Array {
  const message = new Uint8Array(4);
  writeInt32(message, 0, id);
  return message;
}

/** The id in a server's first message, or 0 unless it is exactly 4 bytes holding an id ≥ 2. */
export function decodePeerIdMessage(message: Uint8Array): number {
  if (message.byteLength !== 4) return 0;
  const id = readInt32(message, 0);
  return id >= 2 ? id : 0;
}

/** A 6-byte SYS packet (`ADD_PEER`/`DEL_PEER`) about peer `id`. */
export function encodeSys(command: number, id: number): Uint8Array {
  const packet = new Uint8Array(SYS_HEADER_SIZE);
  packet[0] = SCENE_COMMAND_SYS;
  packet[1] = command;
  writeInt32(packet, 2, id);
  return packet;
}

/** `07 03 <peer> <inner>`: a relay packet to (client → server) or from (server → client) `peer`. */
export function encodeRelay(peer: number, inner: Uint8Array): Uint8Array {
  const packet = new Uint8Array(SYS_HEADER_SIZE + inner.byteLength);
  packet[0] = SCENE_COMMAND_SYS;
  packet[1] = SYS_RELAY;
  writeInt32(packet, 2, peer);
  packet.set(inner, SYS_HEADER_SIZE);
  return packet;
}

/** The peer id of a SYS packet at least 6 bytes long. */
export function sysPeer(packet: Uint8Array): number {
  return readInt32(packet, 2);
}
