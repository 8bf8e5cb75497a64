import net from "node:net";

/** Anything a frame loop polls. */
export interface Pollable {
  poll(): unknown;
}

/** Polls `objects` every couple of milliseconds of real time until `done()` holds. */
export async function pump(objects: Pollable[], done: () => boolean, limitMs = 10_000): Promise<void> {
  const start = performance.now();
  for (;;) {
    for (const object of objects) object.poll();
    if (done()) return;
    if (performance.now() - start > limitMs) throw new Error(`condition not reached within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Polls `objects` for `ms` of real time. */
export async function pumpFor(objects: Pollable[], ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (const object of objects) object.poll();
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** A loopback port nothing listens on (right now). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** `length` bytes of a fixed, non-repeating-looking pattern. */
export function patternBytes(length: number, seed = 7): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** `length` characters of printable ASCII text. */
export function patternText(length: number): string {
  let text = "";
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 ";
  for (let i = 0; i < length; i++) text += alphabet[(i * 7 + (i >> 5)) % alphabet.length];
  return text;
}
