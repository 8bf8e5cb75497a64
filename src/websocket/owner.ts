import type { StagingQueue } from "../core/StagingQueue.js";
import type { WebSocketPeer } from "../WebSocketPeer.js";

/**
 * What a WebSocketPeer tells the object that watches it (WebSocketServer,
 * WebSocketClient), while its events are applied. Watchers record these and emit their
 * signals at the end of their own `poll()`.
 * @internal
 */
export interface WebSocketPeerObserver {
  /** The handshake completed (client side and `acceptStream` peers). */
  peerOpened(peer: WebSocketPeer): void;
  /** A packet was received. */
  peerPacket(peer: WebSocketPeer): void;
  /** `count` packets were read from the peer, or dropped by `close()` in CLOSED. */
  peerPacketTaken(peer: WebSocketPeer, count: number): void;
  /** The remote sent a close frame while the peer was OPEN. */
  peerCloseRequested(peer: WebSocketPeer, code: number, reason: string): void;
  /**
   * The peer became CLOSED because of the network, a timeout or a forced close
   * (`wasOpen` false: it never opened). Not called when `close()` aborts a connect.
   */
  peerClosed(peer: WebSocketPeer, wasClean: boolean, wasOpen: boolean): void;
}

/**
 * The object that polls a WebSocketPeer for it (WebSocketServer): its connection stages
 * into the owner's queue, and its timers are run by the owner's deadline list.
 * @internal
 */
export interface WebSocketPeerOwner {
  /** The queue the peer's connection stages into. */
  readonly queue: StagingQueue;
  /** Asks the owner to run `peer.serviceTimers` at its first poll at or after `at`. */
  wakeAt(peer: WebSocketPeer, at: number): void;
}
