import { WS_CLOSED } from "../transport/websocket.js";
import type { WebSocketPeer } from "../WebSocketPeer.js";
import type { WebSocketPeerObserver, WebSocketPeerOwner } from "../websocket/owner.js";
import type { ProcessSnapshot } from "./bus.js";
import type { ClusterHost } from "./ClusterMembership.js";
import { decodePeerEntry } from "./messages.js";
import type { ProcessState, RemotePeer } from "./processes.js";
import { RemoteConnection, type RemoteForwarder } from "./remote-connection.js";

/**
 * The peers held by the other processes of the cluster, as this server knows them, and
 * the WebSocketPeers that stand for them (made on first `getPeer`, so knowing ten
 * thousand remote peers costs a map entry each, not a peer object). Every change is
 * recorded with the server for `peerConnected`/`peerDisconnected` in event order.
 * @internal
 */
export class RemotePeerTable {
  readonly #host: ClusterHost;
  /** The membership: owner, observer and forwarder of the stand-in peers. */
  readonly #owner: WebSocketPeerOwner & WebSocketPeerObserver & RemoteForwarder;
  readonly #peers = new Map<number, RemotePeer>();
  readonly #proxies = new Map<number, WebSocketPeer>();

  constructor(host: ClusterHost, owner: WebSocketPeerOwner & WebSocketPeerObserver & RemoteForwarder) {
    this.#host = host;
    this.#owner = owner;
  }

  /** Whether `id` is a remote peer. */
  has(id: number): boolean {
    return this.#peers.has(id);
  }

  /** The remote peer `id`. */
  get(id: number): RemotePeer | undefined {
    return this.#peers.get(id);
  }

  /** The number of remote peers. */
  get size(): number {
    return this.#peers.size;
  }

  /** The remote peer ids, in the order they became known. */
  ids(): IterableIterator<number> {
    return this.#peers.keys();
  }

  /** The WebSocketPeer standing for remote peer `id` (made on first use), or `null`. */
  proxy(id: number): WebSocketPeer | null {
    const known = this.#proxies.get(id);
    if (known !== undefined) return known;
    const remote = this.#peers.get(id);
    if (remote === undefined) return null;
    const proxy = this.#host.createPeer();
    // Pings cannot cross the bus; the holder runs the real peer's heartbeat.
    proxy.heartbeatInterval = 0;
    const { address, port, protocol } = remote.entry;
    proxy.adoptServerConnection(
      this.#owner,
      id,
      new RemoteConnection(this.#owner, id),
      protocol,
      { remoteAddress: address, remotePort: port },
      "",
    );
    this.#proxies.set(id, proxy);
    return proxy;
  }

  /** Peer `id` joined `process` (with its stored entry). */
  add(process: ProcessState, id: number, entry: string): void {
    if (this.#host.localPeer(id) !== undefined) return;
    const known = this.#peers.get(id);
    if (known !== undefined) {
      if (known.process === process) return;
      this.remove(id);
    }
    this.#peers.set(id, { id, process, entry: decodePeerEntry(entry) });
    process.peers.add(id);
    this.#host.recordRemotePeer(id, true);
  }

  /** Peer `id` left; its stand-in, if any, is CLOSED (-1) before the signal. */
  remove(id: number): void {
    const remote = this.#peers.get(id);
    if (remote === undefined) return;
    this.#peers.delete(id);
    remote.process.peers.delete(id);
    const proxy = this.#proxies.get(id);
    if (proxy !== undefined) {
      this.#proxies.delete(id);
      proxy.applyStagedEvent(WS_CLOSED, -1, "");
    }
    this.#host.recordRemotePeer(id, false);
  }

  /** Every peer of `process` leaves (it said goodbye, or died). */
  removeAll(process: ProcessState): void {
    for (const id of [...process.peers]) this.remove(id);
  }

  /** Takes a process's presence from a snapshot at least as recent as what was applied. */
  adopt(process: ProcessState, snapshot: ProcessSnapshot): void {
    if (snapshot.rev < process.appliedRev) return;
    process.appliedRev = snapshot.rev;
    for (const id of [...process.peers]) if (!snapshot.peers.has(id)) this.remove(id);
    for (const [id, entry] of snapshot.peers) this.add(process, id, entry);
  }

  /** Forgets everything without a signal (the server stopped); stand-ins are CLOSED. */
  clear(): void {
    for (const proxy of this.#proxies.values()) proxy.shutdown(1001, "");
    this.#proxies.clear();
    this.#peers.clear();
  }
}
