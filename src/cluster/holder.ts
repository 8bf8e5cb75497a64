import type { PreparedFrame } from "../transport/websocket.js";
import { WebSocketPeer } from "../WebSocketPeer.js";
import type { ClusterHost } from "./ClusterMembership.js";
import { type ClusterMessage, MESSAGE_BROADCAST, MESSAGE_CLOSE, MESSAGE_SEND } from "./messages.js";

/**
 * The holder's side of forwarding: another process sent a message, a broadcast or a
 * close for this server's own peers. Each goes through the local peer's normal `send`,
 * `sendPrepared` or `close`, so it meets the same outbound limits as a local call (a
 * peer at its limit skips it, as a local broadcast does). Returns false for other kinds.
 * @internal
 */
export function deliverToLocalPeers(host: ClusterHost, message: ClusterMessage): boolean {
  switch (message.kind) {
    case MESSAGE_SEND:
      host
        .localPeer(message.id)
        ?.send(
          message.payload,
          message.text ? WebSocketPeer.WRITE_MODE_TEXT : WebSocketPeer.WRITE_MODE_BINARY,
        );
      return true;
    case MESSAGE_BROADCAST: {
      let frame: PreparedFrame | null = null;
      for (const peer of host.localPeers()) {
        if (peer.serverId === message.id) continue;
        frame ??= host.prepareFrame(message.payload, message.text);
        peer.sendPrepared(frame);
      }
      return true;
    }
    case MESSAGE_CLOSE:
      host.localPeer(message.id)?.close(message.code, message.detail);
      return true;
    default:
      return false;
  }
}
