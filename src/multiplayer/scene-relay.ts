/*
 * Godot 4's server relay (SceneMultiplayer with `server_relay`): the server announces
 * peers to each other and forwards packets between clients, rewriting the SYS RELAY
 * header's peer id from the target to the source.
 */

import { ErrorCode } from "../ErrorCode.js";
import type { MultiplayerPeerApi } from "../MultiplayerPeer.js";
import { TARGET_PEER_BROADCAST, TARGET_PEER_SERVER } from "./constants.js";
import {
  encodeRelay,
  encodeSys,
  SYS_ADD_PEER,
  SYS_DEL_PEER,
  SYS_HEADER_SIZE,
  SYS_RELAY,
  sysPeer,
} from "./godot4-protocol.js";

/** Every peer is this server's own client (the only case outside a cluster). */
const ALL_LOCAL = (): boolean => true;

/**
 * Peer `id` joined: ADD_PEER(id) to every connected peer, and ADD_PEER(each of them) to
 * `id`. In a cluster each process tells its own clients only (`isLocal`), so every client
 * hears of every peer once: a peer of another process is announced here, not told here.
 */
export function announceJoin(
  peer: MultiplayerPeerApi,
  connected: ReadonlySet<number>,
  id: number,
  isLocal: (id: number) => boolean = ALL_LOCAL,
): void {
  const joined = encodeSys(SYS_ADD_PEER, id);
  const joinerIsLocal = isLocal(id);
  for (const other of connected) {
    if (isLocal(other)) {
      peer.setTargetPeer(other);
      peer.putPacket(joined);
    }
    if (joinerIsLocal) {
      peer.setTargetPeer(id);
      peer.putPacket(encodeSys(SYS_ADD_PEER, other));
    }
  }
}

/** Peer `id` left: DEL_PEER(id) to every peer still connected (in a cluster, to this process's own clients). */
export function announceLeave(
  peer: MultiplayerPeerApi,
  connected: ReadonlySet<number>,
  id: number,
  isLocal: (id: number) => boolean = ALL_LOCAL,
): void {
  const left = encodeSys(SYS_DEL_PEER, id);
  for (const other of connected) {
    if (other === id || !isLocal(other)) continue;
    peer.setTargetPeer(other);
    peer.putPacket(left);
  }
}

/**
 * A client asked the server to relay `inner` to `target` (a peer, 0 for everyone, `-id`
 * for everyone but `id`): sends `07 03 <source> <inner>` to those peers, never back to
 * the source. Returns whether the server is among the targets (broadcast, or "all but"
 * someone other than the server), so it processes `inner` itself. A target that is not
 * connected (it may have just left), or the source itself, gets nothing.
 */
export function relayFromClient(
  peer: MultiplayerPeerApi,
  connected: ReadonlySet<number>,
  source: number,
  target: number,
  inner: Uint8Array,
): boolean {
  if (target > 0) {
    if (target !== source && connected.has(target)) {
      peer.setTargetPeer(target);
      peer.putPacket(encodeRelay(source, inner));
    }
    return false;
  }
  const relayed = encodeRelay(source, inner);
  const excluded = -target;
  for (const other of connected) {
    if (other === source || other === excluded) continue;
    peer.setTargetPeer(other);
    peer.putPacket(relayed);
  }
  return target !== -TARGET_PEER_SERVER;
}

/** A client sends `packet` for `target` (not the server) through the server's relay. */
export function sendThroughServer(peer: MultiplayerPeerApi, target: number, packet: Uint8Array): ErrorCode {
  peer.setTargetPeer(TARGET_PEER_SERVER);
  return peer.putPacket(encodeRelay(target, packet));
}

/** What a Godot 4 SYS packet can ask of SceneMultiplayer. */
export interface SysHandlers {
  addPeer(id: number): void;
  deletePeer(id: number): void;
  /** A scene packet relayed from `sender` (the original source). */
  processScene(sender: number, packet: Uint8Array): void;
}

/**
 * A SYS packet from `sender`: a client takes ADD_PEER/DEL_PEER and relayed packets from
 * the server; a server forwards a client's relay and processes it too when it is among
 * the targets. Anything else (AUTH, short packets, announcements from a client) is dropped.
 */
export function processSys(
  peer: MultiplayerPeerApi,
  connected: ReadonlySet<number>,
  sender: number,
  packet: Uint8Array,
  handlers: SysHandlers,
): void {
  if (packet.byteLength < SYS_HEADER_SIZE) return;
  const command = packet[1];
  const id = sysPeer(packet);
  const isServer = peer.getUniqueId() === TARGET_PEER_SERVER;
  if (command === SYS_ADD_PEER || command === SYS_DEL_PEER) {
    if (isServer || sender !== TARGET_PEER_SERVER || id === TARGET_PEER_SERVER || id === peer.getUniqueId())
      return;
    if (command === SYS_ADD_PEER) handlers.addPeer(id);
    else handlers.deletePeer(id);
    return;
  }
  if (command !== SYS_RELAY || packet.byteLength <= SYS_HEADER_SIZE) return;
  const inner = packet.subarray(SYS_HEADER_SIZE);
  if (!isServer) {
    if (sender === TARGET_PEER_SERVER) handlers.processScene(id, inner);
    return;
  }
  if (relayFromClient(peer, connected, sender, id, inner)) handlers.processScene(sender, inner);
}

/**
 * Godot 4's `send_command`: a packet for peer `to` (0 everyone, `-id` all but `id`) goes
 * through the server's relay from a client (with `relay`), directly from a server.
 * `ERR_INVALID_PARAMETER` for a peer that is not connected.
 */
export function sendCommand(
  peer: MultiplayerPeerApi,
  connected: ReadonlySet<number>,
  relay: boolean,
  to: number,
  packet: Uint8Array,
): ErrorCode {
  if (relay && peer.getUniqueId() !== TARGET_PEER_SERVER && to !== TARGET_PEER_SERVER) {
    return sendThroughServer(peer, to, packet);
  }
  if (to > 0) {
    if (!connected.has(to)) return ErrorCode.ERR_INVALID_PARAMETER;
    peer.setTargetPeer(to);
    return peer.putPacket(packet);
  }
  for (const id of connected) {
    if (to !== TARGET_PEER_BROADCAST && id === -to) continue;
    peer.setTargetPeer(id);
    peer.putPacket(packet);
  }
  return ErrorCode.OK;
}
