import { describe, expect, it } from "vitest";
import { ERR_INVALID_DATA, ERR_OUT_OF_MEMORY, ERR_UNAUTHORIZED, OK } from "../../src/ErrorCode.js";
import { lastDecodeStats } from "../../src/variant/codec.js";
import {
  AABB,
  Basis,
  Callable,
  Color,
  ContainerType,
  decodeVariant,
  EncodedObjectAsID,
  EncodedSignal,
  encodeVariant,
  Float,
  GodotObject,
  NodePath,
  PackedColorArray,
  PackedStringArray,
  PackedVector2Array,
  PackedVector3Array,
  PackedVector4Array,
  Plane,
  Projection,
  Quaternion,
  Rect2,
  Rect2i,
  RID,
  StringName,
  Transform2D,
  Transform3D,
  TypedArray,
  TypedDictionary,
  VariantType,
  Vector2,
  Vector2i,
  Vector3,
  Vector3i,
  Vector4,
  Vector4i,
  varToBytes,
} from "../../src/variant/index.js";

const SEED = 0x5eed_0005;
const INPUTS = 100_000;

/** mulberry32: small, seedable, reproducible. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Valid encodings of every type, in both formats, to mutate.
const godot4Values: unknown[] = [
  null,
  true,
  7,
  -2147483649,
  2n ** 62n,
  1.5,
  0.1,
  new Float(2),
  "héllo ✓",
  new StringName("name"),
  new Vector2(1, 2),
  new Vector2i(1, 2),
  new Rect2(1, 2, 3, 4),
  new Rect2i(1, 2, 3, 4),
  new Vector3(1, 2, 3),
  new Vector3i(1, 2, 3),
  new Transform2D(),
  new Vector4(1, 2, 3, 4),
  new Vector4i(1, 2, 3, 4),
  new Plane(1, 2, 3, 4),
  new Quaternion(),
  new AABB(),
  new Basis(),
  new Transform3D(),
  new Projection(),
  new Color(1, 0.5, 0),
  new NodePath("/root/a/b:c:d"),
  new RID(9n),
  new EncodedObjectAsID(77n),
  new GodotObject(
    "Resource",
    new Map<string, unknown>([
      ["name", "r"],
      ["size", new Vector2(1, 1)],
    ]),
  ),
  new Callable(),
  new EncodedSignal("hit", 3n),
  new Map<unknown, unknown>([
    ["a", 1],
    [new Vector2(1, 2), [1, "x", null]],
  ]),
  [1, "two", [3, [4, new Map([["k", "v"]])]]],
  new Uint8Array([1, 2, 3, 4, 5]),
  new Int32Array([1, -2, 3]),
  new BigInt64Array([1n, -2n]),
  new Float32Array([1.5, -2]),
  new Float64Array([0.1, 0.2]),
  new PackedStringArray(["a", "bcd", ""]),
  PackedVector2Array.from([new Vector2(1, 2)]),
  PackedVector3Array.from([new Vector3(1, 2, 3)]),
  PackedVector4Array.from([new Vector4(1, 2, 3, 4)]),
  PackedColorArray.from([new Color(1, 0, 0)]),
  new TypedArray(VariantType.TYPE_INT, [1, 2]),
  new TypedArray(new ContainerType(VariantType.TYPE_OBJECT, "Node"), []),
  new TypedArray(new ContainerType(VariantType.TYPE_OBJECT, "", "res://a.gd"), []),
  new TypedDictionary(VariantType.TYPE_STRING, VariantType.TYPE_FLOAT, [["x", 1]]),
];
const godot3Values = godot4Values.filter(
  (value) => encodeVariant(value, { format: 3, fullObjects: true })[0] === OK,
);
const corpus: [3 | 4, Uint8Array][] = [
  ...godot4Values.map((value) => [4, varToBytes(value, { fullObjects: true })] as [4, Uint8Array]),
  ...godot4Values.map((value) => [4, varToBytes(value, { doublePrecision: true })] as [4, Uint8Array]),
  ...godot3Values.map((value) => [3, varToBytes(value, { format: 3, fullObjects: true })] as [3, Uint8Array]),
];

const INTERESTING_WORDS = [
  0, 1, 3, 4, 0x7f, 0xff, 0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 2_000_000_000,
];

function mutate(next: () => number, source: Uint8Array): Uint8Array {
  let bytes: Uint8Array = source.slice();
  const rounds = 1 + Math.floor(next() * 4);
  for (let round = 0; round < rounds; round++) {
    const at = Math.floor(next() * Math.max(bytes.length, 1));
    const choice = next();
    if (choice < 0.3 && bytes.length > 0) {
      bytes[at] = bytes[at]! ^ (1 << Math.floor(next() * 8));
    } else if (choice < 0.55 && bytes.length >= 4) {
      const word = INTERESTING_WORDS[Math.floor(next() * INTERESTING_WORDS.length)]!;
      const aligned = Math.min(at & ~3, bytes.length - 4);
      new DataView(bytes.buffer).setUint32(aligned, word, true);
    } else if (choice < 0.7) {
      bytes = bytes.slice(0, at);
    } else if (choice < 0.85) {
      const chunk = bytes.slice(at, at + 1 + Math.floor(next() * 16));
      const grown = new Uint8Array(bytes.length + chunk.length);
      grown.set(bytes.subarray(0, at));
      grown.set(chunk, at);
      grown.set(bytes.subarray(at), at + chunk.length);
      bytes = grown;
    } else if (bytes.length > 0) {
      bytes[at] = Math.floor(next() * 256);
    }
  }
  return bytes;
}

function randomBytes(next: () => number): Uint8Array {
  const bytes = new Uint8Array(Math.floor(next() * 64));
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(next() * 256);
  // Mostly valid type ids, so the payload parsers are reached.
  if (bytes.length > 0 && next() < 0.8) bytes[0] = Math.floor(next() * 40);
  if (bytes.length > 2 && next() < 0.7) bytes[2] = Math.floor(next() * 16);
  return bytes;
}

describe("fuzzing the decoder", () => {
  // How long a decode takes depends on the machine: that figure belongs to the benchmarks.
  // Here each input must finish (the test would hang otherwise) and reserve memory in
  // proportion to its size, which the decoder counts itself, the same on every machine.
  it(`${INPUTS} seeded random and mutated inputs never throw, finish, and allocate in proportion to their size`, () => {
    const next = random(SEED);
    const allowed = new Set([OK, ERR_INVALID_DATA, ERR_UNAUTHORIZED, ERR_OUT_OF_MEMORY]);
    const failures: string[] = [];
    const outcomes = new Map<number, number>();
    let worstLargest = 0;
    let worstTotal = 0;

    for (let i = 0; i < INPUTS && failures.length < 5; i++) {
      const fromCorpus = next() < 0.75;
      const [sourceFormat, source] = corpus[Math.floor(next() * corpus.length)]!;
      const bytes = fromCorpus ? mutate(next, source) : randomBytes(next);
      const format = fromCorpus && next() < 0.9 ? sourceFormat : next() < 0.5 ? 3 : 4;
      const options = { format, allowObjects: next() < 0.5, exact: next() < 0.5 };
      try {
        const [error, value, consumed] = decodeVariant(bytes, options);
        if (!allowed.has(error)) failures.push(`#${i}: unexpected error ${error}`);
        if (consumed > bytes.length) failures.push(`#${i}: consumed ${consumed} of ${bytes.length}`);
        if (error !== OK && value !== null) failures.push(`#${i}: a value with error ${error}`);
        if (error === OK) {
          // Whatever decodes must encode again in the same format.
          const [again] = encodeVariant(value, { format, fullObjects: true });
          if (again !== OK) failures.push(`#${i}: re-encoding failed with ${again}`);
        }
        outcomes.set(error, (outcomes.get(error) ?? 0) + 1);
      } catch (thrown) {
        failures.push(`#${i}: threw ${String(thrown)} on ${Buffer.from(bytes).toString("hex")}`);
      }
      const length = Math.max(bytes.length, 1);
      worstLargest = Math.max(worstLargest, lastDecodeStats.largestReservation / length);
      worstTotal = Math.max(worstTotal, lastDecodeStats.totalReserved / length);
    }

    expect(failures).toStrictEqual([]);
    // Both successes and each kind of failure were reached, so the inputs exercised the parsers.
    expect(outcomes.get(OK)).toBeGreaterThan(INPUTS / 20);
    expect(outcomes.get(ERR_INVALID_DATA)).toBeGreaterThan(INPUTS / 20);
    expect(outcomes.get(ERR_UNAUTHORIZED)).toBeGreaterThan(0);
    // Every reservation is at most twice the input (an element slot per 4 input bytes), all of them at most 4x.
    expect(worstLargest).toBeLessThanOrEqual(2);
    expect(worstTotal).toBeLessThanOrEqual(4);
  });
});
