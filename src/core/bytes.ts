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
