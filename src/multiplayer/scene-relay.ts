/*
 * Godot 4's server relay (SceneMultiplayer with `server_relay`): the server announces
 * peers to each other and forwards packets between clients, rewriting the SYS RELAY
 * header's peer id from the target to the source.
 */

import type { ErrorCode } from "../ErrorCode.js";
import type { MultiplayerPeerApi } from "../MultiplayerPeer.js";
import { TARGET_PEER_SERVER } from "./constants.js";
import { encodeRelay, encodeSys, SYS_ADD_PEER, SYS_DEL_PEER } from "./godot4-protocol.js";

/** Peer `id` joined: ADD_PEER(id) to every connected peer, and ADD_PEER(each of them) to `id`. */
export function announceJoin(peer: MultiplayerPeerApi, connected: ReadonlySet<number>, id: number): void {
  const joined = encodeSys(SYS_ADD_PEER, id);
  for (const other of connected) {
    peer.setTargetPeer(other);
    peer.putPacket(joined);
    peer.setTargetPeer(id);
    peer.putPacket(encodeSys(SYS_ADD_PEER, other));
  }
}

/** Peer `id` left: DEL_PEER(id) to every peer still connected. */
export function announceLeave(peer: MultiplayerPeerApi, connected: ReadonlySet<number>, id: number): void {
  const left = encodeSys(SYS_DEL_PEER, id);
  for (const other of connected) {
    if (other === id) continue;
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
