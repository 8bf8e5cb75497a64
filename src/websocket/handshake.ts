import { sha1 } from "@noble/hashes/legacy.js";

/*
 * The HTTP/1.1 upgrade handshake of RFC 6455 as Godot 4 performs it (reference §7.4–7.5),
 * platform-neutral: building and checking requests and responses, choosing the
 * subprotocol. The in-memory network uses all of it; the node transport uses the server
 * half (its client handshake is ws's).
 */

/** The largest request or response head accepted, in bytes (Godot's `WSL_MAX_HEADER_SIZE`). */
export const MAX_HEAD_SIZE = 4096;

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const latin1 = new TextDecoder("latin1");

/** Base64 of bytes (standard alphabet, padded). */
export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.byteLength; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary);
}

/** The `Sec-WebSocket-Accept` value for a `Sec-WebSocket-Key`. */
export function acceptKey(key: string): string {
  const text = key + GUID;
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return base64(sha1(bytes));
}

/** The bytes of an ASCII/Latin-1 string. */
export function latin1Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

/** A parsed request or response head: the start line's tokens and the headers. */
export interface HttpHead {
  /** The start line split on spaces (`GET /path HTTP/1.1`, `HTTP/1.1 101 Switching Protocols`). */
  startLine: string[];
  /** Header values by lower-case name; repeated headers joined with `,` (as Godot does). */
  headers: Map<string, string>;
  /** The number of lines, the start line included. */
  lineCount: number;
}

/**
 * Collects the bytes of an HTTP head until the blank line, up to {@link MAX_HEAD_SIZE}.
 * What follows the head (early frames) is kept for the WebSocket.
 */
export class HeadReader {
  #bytes = new Uint8Array(512);
  #length = 0;

  /**
   * Adds received bytes. Returns the head text and the bytes after it once complete,
   * `null` while incomplete, or `"too-big"` past the size limit.
   */
  push(chunk: Uint8Array): { head: string; rest: Uint8Array } | null | "too-big" {
    const start = Math.max(0, this.#length - 3);
    if (this.#length + chunk.byteLength > this.#bytes.byteLength) {
      const grown = new Uint8Array(
        Math.min(Math.max(this.#bytes.byteLength * 2, this.#length + chunk.byteLength), MAX_HEAD_SIZE + 4),
      );
      grown.set(this.#bytes.subarray(0, this.#length));
      this.#bytes = grown;
    }
    const room = this.#bytes.byteLength - this.#length;
    const taken = Math.min(room, chunk.byteLength);
    this.#bytes.set(chunk.subarray(0, taken), this.#length);
    this.#length += taken;
    const bytes = this.#bytes;
    for (let i = start; i + 3 < this.#length; i++) {
      if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
        const end = i + 4;
        const head = latin1.decode(bytes.subarray(0, i));
        const restInBuffer = bytes.slice(end, this.#length);
        const rest = taken < chunk.byteLength ? concat(restInBuffer, chunk.subarray(taken)) : restInBuffer;
        return { head, rest };
      }
    }
    if (this.#length > MAX_HEAD_SIZE) return "too-big";
    return null;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}

/** Parses a head's text (without the final blank line). `null` when a header line has no `:`. */
export function parseHead(text: string): HttpHead | null {
  const lines = text.split("\r\n");
  const startLine = lines[0]!.split(" ").filter((token) => token.length > 0);
  const headers = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(":");
    if (colon <= 0) return null;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const previous = headers.get(name);
    headers.set(name, previous === undefined ? value : `${previous},${value}`);
  }
  return { startLine, headers, lineCount: lines.length };
}

/** Splits a comma-separated header value into trimmed, non-empty entries. */
export function splitList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

/**
 * The subprotocol a server picks, Godot's way: the first of the client's offers (in the
 * client's order) that the server supports. `""` when neither side has any; `null` when
 * the handshake must fail (the client offered some and none is supported, or the server
 * requires one and the client offered none).
 */
export function selectProtocol(offered: readonly string[], supported: readonly string[]): string | null {
  if (offered.length === 0) return supported.length === 0 ? "" : null;
  for (const protocol of offered) if (supported.includes(protocol)) return protocol;
  return null;
}

/** What a client needs to write its upgrade request. */
export interface ClientRequestFields {
  /** The `Host` header value (with `:port` only when not the scheme's default). */
  host: string;
  /** The request target (path and query). */
  path: string;
  /** The `Sec-WebSocket-Key`. */
  key: string;
  /** Offered subprotocols (may be empty). */
  protocols: readonly string[];
  /** Extra raw header lines ("Name: value"). */
  headers: readonly string[];
}

/** The client's upgrade request, field for field as Godot 4 writes it (reference §7.4). */
export function buildClientRequest(fields: ClientRequestFields): string {
  let request =
    `GET ${fields.path} HTTP/1.1\r\nHost: ${fields.host}\r\nUpgrade: websocket\r\n` +
    `Connection: Upgrade\r\nSec-WebSocket-Key: ${fields.key}\r\nSec-WebSocket-Version: 13\r\n`;
  if (fields.protocols.length > 0) request += `Sec-WebSocket-Protocol: ${fields.protocols.join(",")}\r\n`;
  for (const line of fields.headers) request += `${line}\r\n`;
  return `${request}\r\n`;
}

/**
 * Checks a server's response (reference §7.5, client step 5). Returns the selected
 * protocol (`""` for none), or `null` when the handshake fails.
 */
export function checkServerResponse(head: HttpHead, key: string, offered: readonly string[]): string | null {
  if (head.startLine[0] !== "HTTP/1.1" || head.startLine[1] !== "101") return null;
  if (head.lineCount < 4) return null;
  const headers = head.headers;
  if (headers.get("connection")?.toLowerCase() !== "upgrade") return null;
  if (headers.get("upgrade")?.toLowerCase() !== "websocket") return null;
  if (headers.get("sec-websocket-accept") !== acceptKey(key)) return null;
  const selected = headers.get("sec-websocket-protocol");
  if (offered.length === 0) return selected === undefined ? "" : null;
  if (selected === undefined || !offered.includes(selected)) return null;
  return selected;
}

/** A checked upgrade request, as a server sees it. */
export interface UpgradeRequest {
  /** The request target (path and query). */
  path: string;
  /** Header values by lower-case name. */
  headers: Map<string, string>;
  /** The client's `Sec-WebSocket-Key`. */
  key: string;
  /** The subprotocols the client offered, in its order. */
  protocols: string[];
}

/**
 * Checks a client's upgrade request (reference §7.5, server step 3). Returns the request,
 * or the HTTP status to refuse it with (400, or 426 for a version other than 13).
 */
export function checkClientRequest(head: HttpHead): UpgradeRequest | number {
  if (head.lineCount < 4 || head.startLine.length < 3) return 400;
  if (head.startLine[0] !== "GET" || head.startLine[2] !== "HTTP/1.1") return 400;
  const headers = head.headers;
  if (headers.get("upgrade")?.toLowerCase() !== "websocket") return 400;
  if (!headers.has("connection")) return 400;
  const key = headers.get("sec-websocket-key");
  if (key === undefined || key.length === 0) return 400;
  if (headers.get("sec-websocket-version") !== "13") return 426;
  return {
    path: head.startLine[1]!,
    headers,
    key,
    protocols: splitList(headers.get("sec-websocket-protocol")),
  };
}

/** The server's `101 Switching Protocols` response (reference §7.5, server step 5). */
export function buildServerResponse(key: string, protocol: string, headers: readonly string[]): string {
  let response =
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
    `Sec-WebSocket-Accept: ${acceptKey(key)}\r\n`;
  if (protocol.length > 0) response += `Sec-WebSocket-Protocol: ${protocol}\r\n`;
  for (const line of headers) response += `${line}\r\n`;
  return `${response}\r\n`;
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  426: "Upgrade Required",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** A complete HTTP error response that refuses an upgrade with `status`. */
export function buildRefusal(status: number): string {
  const text = STATUS_TEXT[status] ?? "Refused";
  const version = status === 426 ? "Sec-WebSocket-Version: 13\r\n" : "";
  return `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\n${version}Content-Length: 0\r\n\r\n`;
}

/** Header lines ("Name: value") as name/value pairs; lines without a colon are skipped. */
export function headerPairs(lines: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    pairs.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return pairs;
}
