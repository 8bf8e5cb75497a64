/**
 * A small seedable pseudo-random source (sfc32, seeded through splitmix32). gdnet uses it
 * for peer ids and every other random choice, so a `MemoryNetwork` with a fixed seed
 * repeats itself exactly. It is not for cryptography: WebSocket masking keys and
 * handshake keys come from the platform's secure generator.
 */
export class RandomSource {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** @param seed any 32-bit integer; without one, a seed is drawn from the platform. */
  constructor(seed?: number) {
    let s = (seed ?? secureSeed()) >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = next();
    this.#b = next();
    this.#c = next();
    this.#d = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** The next unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /**
   * A peer id as Godot makes them: a random positive 31-bit integer that is neither 0
   * nor 1 (`generate_unique_id`). `isTaken` lets the caller keep ids unique among live
   * peers, which Godot does not check.
   */
  nextPeerId(isTaken?: (id: number) => boolean): number {
    for (;;) {
      const id = this.nextUint32() & 0x7fffffff;
      if (id < 2) continue;
      if (isTaken?.(id)) continue;
      return id;
    }
  }
}

function secureSeed(): number {
  const buffer = new Uint32Array(1);
  globalThis.crypto.getRandomValues(buffer);
  return buffer[0]!;
}
