/** UTF-8 helpers shared by the stream and packet classes. */

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8");

/** The UTF-8 bytes of `text`. */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8; malformed sequences become U+FFFD, as Godot's lenient parser does. */
export function utf8Decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/**
 * A copy of `text` that shares no memory with the string it was cut from. Engines keep
 * a whole string alive for any slice of it, so a string kept per connection (a URL made
 * from a request's Host header) would otherwise hold on to the entire request.
 */
export function detachString(text: string): string {
  return decoder.decode(encoder.encode(text));
}
