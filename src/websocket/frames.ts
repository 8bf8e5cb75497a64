import { ByteQueue } from "../core/ByteQueue.js";

/*
 * RFC 6455 framing, platform-neutral: one encoder and an incremental decoder, used by
 * gdnet's WebSocket on Node and on the in-memory network alike.
 */

/**
 * The most frames one fragmented message may have. A remote that never finishes a
 * message of empty fragments would otherwise grow the fragment list without bound; past
 * this the connection fails with 1009 ("Message too big"), on the wire and locally.
 */
export const MAX_FRAGMENTS = 16 * 1024;

/** Frame opcodes. */
export const OPCODE_CONTINUATION = 0x0;
export const OPCODE_TEXT = 0x1;
export const OPCODE_BINARY = 0x2;
export const OPCODE_CLOSE = 0x8;
export const OPCODE_PING = 0x9;
export const OPCODE_PONG = 0xa;

/** Close codes a peer may put in a close frame (RFC 6455 §7.4, as ws checks them). */
export function isValidReceivedCloseCode(code: number): boolean {
  return (
    (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
    (code >= 3000 && code <= 4999)
  );
}

/** Godot's close reasons for the failures it detects itself (reference §7.6). */
export const FAILURE_REASONS: Record<number, string> = {
  1002: "Protocol error",
  1006: "Abnormal closure",
  1007: "Invalid frame payload data",
  1009: "Message too big",
};

/**
 * Encodes one final frame. `mask` (4 bytes) masks the payload, as clients must;
 * `allocate` lets a platform supply pooled memory. The payload is copied, so the caller
 * may reuse its buffer at once.
 */
export function encodeFrame(
  opcode: number,
  payload: Uint8Array,
  mask: Uint8Array | null,
  allocate: (size: number) => Uint8Array = (size) => new Uint8Array(size),
): Uint8Array {
  const length = payload.byteLength;
  const lengthBytes = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const headerLength = 2 + lengthBytes + (mask === null ? 0 : 4);
  const frame = allocate(headerLength + length);
  frame[0] = 0x80 | opcode;
  const maskBit = mask === null ? 0 : 0x80;
  if (lengthBytes === 0) {
    frame[1] = maskBit | length;
  } else if (lengthBytes === 2) {
    frame[1] = maskBit | 126;
    frame[2] = length >>> 8;
    frame[3] = length & 0xff;
  } else {
    frame[1] = maskBit | 127;
    const high = Math.floor(length / 0x100000000);
    frame[2] = (high >>> 24) & 0xff;
    frame[3] = (high >>> 16) & 0xff;
    frame[4] = (high >>> 8) & 0xff;
    frame[5] = high & 0xff;
    frame[6] = (length >>> 24) & 0xff;
    frame[7] = (length >>> 16) & 0xff;
    frame[8] = (length >>> 8) & 0xff;
    frame[9] = length & 0xff;
  }
  if (mask === null) {
    frame.set(payload, headerLength);
    return frame;
  }
  const offset = headerLength - 4;
  const k0 = mask[0]!;
  const k1 = mask[1]!;
  const k2 = mask[2]!;
  const k3 = mask[3]!;
  frame[offset] = k0;
  frame[offset + 1] = k1;
  frame[offset + 2] = k2;
  frame[offset + 3] = k3;
  let i = 0;
  let out = headerLength;
  for (const end = length - 3; i < end; i += 4, out += 4) {
    frame[out] = payload[i]! ^ k0;
    frame[out + 1] = payload[i + 1]! ^ k1;
    frame[out + 2] = payload[i + 2]! ^ k2;
    frame[out + 3] = payload[i + 3]! ^ k3;
  }
  if (i < length) frame[out] = payload[i]! ^ k0;
  if (i + 1 < length) frame[out + 1] = payload[i + 1]! ^ k1;
  if (i + 2 < length) frame[out + 2] = payload[i + 2]! ^ k2;
  return frame;
}

/** The payload of a close frame: the code (big-endian) and the UTF-8 reason. */
export function closePayload(code: number, reason: Uint8Array): Uint8Array {
  const payload = new Uint8Array(2 + reason.byteLength);
  payload[0] = code >>> 8;
  payload[1] = code & 0xff;
  payload.set(reason, 2);
  return payload;
}

/** What a {@link FrameDecoder} reports. */
export interface FrameHandler {
  /** While true, parsing stops after the current frame and resumes at the next `push`. */
  readonly receivingPaused: boolean;
  /** A complete data message. */
  onMessage(data: Uint8Array, isText: boolean): void;
  /** A ping with its payload. */
  onPing(data: Uint8Array): void;
  /** A pong. */
  onPong(): void;
  /** A close frame: its code (1005 when it had none) and reason. */
  onClose(code: number, reason: string): void;
  /** The input broke the protocol: the close code to fail the connection with, and Godot's reason. */
  onFailure(code: number, reason: string): void;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
/** Scratch for a header that spans chunks: used only within one synchronous parse step. */
const HEADER = new Uint8Array(14);
/** The fragment list of every decoder between fragmented messages (never pushed to). */
const NO_FRAGMENTS: Uint8Array[] = [];

/** Unmasks `payload` in place with the key bytes `k0`–`k3`. */
function unmask(payload: Uint8Array, k0: number, k1: number, k2: number, k3: number): void {
  const length = payload.byteLength;
  let i = 0;
  for (const end = length - 3; i < end; i += 4) {
    payload[i] = payload[i]! ^ k0;
    payload[i + 1] = payload[i + 1]! ^ k1;
    payload[i + 2] = payload[i + 2]! ^ k2;
    payload[i + 3] = payload[i + 3]! ^ k3;
  }
  if (i < length) payload[i] = payload[i]! ^ k0;
  if (i + 1 < length) payload[i + 1] = payload[i + 1]! ^ k1;
  if (i + 2 < length) payload[i + 2] = payload[i + 2]! ^ k2;
}

function validUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Parses frames as they arrive, reassembles fragmented messages, and checks everything
 * ws's receiver checks (reserved bits, masking direction, control frame rules, close
 * codes, UTF-8 of text and close reasons). A message longer than `maxPayload` (> 0)
 * fails with 1009 as soon as its header shows it. After a close frame or a failure it
 * ignores the rest.
 */
export class FrameDecoder {
  readonly #input = new ByteQueue();

  readonly #expectMasked: boolean;
  readonly #maxPayload: number;
  /** The frames of a fragmented message so far (shared empty list between messages). */
  #fragments: Uint8Array[] = NO_FRAGMENTS;
  #fragmentedLength = 0;
  #fragmentedText = false;
  #inMessage = false;
  #stopped = false;

  constructor(expectMasked: boolean, maxPayload: number) {
    this.#expectMasked = expectMasked;
    this.#maxPayload = maxPayload;
  }

  /** Bytes received and not parsed yet (held while the handler pauses). */
  get pendingBytes(): number {
    return this.#input.length;
  }

  /** Whether parsing has stopped (close frame or failure). */
  get stopped(): boolean {
    return this.#stopped;
  }

  /**
   * Feeds received bytes, reporting every complete frame to `handler`. The decoder takes
   * `chunk` over: payloads are views of it, unmasked in place, so the caller must not use
   * or share it afterwards.
   */
  push(chunk: Uint8Array, handler: FrameHandler): void {
    if (this.#stopped) return;
    this.#input.push(chunk);
    while (!this.#stopped && !handler.receivingPaused && this.#next(handler)) {}
  }

  #fail(handler: FrameHandler, code: number): false {
    this.#stopped = true;
    this.#input.clear();
    this.#fragments = NO_FRAGMENTS;
    handler.onFailure(code, FAILURE_REASONS[code] ?? "");
    return false;
  }

  /** Parses one frame if it is complete; false when more bytes are needed. */
  #next(handler: FrameHandler): boolean {
    const input = this.#input;
    // The header: read in place when the first chunk holds it (the usual case), else
    // gathered from several chunks into #header.
    let bytes = input.firstChunk;
    let at = input.firstOffset;
    if (bytes.byteLength - at < 14) {
      if (!input.peek(HEADER, Math.min(14, input.length))) return false;
      if (input.length < 2) return false;
      bytes = HEADER;
      at = 0;
    }
    const first = bytes[at]!;
    const second = bytes[at + 1]!;
    const fin = (first & 0x80) !== 0;
    const opcode = first & 0x0f;
    if ((first & 0x70) !== 0) return this.#fail(handler, 1002);
    const masked = (second & 0x80) !== 0;
    if (masked !== this.#expectMasked) return this.#fail(handler, 1002);
    const shortLength = second & 0x7f;
    const isControl = (opcode & 0x8) !== 0;
    if (isControl) {
      if (opcode !== OPCODE_CLOSE && opcode !== OPCODE_PING && opcode !== OPCODE_PONG) {
        return this.#fail(handler, 1002);
      }
      if (!fin || shortLength > 125) return this.#fail(handler, 1002);
    } else if (opcode === OPCODE_CONTINUATION) {
      if (!this.#inMessage) return this.#fail(handler, 1002);
    } else if (opcode === OPCODE_TEXT || opcode === OPCODE_BINARY) {
      if (this.#inMessage) return this.#fail(handler, 1002);
    } else {
      return this.#fail(handler, 1002);
    }
    const lengthBytes = shortLength === 126 ? 2 : shortLength === 127 ? 8 : 0;
    const headerLength = 2 + lengthBytes + (masked ? 4 : 0);
    if (input.length < headerLength) return false;
    let length = shortLength;
    if (lengthBytes === 2) {
      length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    } else if (lengthBytes === 8) {
      const high =
        ((bytes[at + 2]! << 24) | (bytes[at + 3]! << 16) | (bytes[at + 4]! << 8) | bytes[at + 5]!) >>> 0;
      if (high > 0x1fffff) return this.#fail(handler, 1009);
      const low =
        ((bytes[at + 6]! << 24) | (bytes[at + 7]! << 16) | (bytes[at + 8]! << 8) | bytes[at + 9]!) >>> 0;
      length = high * 0x100000000 + low;
    }
    if (!isControl && this.#maxPayload > 0) {
      const total = (opcode === OPCODE_CONTINUATION ? this.#fragmentedLength : 0) + length;
      if (total > this.#maxPayload) return this.#fail(handler, 1009);
    }
    if (input.length < headerLength + length) return false;
    const m = at + headerLength - 4;
    const k0 = masked ? bytes[m]! : 0;
    const k1 = masked ? bytes[m + 1]! : 0;
    const k2 = masked ? bytes[m + 2]! : 0;
    const k3 = masked ? bytes[m + 3]! : 0;
    let payload: Uint8Array;
    const chunk = input.firstChunk;
    const start = input.firstOffset + headerLength;
    if (chunk.byteLength - start >= length) {
      // The whole frame is in the first chunk (the received bytes are ours): a view, no
      // copy, and a plain Uint8Array even when the chunk is a Node Buffer.
      payload = new Uint8Array(chunk.buffer, chunk.byteOffset + start, length);
      input.skipInFirst(headerLength + length);
    } else {
      input.read(HEADER, headerLength);
      payload = new Uint8Array(length);
      input.read(payload, length);
    }
    if (masked) unmask(payload, k0, k1, k2, k3);
    if (isControl) return this.#control(opcode, payload, handler);
    if (opcode !== OPCODE_CONTINUATION) {
      this.#fragmentedText = opcode === OPCODE_TEXT;
      this.#fragmentedLength = 0;
    }
    if (!fin) {
      if (this.#fragments.length >= MAX_FRAGMENTS) return this.#fail(handler, 1009);
      this.#inMessage = true;
      if (this.#fragments === NO_FRAGMENTS) this.#fragments = [];
      this.#fragments.push(payload);
      this.#fragmentedLength += length;
      return true;
    }
    let message = payload;
    if (this.#inMessage) {
      this.#fragments.push(payload);
      message = new Uint8Array(this.#fragmentedLength + length);
      let offset = 0;
      for (const part of this.#fragments) {
        message.set(part, offset);
        offset += part.byteLength;
      }
      this.#fragments = NO_FRAGMENTS;
      this.#inMessage = false;
    }
    if (this.#fragmentedText && validUtf8(message) === null) return this.#fail(handler, 1007);
    handler.onMessage(message, this.#fragmentedText);
    return true;
  }

  #control(opcode: number, payload: Uint8Array, handler: FrameHandler): boolean {
    if (opcode === OPCODE_PING) {
      handler.onPing(payload);
      return true;
    }
    if (opcode === OPCODE_PONG) {
      handler.onPong();
      return true;
    }
    if (payload.byteLength === 1) return this.#fail(handler, 1002);
    let code = 1005;
    let reason = "";
    if (payload.byteLength >= 2) {
      code = (payload[0]! << 8) | payload[1]!;
      if (!isValidReceivedCloseCode(code)) return this.#fail(handler, 1002);
      const text = validUtf8(payload.subarray(2));
      if (text === null) return this.#fail(handler, 1007);
      reason = text;
    }
    this.#stopped = true;
    this.#input.clear();
    handler.onClose(code, reason);
    return false;
  }
}
