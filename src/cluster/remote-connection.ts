import type { PreparedFrame, WebSocketConnection } from "../transport/websocket.js";

/** What a remote connection forwards to: the membership that knows where the peer is. @internal */
export interface RemoteForwarder {
  /** Forwards a message for peer `id` to the process that holds it. */
  forwardSend(id: number, data: Uint8Array, text: boolean): void;
  /** Forwards a close of peer `id` to the process that holds it. */
  forwardClose(id: number, code: number, reason: string): void;
  /** Whether the inbox of the process holding `id` is at its limit (a send would be refused). */
  inboxFull(id: number): boolean;
}

/**
 * The connection of a remote peer's `WebSocketPeer`: instead of a socket, the cluster
 * bus. The peer keeps its own argument checks and limits (`send` past
 * `outboundBufferSize` is refused at the call); what passes them is forwarded, in call
 * order, to the process that holds the real socket, which sends it under its own limits.
 * A full inbox there reads as a full queue here, so the send is refused at the call
 * (`ERR_OUT_OF_MEMORY`) instead of being dropped later. Dropping this connection
 * (`shutdown`, `destroy`) never touches the real one: only `close` is forwarded.
 * @internal
 */
export class RemoteConnection implements WebSocketConnection {
  readonly #forwarder: RemoteForwarder;
  readonly #id: number;

  constructor(forwarder: RemoteForwarder, id: number) {
    this.#forwarder = forwarder;
    this.#id = id;
  }

  send(data: Uint8Array, text: boolean): void {
    this.#forwarder.forwardSend(this.#id, data, text);
  }

  sendPrepared(frame: PreparedFrame): void {
    // Broadcasts reach remote peers as one bus write (ClusterMembership.broadcast), not
    // frame by frame: a server never hands a prepared frame to a remote peer.
    void frame;
  }

  ping(): void {}

  close(code: number, reason: string): void {
    this.#forwarder.forwardClose(this.#id, code, reason);
  }

  shutdown(code: number, reason: string): void {
    void code;
    void reason;
  }

  destroy(): void {}

  flush(): void {}

  /** Nothing waits here: forwarded messages are in the bus, counted by the inbox limit. */
  get bufferedAmount(): number {
    return 0;
  }

  /** 0, or past any `maxQueuedPackets` while the holder's inbox is full. */
  get queuedMessages(): number {
    return this.#forwarder.inboxFull(this.#id) ? Number.MAX_SAFE_INTEGER : 0;
  }

  setNoDelay(enabled: boolean): void {
    void enabled;
  }

  setReceiving(enabled: boolean): void {
    void enabled;
  }
}
