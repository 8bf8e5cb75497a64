import { ErrorCode } from "../ErrorCode.js";
import type { Signal } from "../Signal.js";
import type { WebSocketPeer } from "../WebSocketPeer.js";
import { TARGET_PEER_BROADCAST, targetPeerId } from "./constants.js";
import {
  encodeGodot3Packet,
  encodeGodot3System,
  GODOT3_DATA,
  GODOT3_HEADER_SIZE,
  GODOT3_SYS_ADD,
  GODOT3_SYS_DEL,
  GODOT3_SYS_ID,
  godot3From,
  godot3To,
} from "./godot3-protocol.js";
import { IncomingPackets } from "./IncomingPackets.js";

const SERVER_ID = 1;

/** What the relay needs of the server it is part of. */
export interface Godot3RelayHost {
  /** The peer with `id`, or `null`. */
  getPeer(id: number): WebSocketPeer | null;
  /** The limits applied to the packets kept for the server. */
  readonly maxQueuedPackets: number;
  readonly inboundBufferSize: number;
  /** Emitted once a client has been announced, and once it is gone. */
  readonly peerConnected: Signal<[id: number]>;
  readonly peerDisconnected: Signal<[id: number]>;
}

/**
 * Godot 3's high-level multiplayer protocol (`gd_mp_api`, the 9-byte header) on the
 * server side: the part of a `WebSocketServer` that, in multiplayer mode, announces
 * clients to each other, keeps the packets addressed to the server and relays the rest.
 *
 * The relay follows a Godot 3.2.3 server byte for byte (SYS_ID, SYS_ADD both ways in
 * ascending id order, SYS_DEL to the rest on leave, forwarding by `to` with the bytes
 * unchanged), with one fix: `to = -1` ("everyone but the server") is not delivered to the
 * server, where Godot 3.2.3 delivers it anyway. Text frames, short packets, system
 * messages from clients, a forged `from` and unknown targets are dropped.
 */
export class Godot3ServerRelay {
  readonly #host: Godot3RelayHost;
  #targetPeer = TARGET_PEER_BROADCAST;
  /** The ids of the announced clients, ascending (Godot's map order). */
  #ids: number[] = [];
  readonly #incoming = new IncomingPackets();

  constructor(host: Godot3RelayHost) {
    this.#host = host;
  }

  /** Where `putPacket` sends (see `WebSocketServer.setTargetPeer`). */
  setTargetPeer(id: number): void {
    this.#targetPeer = targetPeerId(id);
  }

  /** Sends `packet` from the server (`from = 1`) to the target peer. */
  putPacket(packet: Uint8Array): ErrorCode {
    if (packet.byteLength === 0) return ErrorCode.OK;
    const target = this.#targetPeer;
    return this.#forward(SERVER_ID, target, encodeGodot3Packet(GODOT3_DATA, SERVER_ID, target, packet));
  }

  /** The packets addressed to the server and not yet read. */
  get incoming(): IncomingPackets {
    return this.#incoming;
  }

  /** Forgets the clients and the packets (the server stopped). */
  reset(): void {
    this.#ids = [];
    this.#incoming.clear();
  }

  /** A client is dropped at once (a forced disconnect): the rest are told now, and no signal follows. */
  forget(id: number): void {
    this.#forget(id);
  }

  /**
   * A client connected: SYS_ID and SYS_ADD(1) to it, then SYS_ADD both ways with every
   * client already there in ascending id order, then `peerConnected`.
   */
  announcePeer(id: number): void {
    const host = this.#host;
    const peer = host.getPeer(id);
    if (peer === null) return;
    this.#incoming.setLimits(host.maxQueuedPackets, host.inboundBufferSize);
    peer.send(encodeGodot3System(GODOT3_SYS_ID, id));
    peer.send(encodeGodot3System(GODOT3_SYS_ADD, SERVER_ID));
    const joined = encodeGodot3System(GODOT3_SYS_ADD, id);
    const ids = this.#ids;
    for (let i = 0; i < ids.length; i++) {
      const other = ids[i]!;
      host.getPeer(other)?.send(joined);
      peer.send(encodeGodot3System(GODOT3_SYS_ADD, other));
    }
    ids.splice(insertionIndex(ids, id), 0, id);
    host.peerConnected.emit(id);
  }

  /**
   * A message arrived from client `sender`: checked (binary, a whole header, DATA,
   * `from` = sender), kept for the server if it is addressed to it, and forwarded
   * unchanged by `to`. Anything else is dropped.
   */
  relayPacket(sender: number, packet: Uint8Array, wasText: boolean): void {
    if (wasText || packet.byteLength < GODOT3_HEADER_SIZE || packet[0] !== GODOT3_DATA) return;
    if (godot3From(packet) !== sender || !this.#has(sender)) return;
    const to = godot3To(packet);
    // Godot 3.2.3 also keeps to = -1 for the server; "everyone but the server" excludes it here.
    if (to === SERVER_ID || to === TARGET_PEER_BROADCAST || (to < 0 && to !== -SERVER_ID)) {
      this.#incoming.push(sender, packet.subarray(GODOT3_HEADER_SIZE));
    }
    this.#forward(sender, to, packet);
  }

  /** A client's connection is gone: SYS_DEL to the rest, then `peerDisconnected`. */
  announceDeparture(id: number): void {
    if (this.#forget(id)) this.#host.peerDisconnected.emit(id);
  }

  /** Removes `id` from the clients and tells the rest; false if it was not one. */
  #forget(id: number): boolean {
    const ids = this.#ids;
    const index = indexOf(ids, id);
    if (index < 0) return false;
    ids.splice(index, 1);
    const left = encodeGodot3System(GODOT3_SYS_DEL, id);
    for (let i = 0; i < ids.length; i++) this.#host.getPeer(ids[i]!)?.send(left);
    return true;
  }

  /** Sends `packet` from `from` by `to` (Godot 3's `_server_relay`). */
  #forward(from: number, to: number, packet: Uint8Array): ErrorCode {
    if (to === SERVER_ID) return ErrorCode.OK;
    if (to > SERVER_ID) {
      if (to === from || !this.#has(to)) return ErrorCode.FAILED;
      return this.#host.getPeer(to)?.send(packet) ?? ErrorCode.FAILED;
    }
    const ids = this.#ids;
    const excluded = -to;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id !== from && id !== excluded) this.#host.getPeer(id)?.send(packet);
    }
    return ErrorCode.OK;
  }

  #has(id: number): boolean {
    return indexOf(this.#ids, id) >= 0;
  }
}

/** Where `id` goes in the ascending `ids`. */
function insertionIndex(ids: readonly number[], id: number): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ids[middle]! < id) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The index of `id` in the ascending `ids`, or -1. */
function indexOf(ids: readonly number[], id: number): number {
  const index = insertionIndex(ids, id);
  return ids[index] === id ? index : -1;
}
