import { utf8Decode, utf8Encode } from "../core/bytes.js";

/*
 * The messages servers of one cluster write into each other's inboxes, as bytes. Every
 * message names its sender process and carries the sender's sequence number, which only
 * grows: a reader drops a message whose number it has already passed, so a write that
 * the Redis client sent twice (it resends what was in flight when a connection broke)
 * is applied once.
 *
 * Layout: kind u8, sender length u8, sender (ASCII), sequence f64 LE, then by kind:
 * - SEND:      target u32, text u8, payload
 * - BROADCAST: except u32, text u8, payload
 * - CLOSE:     target u32, code i32, reason (UTF-8)
 * - JOIN:      rev f64, id u32, entry (UTF-8, see encodePeerEntry)
 * - LEAVE:     rev f64, id u32
 * - BYE:       nothing (the sender stopped; its peers are gone)
 */

/** A message for one peer held by the reader. */
export const MESSAGE_SEND = 1;
/** A message for every peer held by the reader, except one id. */
export const MESSAGE_BROADCAST = 2;
/** Close a peer held by the reader. */
export const MESSAGE_CLOSE = 3;
/** A peer joined the sender. */
export const MESSAGE_JOIN = 4;
/** A peer left the sender. */
export const MESSAGE_LEAVE = 5;
/** The sender stopped. */
export const MESSAGE_BYE = 6;

/** A decoded message. Fields that a kind does not use are 0 or empty. */
export interface ClusterMessage {
  kind: number;
  sender: string;
  seq: number;
  /** SEND/CLOSE: the target id; BROADCAST: the excepted id; JOIN/LEAVE: the peer id. */
  id: number;
  /** SEND/BROADCAST: a text message. */
  text: boolean;
  /** SEND/BROADCAST: the payload (a view into the message). */
  payload: Uint8Array;
  /** CLOSE: the code. */
  code: number;
  /** CLOSE: the reason; JOIN: the peer entry. */
  detail: string;
  /** JOIN/LEAVE: the sender's presence revision. */
  rev: number;
}

const EMPTY = new Uint8Array(0);

function header(
  kind: number,
  sender: string,
  seq: number,
  bodyLength: number,
): [Uint8Array, DataView, number] {
  const start = 2 + sender.length + 8;
  const bytes = new Uint8Array(start + bodyLength);
  const view = new DataView(bytes.buffer);
  bytes[0] = kind;
  bytes[1] = sender.length;
  for (let i = 0; i < sender.length; i++) bytes[2 + i] = sender.charCodeAt(i);
  view.setFloat64(2 + sender.length, seq, true);
  return [bytes, view, start];
}

/** SEND or BROADCAST: `id` is the target (SEND) or the excepted id (BROADCAST). */
export function encodeData(
  kind: typeof MESSAGE_SEND | typeof MESSAGE_BROADCAST,
  sender: string,
  seq: number,
  id: number,
  text: boolean,
  payload: Uint8Array,
): Uint8Array {
  const [bytes, view, at] = header(kind, sender, seq, 5 + payload.byteLength);
  view.setUint32(at, id >>> 0, true);
  bytes[at + 4] = text ? 1 : 0;
  bytes.set(payload, at + 5);
  return bytes;
}

/** CLOSE of peer `id` with `code` and `reason`. */
export function encodeClose(
  sender: string,
  seq: number,
  id: number,
  code: number,
  reason: string,
): Uint8Array {
  const reasonBytes = utf8Encode(reason);
  const [bytes, view, at] = header(MESSAGE_CLOSE, sender, seq, 8 + reasonBytes.byteLength);
  view.setUint32(at, id >>> 0, true);
  view.setInt32(at + 4, code, true);
  bytes.set(reasonBytes, at + 8);
  return bytes;
}

/** JOIN (with the peer's entry) or LEAVE (entry `null`) of peer `id` at presence revision `rev`. */
export function encodePresence(
  sender: string,
  seq: number,
  rev: number,
  id: number,
  entry: string | null,
): Uint8Array {
  const entryBytes = entry === null ? EMPTY : utf8Encode(entry);
  const kind = entry === null ? MESSAGE_LEAVE : MESSAGE_JOIN;
  const [bytes, view, at] = header(kind, sender, seq, 12 + entryBytes.byteLength);
  view.setFloat64(at, rev, true);
  view.setUint32(at + 8, id >>> 0, true);
  bytes.set(entryBytes, at + 12);
  return bytes;
}

/** BYE: the sender stopped. */
export function encodeBye(sender: string, seq: number): Uint8Array {
  return header(MESSAGE_BYE, sender, seq, 0)[0];
}

/** Decodes a message; `null` for bytes that are not one (another program's entry). */
export function decodeMessage(bytes: Uint8Array): ClusterMessage | null {
  if (bytes.byteLength < 2) return null;
  const senderLength = bytes[1]!;
  const at = 2 + senderLength + 8;
  if (bytes.byteLength < at) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let sender = "";
  for (let i = 0; i < senderLength; i++) sender += String.fromCharCode(bytes[2 + i]!);
  const message: ClusterMessage = {
    kind: bytes[0]!,
    sender,
    seq: view.getFloat64(2 + senderLength, true),
    id: 0,
    text: false,
    payload: EMPTY,
    code: 0,
    detail: "",
    rev: 0,
  };
  const body = bytes.byteLength - at;
  switch (message.kind) {
    case MESSAGE_SEND:
    case MESSAGE_BROADCAST:
      if (body < 5) return null;
      message.id = view.getUint32(at, true);
      message.text = bytes[at + 4] === 1;
      message.payload = bytes.subarray(at + 5);
      return message;
    case MESSAGE_CLOSE:
      if (body < 8) return null;
      message.id = view.getUint32(at, true);
      message.code = view.getInt32(at + 4, true);
      message.detail = utf8Decode(bytes.subarray(at + 8));
      return message;
    case MESSAGE_JOIN:
    case MESSAGE_LEAVE:
      if (body < 12) return null;
      message.rev = view.getFloat64(at, true);
      message.id = view.getUint32(at + 8, true);
      message.detail = utf8Decode(bytes.subarray(at + 12));
      return message;
    case MESSAGE_BYE:
      return message;
    default:
      return null;
  }
}

/** What a holder registers for each of its peers. */
export interface PeerEntry {
  /** The client's IP address. */
  address: string;
  /** The client's port. */
  port: number;
  /** The subprotocol selected in its handshake. */
  protocol: string;
}

/** The stored form of a peer entry: "address port protocol" (no field contains a space). */
export function encodePeerEntry(entry: PeerEntry): string {
  return `${entry.address} ${entry.port} ${entry.protocol}`;
}

/** Parses a stored peer entry; fields that are missing read as empty. */
export function decodePeerEntry(text: string): PeerEntry {
  const first = text.indexOf(" ");
  const second = first < 0 ? -1 : text.indexOf(" ", first + 1);
  if (first < 0) return { address: text, port: 0, protocol: "" };
  const port = Number(text.slice(first + 1, second < 0 ? undefined : second));
  return {
    address: text.slice(0, first),
    port: Number.isInteger(port) ? port : 0,
    protocol: second < 0 ? "" : text.slice(second + 1),
  };
}
