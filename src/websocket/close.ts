import { utf8Encode } from "../core/bytes.js";

/** The longest close reason a close frame can carry, in UTF-8 bytes. */
export const MAX_CLOSE_REASON_BYTES = 123;

/**
 * Whether a script may close with `code`, by the browser's rules (the WebSocket API's
 * `close()`): 1000, or 3000–4999. gdnet applies them on every platform.
 */
export function isValidCloseCode(code: number): boolean {
  return Number.isInteger(code) && (code === 1000 || (code >= 3000 && code <= 4999));
}

/** Whether `reason` fits in a close frame (at most 123 UTF-8 bytes). */
export function isValidCloseReason(reason: string): boolean {
  if (reason.length <= MAX_CLOSE_REASON_BYTES / 3) return true;
  return utf8Encode(reason).byteLength <= MAX_CLOSE_REASON_BYTES;
}

/** A received close reason without the NUL byte Godot 3 appends to the reasons it sends. */
export function stripTrailingNul(reason: string): string {
  return reason.endsWith("\u0000") ? reason.slice(0, -1) : reason;
}
