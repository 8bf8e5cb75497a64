import { utf8Encode } from "../core/bytes.js";

/** The longest close reason a close frame can carry, in UTF-8 bytes. */
export const MAX_CLOSE_REASON_BYTES = 123;

/**
 * Whether an endpoint may close with `code`. On Node and the in-memory network, every code
 * RFC 6455 lets an endpoint send: 1000–1003, 1007–1014 and 3000–4999 (so a server can
 * say "going away" 1001, "policy violation" 1008 or "internal error" 1011). In browsers,
 * the WebSocket API's rule: 1000, or 3000–4999.
 */
export function isValidCloseCode(code: number, browser: boolean): boolean {
  if (!Number.isInteger(code)) return false;
  if (code === 1000 || (code >= 3000 && code <= 4999)) return true;
  return !browser && (code === 1001 || code === 1002 || code === 1003 || (code >= 1007 && code <= 1014));
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
