import type { HttpFailure } from "../transport/http.js";

/** The `HTTPRequest.RESULT_*` each transport failure ends in. @internal */
export const FAILURE_RESULTS: Record<HttpFailure, number> = {
  unresolved: 3,
  refused: 2,
  tls: 5,
  connection: 4,
  request: 9,
  decompress: 8,
  "body-size-limit": 7,
  "file-open": 10,
  "file-write": 11,
  "redirect-limit": 12,
};

/** Failures after the response headers: the signal carries the code and headers, as Godot's does. @internal */
export const BODY_PHASE_FAILURES: ReadonlySet<HttpFailure> = new Set([
  "decompress",
  "body-size-limit",
  "file-open",
  "file-write",
]);

/** 1xx, 204 and 304 responses never have a body. @internal */
export function hasNoBody(status: number): boolean {
  return (status >= 100 && status < 200) || status === 204 || status === 304;
}

/**
 * What is known of the current response: code, header lines, announced length, raw and
 * decoded byte counts, and the body parts kept in memory.
 * @internal
 */
export class ResponseProgress {
  code = 0;
  headers: string[] = [];
  /** `Content-Length`, or -1. */
  bodySize = -1;
  /** Raw bytes off the wire (before decompression). */
  downloaded = 0;
  /** Decoded bytes, which the body size limit applies to. */
  decoded = 0;
  #parts: Uint8Array[] = [];

  /** Forgets everything (a new request or a redirect hop). */
  reset(): void {
    this.code = 0;
    this.headers = [];
    this.bodySize = -1;
    this.downloaded = 0;
    this.decoded = 0;
    this.#parts = [];
  }

  /** Drops the body parts (the request ended). */
  release(): void {
    this.#parts = [];
  }

  /** Counts one body event: decoded bytes (kept) or their count (written to a file), and raw bytes. */
  add(decoded: Uint8Array | number, raw: number): void {
    this.downloaded += raw;
    if (typeof decoded === "number") {
      this.decoded += decoded;
    } else if (decoded.byteLength > 0) {
      this.decoded += decoded.byteLength;
      this.#parts.push(decoded);
    }
  }

  /** The body received so far, as one new array. */
  body(): Uint8Array {
    const out = new Uint8Array(this.decoded);
    let at = 0;
    for (const part of this.#parts) {
      out.set(part, at);
      at += part.byteLength;
    }
    return out.subarray(0, at);
  }
}
