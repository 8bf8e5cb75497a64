import { utf8Decode, utf8Encode } from "../core/bytes.js";

/*
 * The recording format: a header, then entries, each a tag byte and its fields. Numbers
 * are LEB128 varints (zigzag for signed ones) or little-endian float64; event values
 * carry a type byte. One entry per thing that reached the recorded object from outside:
 * polls and drains (where events land), clock readings, random draws, live readings
 * (buffered amounts) and call results, and the staged events themselves.
 */

/** The first bytes of every recording. */
export const MAGIC = "GDNETREC1";

/** Entry tags. */
export const POLL = 1;
export const DRAIN = 2;
export const CLOCK = 3;
export const RANDOM = 4;
export const READ = 5;
export const EVENT = 6;
export const RESULT = 7;
/** A drain of a further queue the object took on (a peer a `TCPServer` handed out), with its number. */
export const DRAIN_OF = 8;

/** Names of the tags, for divergence reports. */
export const TAG_NAMES = [
  "",
  "poll",
  "drain",
  "clock reading",
  "random draw",
  "live reading",
  "event",
  "call result",
  "drain of a handed-out peer",
];

const V_UNDEFINED = 0;
const V_NULL = 1;
const V_FALSE = 2;
const V_TRUE = 3;
const V_INT = 4;
const V_FLOAT = 5;
const V_STRING = 6;
const V_BYTES = 7;
const V_OBJECT = 8;
const V_CONNECTION = 9;
const V_ARRAY = 10;

/** A connection the platform handed over inside an event (an accepted socket): its id and addresses. */
export interface RecordedConnection {
  /** The id events for it carry. */
  readonly connectionId: number;
  /** What the recorder noted about it (remote address and port). */
  readonly info: Readonly<Record<string, unknown>>;
}

/** Whether `value` is a {@link RecordedConnection} decoded from a recording. */
export function isRecordedConnection(value: unknown): value is RecordedConnection {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { connectionId?: unknown }).connectionId !== undefined
  );
}

/** Appends entries to growing chunks of bytes. */
export class EntryWriter {
  #buffer: Uint8Array;
  #view: DataView;
  #length = 0;

  constructor(capacity = 64 * 1024) {
    this.#buffer = new Uint8Array(capacity);
    this.#view = new DataView(this.#buffer.buffer);
  }

  /** Bytes written and not yet taken. */
  get length(): number {
    return this.#length;
  }

  /** Takes what was written (a copy) and starts afresh. */
  take(): Uint8Array {
    const bytes = this.#buffer.slice(0, this.#length);
    this.#length = 0;
    return bytes;
  }

  tag(tag: number): void {
    this.#room(1);
    this.#buffer[this.#length++] = tag;
  }

  uint(value: number): void {
    this.#room(10);
    let v = value;
    while (v >= 0x80) {
      this.#buffer[this.#length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.#buffer[this.#length++] = v;
  }

  float(value: number): void {
    this.#room(8);
    this.#view.setFloat64(this.#length, value, true);
    this.#length += 8;
  }

  bytes(value: Uint8Array): void {
    this.uint(value.byteLength);
    this.#room(value.byteLength);
    this.#buffer.set(value, this.#length);
    this.#length += value.byteLength;
  }

  string(value: string): void {
    this.bytes(utf8Encode(value));
  }

  /** A value of a staged event or a call result. `connectionId` names objects that are not plain data. */
  value(value: unknown, connectionId: (object: object) => number): void {
    if (value === undefined) this.tag(V_UNDEFINED);
    else if (value === null) this.tag(V_NULL);
    else if (value === false) this.tag(V_FALSE);
    else if (value === true) this.tag(V_TRUE);
    else if (typeof value === "number") {
      if (Number.isSafeInteger(value)) {
        this.tag(V_INT);
        this.uint(value < 0 ? -value * 2 - 1 : value * 2);
      } else {
        this.tag(V_FLOAT);
        this.float(value);
      }
    } else if (typeof value === "string") {
      this.tag(V_STRING);
      this.string(value);
    } else if (value instanceof Uint8Array) {
      this.tag(V_BYTES);
      this.bytes(value);
    } else if (Array.isArray(value)) {
      this.tag(V_ARRAY);
      this.uint(value.length);
      for (const item of value) this.value(item, connectionId);
    } else if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
      const entries = Object.entries(value);
      this.tag(V_OBJECT);
      this.uint(entries.length);
      for (const [key, item] of entries) {
        this.string(key);
        this.value(item, connectionId);
      }
    } else if (typeof value === "object") {
      // An object of the platform (an accepted connection): its id and its addresses.
      const object = value as { remoteAddress?: unknown; remotePort?: unknown };
      this.tag(V_CONNECTION);
      this.uint(connectionId(object));
      this.value(
        typeof object.remoteAddress === "string"
          ? { remoteAddress: object.remoteAddress, remotePort: object.remotePort }
          : {},
        connectionId,
      );
    } else {
      this.tag(V_UNDEFINED);
    }
  }

  #room(extra: number): void {
    if (this.#length + extra <= this.#buffer.byteLength) return;
    const grown = new Uint8Array(Math.max(this.#buffer.byteLength * 2, this.#length + extra));
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
    this.#view = new DataView(grown.buffer);
  }
}

/** Reads entries back. */
export class EntryReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  offset = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get atEnd(): boolean {
    return this.offset >= this.#bytes.byteLength;
  }

  /** The next tag without reading it (0 at the end). */
  peekTag(): number {
    return this.atEnd ? 0 : this.#bytes[this.offset]!;
  }

  tag(): number {
    return this.#bytes[this.offset++]!;
  }

  uint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.#bytes[this.offset++];
      if (byte === undefined) throw new RangeError("recording cut short");
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
  }

  float(): number {
    const value = this.#view.getFloat64(this.offset, true);
    this.offset += 8;
    return value;
  }

  bytes(): Uint8Array {
    const length = this.uint();
    if (this.offset + length > this.#bytes.byteLength) throw new RangeError("recording cut short");
    const bytes = this.#bytes.slice(this.offset, this.offset + length);
    this.offset += length;
    return bytes;
  }

  string(): string {
    return utf8Decode(this.bytes());
  }

  value(): unknown {
    switch (this.tag()) {
      case V_NULL:
        return null;
      case V_FALSE:
        return false;
      case V_TRUE:
        return true;
      case V_INT: {
        const n = this.uint();
        return n % 2 === 1 ? -(n + 1) / 2 : n / 2;
      }
      case V_FLOAT:
        return this.float();
      case V_STRING:
        return this.string();
      case V_BYTES:
        return this.bytes();
      case V_OBJECT: {
        const count = this.uint();
        const object: Record<string, unknown> = {};
        for (let i = 0; i < count; i++) {
          const key = this.string();
          object[key] = this.value();
        }
        return object;
      }
      case V_ARRAY: {
        const count = this.uint();
        const array: unknown[] = [];
        for (let i = 0; i < count; i++) array.push(this.value());
        return array;
      }
      case V_CONNECTION: {
        const connectionId = this.uint();
        const info = this.value() as Record<string, unknown>;
        return { connectionId, info } satisfies RecordedConnection;
      }
      default:
        return undefined;
    }
  }
}
