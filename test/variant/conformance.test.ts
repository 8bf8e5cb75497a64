import { describe, expect, it } from "vitest";
import { ERR_INVALID_DATA, OK } from "../../src/ErrorCode.js";
import {
  bytesToVar,
  Color,
  decodeVariant,
  Float,
  PackedStringArray,
  StringName,
  TypedArray,
  TypedDictionary,
  VariantType,
  Vector2,
  Vector2i,
  varToBytes,
} from "../../src/variant/index.js";
import {
  decodeDouble,
  decodeFloat,
  decodeHalf,
  decodeUint16,
  decodeUint32,
  decodeUint64,
  encodeCString,
  encodeDouble,
  encodeFloat,
  encodeHalf,
  encodeUint16,
  encodeUint32,
  encodeUint64,
} from "../../src/variant/marshalls.js";
import { fromHex, toHex } from "./hex.js";

// 0x0f123456789abcdef from Godot's test_marshalls.h, as a signed 64-bit int.
const BIG = BigInt.asIntN(64, 0xf123456789abcdefn);

describe("marshalls.h helpers (godot4-semantics §11.4)", () => {
  const helpers: [string, (out: Uint8Array) => number, string, (bytes: Uint8Array) => unknown, unknown][] = [
    ["encode_uint16(0x1234)", (out) => encodeUint16(0x1234, out), "3412", decodeUint16, 0x1234],
    [
      "encode_uint32(0x12345678)",
      (out) => encodeUint32(0x12345678, out),
      "78563412",
      decodeUint32,
      0x12345678,
    ],
    [
      "encode_uint64(0x0f123456789abcdef)",
      (out) => encodeUint64(0xf123456789abcdefn, out),
      "efcdab89674523f1",
      decodeUint64,
      0xf123456789abcdefn,
    ],
    ["encode_half(0.33325195)", (out) => encodeHalf(0.33325195, out), "5535", decodeHalf, 0.333251953125],
    ["encode_float(0.15625)", (out) => encodeFloat(0.15625, out), "0000203e", decodeFloat, 0.15625],
    // Godot's literal 0.33333333333333333 is the double nearest 1/3.
    [
      "encode_double(0.33333333333333333)",
      (out) => encodeDouble(1 / 3, out),
      "555555555555d53f",
      decodeDouble,
      1 / 3,
    ],
  ];

  for (const [name, encode, hex, decode, value] of helpers) {
    it(`${name} writes ${hex} and reads back`, () => {
      const out = new Uint8Array(16);
      const written = encode(out);
      expect(written).toBe(hex.length / 2);
      expect(toHex(out.subarray(0, written))).toBe(hex);
      expect(decode(fromHex(hex))).toBe(value);
    });
  }

  it('encode_cstring("Godot") writes the bytes and a NUL', () => {
    const out = new Uint8Array(16);
    expect(encodeCString("Godot", out)).toBe(6);
    expect(toHex(out.subarray(0, 6))).toBe("476f646f7400");
  });
});

interface Vector {
  name: string;
  value: unknown;
  hex: string;
  /** What the default decode gives when it is not `value` itself. */
  decoded?: unknown;
}

const godotTestVectors: Vector[] = [
  { name: "NIL", value: null, hex: "00000000" },
  { name: "INT 0x12345678", value: 0x12345678, hex: "02000000 78563412" },
  { name: "INT 0x0f123456789abcdef (64-bit)", value: BIG, hex: "02000100 efcdab89674523f1" },
  { name: "FLOAT 0.15625 (fits float32)", value: 0.15625, hex: "03000000 0000203e" },
  {
    name: "FLOAT 0.33333333333333333 (float64)",
    value: 1 / 3,
    hex: "03000100 555555555555d53f",
  },
  {
    name: "typed Array[int] [0x0f123456789abcdef]",
    value: new TypedArray(VariantType.TYPE_INT, [BIG]),
    hex: "1c000100 02000000 01000000 02000100 efcdab89674523f1",
  },
  {
    name: "typed Dictionary[int, int] {0x0f12…ef: 0x0f12…ef}",
    value: new TypedDictionary(VariantType.TYPE_INT, VariantType.TYPE_INT, [[BIG, BIG]]),
    hex: "1b000500 02000000 02000000 01000000 02000100 efcdab89674523f1 02000100 efcdab89674523f1",
  },
];

const derivedVectors: Vector[] = [
  { name: "null", value: null, hex: "00000000" },
  { name: "true", value: true, hex: "0100000001000000" },
  { name: "false", value: false, hex: "0100000000000000" },
  { name: "int 1", value: 1, hex: "0200000001000000" },
  { name: "int -1", value: -1, hex: "02000000ffffffff" },
  { name: "int 2147483647", value: 2147483647, hex: "02000000ffffff7f" },
  { name: "int 2147483648", value: 2147483648, hex: "020001000000008000000000" },
  { name: "int -2147483649", value: -2147483649, hex: "02000100ffffff7fffffffff" },
  { name: "float 1.5", value: 1.5, hex: "030000000000c03f" },
  { name: "float 0.1", value: 0.1, hex: "030001009a9999999999b93f" },
  { name: "float 0.0", value: new Float(0), hex: "0300000000000000", decoded: 0 },
  { name: 'String ""', value: "", hex: "0400000000000000" },
  { name: 'String "a"', value: "a", hex: "040000000100000061000000" },
  { name: 'String "abcd" (no padding)', value: "abcd", hex: "040000000400000061626364" },
  { name: 'String "Hello"', value: "Hello", hex: "040000000500000048656c6c6f000000" },
  { name: 'String "é"', value: "é", hex: "0400000002000000c3a90000" },
  { name: 'StringName &"a"', value: new StringName("a"), hex: "150000000100000061000000" },
  { name: "Vector2(1, 2)", value: new Vector2(1, 2), hex: "050000000000803f00000040" },
  { name: "Vector2i(1, -1)", value: new Vector2i(1, -1), hex: "0600000001000000ffffffff" },
  {
    name: "Color(1, 0, 0, 1)",
    value: new Color(1, 0, 0, 1),
    hex: "140000000000803f00000000000000000000803f",
  },
  { name: "Array []", value: [], hex: "1c00000000000000" },
  {
    name: 'Array [1, "x"]',
    value: [1, "x"],
    hex: "1c000000 02000000 02000000 01000000 04000000 01000000 78000000",
  },
  {
    name: 'Dictionary {"a": 1}',
    value: new Map([["a", 1]]),
    hex: "1b000000 01000000 04000000 01000000 61000000 02000000 01000000",
  },
  { name: "PackedByteArray [1, 2, 3]", value: new Uint8Array([1, 2, 3]), hex: "1d000000 03000000 01020300" },
  { name: "PackedByteArray []", value: new Uint8Array([]), hex: "1d00000000000000" },
  {
    name: "PackedInt32Array [1, -2]",
    value: new Int32Array([1, -2]),
    hex: "1e000000 02000000 01000000 feffffff",
  },
  {
    name: 'PackedStringArray ["a", "bcd"]',
    value: new PackedStringArray(["a", "bcd"]),
    hex: "22000000 02000000 02000000 61000000 04000000 62636400",
  },
];

for (const [title, vectors] of [
  ["Godot's test vectors (godot4-semantics §11.4)", godotTestVectors],
  ["vectors derived from the encoder rules (godot4-semantics §11.5)", derivedVectors],
] as const) {
  describe(title, () => {
    for (const vector of vectors) {
      const hex = vector.hex.replace(/\s+/g, "");
      it(`${vector.name} encodes as ${hex}`, () => {
        expect(toHex(varToBytes(vector.value))).toBe(hex);
      });

      it(`${vector.name} decodes from its bytes, consuming all of them`, () => {
        const [error, value, consumed] = decodeVariant(fromHex(hex));
        expect(error).toBe(OK);
        expect(value).toStrictEqual("decoded" in vector ? vector.decoded : vector.value);
        expect(consumed).toBe(hex.length / 2);
      });

      it(`${vector.name} survives exact decode and re-encode byte for byte`, () => {
        const value = bytesToVar(fromHex(hex), { exact: true });
        expect(toHex(varToBytes(value))).toBe(hex);
      });
    }
  });
}

describe("malformed headers (godot4-semantics §11.4)", () => {
  it("a single byte is invalid data and consumes nothing", () => {
    expect(decodeVariant(fromHex("00"))).toStrictEqual([ERR_INVALID_DATA, null, 0]);
  });

  it("type 255, beyond TYPE_MAX, is invalid data", () => {
    expect(decodeVariant(fromHex("ff000000"))[0]).toBe(ERR_INVALID_DATA);
  });
});
