import { type MemoryNetwork, OK, WebSocketPeer } from "../../src/index.js";
import { toHex } from "../support/hex.js";

/** Anything a frame loop polls. */
export interface Pollable {
  poll(): unknown;
}

/** Runs `count` frames of 16 virtual ms: time moves, then every object polls. */
export function frames(network: MemoryNetwork, objects: Pollable[], count = 3): void {
  for (let i = 0; i < count; i++) {
    network.advance(16);
    for (const object of objects) object.poll();
  }
}

/** The hex of an int32 little-endian, as headers carry peer ids (`le32(-3)` is "fdffffff"). */
export function le32(value: number): string {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setInt32(0, value, true);
  return toHex(bytes);
}

/** The bytes of a UTF-8 string. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/**
 * A bare WebSocket client standing in for a Godot game: it sends the bytes a test
 * builds by hand and records every message it receives as hex.
 */
export class RawClient {
  readonly peer: WebSocketPeer;
  /** Every message received so far, as hex, in order. */
  readonly received: string[] = [];

  constructor(network: MemoryNetwork, url: string) {
    this.peer = new WebSocketPeer({ network });
    this.peer.inboundBufferSize = 1 << 20;
    this.peer.outboundBufferSize = 1 << 24;
    this.peer.maxQueuedPackets = 1 << 20;
    if (this.peer.connectToUrl(url) !== OK) throw new Error(`cannot connect to ${url}`);
  }

  poll(): void {
    this.peer.poll();
    while (this.peer.getAvailablePacketCount() > 0) this.received.push(toHex(this.peer.getPacket()));
  }

  /** Sends bytes given as hex (spaces allowed) in a binary frame. */
  send(hexBytes: string): void {
    const clean = hexBytes.replace(/\s+/g, "");
    const bytes = new Uint8Array(clean.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
    if (this.peer.send(bytes) !== OK) throw new Error("send failed");
  }

  /** Takes what was received so far. */
  take(): string[] {
    return this.received.splice(0);
  }
}
