import { describe, expect, it } from "vitest";
import { ERR_INVALID_DATA, ERR_OUT_OF_MEMORY, ERR_UNAUTHORIZED, OK } from "../../src/ErrorCode.js";
import { lastDecodeStats } from "../../src/variant/codec.js";
import {
  bytesToVar,
  Color,
  decodeVariant,
  encodeVariant,
  GodotObject,
  MAX_RECURSION_DEPTH,
  NodePath,
  PackedStringArray,
  PackedVector3Array,
  TypedDictionary,
  VariantType,
  Vector2,
  Vector3,
  varToBytes,
} from "../../src/variant/index.js";
import { fromHex } from "./hex.js";

// 2,000,000,000 as a little-endian uint32.
const TWO_BILLION = "00943577";

describe("a count the input cannot hold is refused before anything is allocated", () => {
  const claims: [string, string, { format?: 3 | 4; allowObjects?: boolean }?][] = [
    ["Array", `1c000000 ${TWO_BILLION} 00000000`],
    ["Dictionary", `1b000000 ${TWO_BILLION} 00000000`],
    ["PackedByteArray", `1d000000 ${TWO_BILLION} 00000000`],
    ["PackedInt32Array", `1e000000 ${TWO_BILLION} 00000000`],
    ["PackedInt64Array", `1f000000 ${TWO_BILLION} 00000000`],
    ["PackedFloat32Array", `20000000 ${TWO_BILLION} 00000000`],
    ["PackedFloat64Array", `21000000 ${TWO_BILLION} 00000000`],
    ["PackedStringArray", `22000000 ${TWO_BILLION} 00000000`],
    ["PackedVector2Array", `23000000 ${TWO_BILLION} 00000000`],
    ["PackedVector3Array", `24000000 ${TWO_BILLION} 00000000`],
    ["PackedColorArray", `25000000 ${TWO_BILLION} 00000000`],
    ["PackedVector4Array", `26000000 ${TWO_BILLION} 00000000`],
    ["String", `04000000 ${TWO_BILLION} 00000000`],
    ["StringName", `15000000 ${TWO_BILLION} 00000000`],
    ["NodePath names", `16000000 00943577 00000000 00000000`],
    ["NodePath subnames", `16000000 00000080 ${TWO_BILLION} 00000000`],
    ["full object properties", "18000000 01000000 41000000 00943577", { allowObjects: true }],
    ["typed Array class name", `1c000200 ${TWO_BILLION} 00000000`],
    ["Godot 3 Array", `13000000 ${TWO_BILLION} 00000000`, { format: 3 }],
    ["Godot 3 PoolIntArray", `15000000 ${TWO_BILLION} 00000000`, { format: 3 }],
    ["a uint32 count with bit 31 set", "1e000000 ffffffff 00000000"],
  ];

  for (const [name, hex, options] of claims) {
    it(`${name}`, () => {
      const bytes = fromHex(hex);
      expect(decodeVariant(bytes, options)).toStrictEqual([ERR_INVALID_DATA, null, 0]);
      expect(lastDecodeStats.largestReservation).toBeLessThanOrEqual(2 * bytes.length);
    });
  }

  it("a PackedStringArray with a negative int32 count is empty, as in Godot", () => {
    expect(decodeVariant(fromHex("22000000 ffffffff"))).toStrictEqual([OK, new PackedStringArray(), 8]);
  });
});

describe("truncated input", () => {
  const values: [string, unknown][] = [
    [
      "a nested Dictionary",
      new Map<unknown, unknown>([
        ["pos", new Vector2(1, 2)],
        ["path", new NodePath("/root/a:b")],
        [3, [1.5, new Uint8Array([1, 2, 3, 4, 5]), "héllo"]],
      ]),
    ],
    ["a typed Dictionary", new TypedDictionary(VariantType.TYPE_STRING, VariantType.TYPE_INT, [["a", 1]])],
    ["a PackedVector3Array", PackedVector3Array.from([new Vector3(1, 2, 3), new Vector3(4, 5, 6)])],
    ["a PackedStringArray", new PackedStringArray(["one", "two", ""])],
    ["a PackedInt32Array", new Int32Array([1, 2, 3])],
    ["a Color", new Color(1, 0, 0)],
  ];

  for (const [name, value] of values) {
    it(`is invalid data at every cut of ${name}`, () => {
      const bytes = varToBytes(value);
      for (let length = 0; length < bytes.length; length++) {
        const [error] = decodeVariant(bytes.subarray(0, length));
        expect([length, error]).toStrictEqual([length, ERR_INVALID_DATA]);
      }
      expect(decodeVariant(bytes)[0]).toBe(OK);
    });
  }

  it("a PackedByteArray missing only its final padding is accepted, as Godot accepts it", () => {
    expect(decodeVariant(fromHex("1d000000 03000000 010203"))).toStrictEqual([
      OK,
      new Uint8Array([1, 2, 3]),
      11,
    ]);
  });
});

describe("recursion is bounded at Godot's MAX_RECURSION_DEPTH", () => {
  // `levels` nested one-element Arrays around a NIL: the NIL sits at depth `levels`.
  const nested = (levels: number) => fromHex(`${"1c00000001000000".repeat(levels)}00000000`);

  it("is Godot's 1024", () => {
    expect(MAX_RECURSION_DEPTH).toBe(1024);
  });

  it("decodes a value at depth 1024 and refuses one at depth 1025 with ERR_OUT_OF_MEMORY", () => {
    expect(decodeVariant(nested(1024))[0]).toBe(OK);
    expect(decodeVariant(nested(1025))).toStrictEqual([ERR_OUT_OF_MEMORY, null, 0]);
  });

  it("refuses a million levels without overflowing the stack", () => {
    expect(decodeVariant(nested(1_000_000))[0]).toBe(ERR_OUT_OF_MEMORY);
  });

  it("encodes a value at depth 1024 and refuses depth 1025", () => {
    let value: unknown = null;
    for (let i = 0; i < 1024; i++) value = [value];
    expect(encodeVariant(value)[0]).toBe(OK);
    expect(encodeVariant([value])[0]).toBe(ERR_OUT_OF_MEMORY);
  });

  it("refuses cyclic data with ERR_OUT_OF_MEMORY, as Godot", () => {
    const cycle: unknown[] = [];
    cycle.push(cycle);
    const map = new Map<string, unknown>();
    map.set("self", map);
    expect(encodeVariant(cycle)[0]).toBe(ERR_OUT_OF_MEMORY);
    expect(encodeVariant(map)[0]).toBe(ERR_OUT_OF_MEMORY);
  });
});

describe("objects", () => {
  const full = varToBytes([1, new GodotObject("Node", new Map([["name", "x"]]))], { fullObjects: true });

  it("a full object nested in an Array is refused without allowObjects", () => {
    expect(decodeVariant(full)[0]).toBe(ERR_UNAUTHORIZED);
    expect(bytesToVar(full)).toBeNull();
  });

  it("the same bytes decode with allowObjects", () => {
    expect(bytesToVar(full, { allowObjects: true })).toStrictEqual([
      1,
      new GodotObject("Node", new Map([["name", "x"]])),
    ]);
  });
});

describe("every header", () => {
  it("of the 256 type bytes, with and without flags, decodes or fails without throwing", () => {
    const tail = new Uint8Array(12);
    for (const format of [3, 4] as const) {
      for (let type = 0; type < 256; type++) {
        for (const flags of [0, 1, 2, 3, 5, 15]) {
          const bytes = new Uint8Array([type, 0, flags, 0, ...tail]);
          const [error, , consumed] = decodeVariant(bytes, { format, allowObjects: true });
          expect([OK, ERR_INVALID_DATA]).toContain(error);
          expect(consumed).toBeLessThanOrEqual(bytes.length);
        }
      }
    }
  });
});
