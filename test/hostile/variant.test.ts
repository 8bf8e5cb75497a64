import { describe, expect, it } from "vitest";
import { ERR_INVALID_DATA, ERR_OUT_OF_MEMORY, ERR_UNAUTHORIZED, OK } from "../../src/ErrorCode.js";
import { StreamPeerBuffer } from "../../src/StreamPeerBuffer.js";
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
import { fromHex } from "../variant/hex.js";

/*
 * Variant decoding of hostile input (Godot's decode_variant, through decodeVariant,
 * bytesToVar and getVar): huge declared lengths, deep nesting, truncations, objects where
 * they are not allowed. Each must fail with an error code (ERR_INVALID_DATA,
 * ERR_OUT_OF_MEMORY for depth, ERR_UNAUTHORIZED for objects), never throw, and reserve
 * no more memory than the input justifies: checked on the decoder's own record of its
 * reservations (lastDecodeStats), never on the heap.
 */

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

/** Decodes `bytes` and checks it fails with `error` after reserving at most twice the input. */
function expectRefused(
  bytes: Uint8Array,
  error: number,
  options?: { format?: 3 | 4; allowObjects?: boolean },
) {
  expect(decodeVariant(bytes, options)).toStrictEqual([error, null, 0]);
  expect(lastDecodeStats.largestReservation).toBeLessThanOrEqual(2 * bytes.length);
  expect(lastDecodeStats.totalReserved).toBeLessThanOrEqual(4 * bytes.length + 64);
  expect(bytesToVar(bytes, options)).toBeNull();
}

describe("huge declared lengths inside containers", () => {
  it("a Dictionary claiming two billion entries inside an Array is refused", () => {
    expectRefused(fromHex(`1c000000 01000000 1b000000 ${TWO_BILLION} 00000000`), ERR_INVALID_DATA);
  });

  it("a String key claiming two billion bytes inside a Dictionary is refused", () => {
    expectRefused(fromHex(`1b000000 01000000 04000000 ${TWO_BILLION} 00000000`), ERR_INVALID_DATA);
  });

  it("an Array claiming a million elements with room for 256 is refused", () => {
    const bytes = fromHex(`1c000000 40420f00 ${"00000000".repeat(256)}`);
    expectRefused(bytes, ERR_INVALID_DATA);
  });

  it("a PackedFloat64Array claiming one element more than its bytes hold is refused", () => {
    const bytes = fromHex(`21000000 81000000 ${"0000000000000000".repeat(128)}`);
    expectRefused(bytes, ERR_INVALID_DATA);
    // One fewer is the right count, and decodes.
    const exact = fromHex(`21000000 80000000 ${"0000000000000000".repeat(128)}`);
    expect(decodeVariant(exact)[0]).toBe(OK);
  });

  it("a PackedStringArray claiming a hundred million empty strings in 400 bytes is refused", () => {
    expectRefused(fromHex(`22000000 00e1f505 ${"00000000".repeat(100)}`), ERR_INVALID_DATA);
  });

  it("a thousand nested Arrays each claiming two billion elements are refused", () => {
    expectRefused(fromHex(`${`1c000000 ${TWO_BILLION}`.repeat(1000)} 00000000`), ERR_INVALID_DATA);
  });
});

describe("100,000 levels of nesting", () => {
  const levels = 100_000;

  it("of Dictionaries is refused with ERR_OUT_OF_MEMORY, without overflowing the stack", () => {
    // { null: { null: ... } }: each level is a one-entry Dictionary whose value is the next.
    expectRefused(fromHex(`${"1b000000 01000000 00000000".repeat(levels)} 00000000`), ERR_OUT_OF_MEMORY);
  });

  it("of Arrays and Dictionaries alternating is refused the same way", () => {
    const level = "1c000000 01000000 1b000000 01000000 00000000";
    expectRefused(fromHex(`${level.repeat(levels / 2)} 00000000`), ERR_OUT_OF_MEMORY);
  });

  it("of Godot 3 Arrays is refused the same way", () => {
    expectRefused(fromHex(`${"13000000 01000000".repeat(levels)} 00000000`), ERR_OUT_OF_MEMORY, {
      format: 3,
    });
  });

  it("through StreamPeer.getVar gives null and the error, and the stream goes on", () => {
    const nested = fromHex(`${"1c000000 01000000".repeat(levels)} 00000000`);
    const buffer = new StreamPeerBuffer();
    const prefix = new Uint8Array(4);
    new DataView(prefix.buffer).setInt32(0, nested.length, true);
    buffer.putData(prefix);
    buffer.putData(nested);
    expect(buffer.putVar("after")).toBe(OK);
    buffer.seek(0);
    expect(buffer.getVar()).toBeNull();
    expect(buffer.getLastError()).toBe(ERR_OUT_OF_MEMORY);
    expect(buffer.getVar()).toBe("after");
  });
});

describe("truncated Godot 3 input", () => {
  const values: [string, unknown][] = [
    [
      "a nested Dictionary",
      new Map<unknown, unknown>([
        ["pos", new Vector2(1, 2)],
        [3, [1.5, "héllo"]],
      ]),
    ],
    ["a PackedStringArray", new PackedStringArray(["one", "two", ""])],
    ["a PackedVector3Array", PackedVector3Array.from([new Vector3(1, 2, 3), new Vector3(4, 5, 6)])],
  ];

  for (const [name, value] of values) {
    it(`is invalid data at every cut of ${name}`, () => {
      const bytes = varToBytes(value, { format: 3 });
      for (let length = 0; length < bytes.length; length++) {
        const [error] = decodeVariant(bytes.subarray(0, length), { format: 3 });
        expect([length, error]).toStrictEqual([length, ERR_INVALID_DATA]);
        expect(lastDecodeStats.largestReservation).toBeLessThanOrEqual(2 * Math.max(length, 1));
      }
      expect(decodeVariant(bytes, { format: 3 })[0]).toBe(OK);
    });
  }
});

describe("objects where they are not allowed", () => {
  const object = new GodotObject("Node", new Map([["name", "x"]]));

  it("a full object as a Dictionary key is refused without allowObjects", () => {
    const bytes = varToBytes(new Map([[object, 1]]), { fullObjects: true });
    expect(decodeVariant(bytes)[0]).toBe(ERR_UNAUTHORIZED);
    expect(bytesToVar(bytes)).toBeNull();
    expect(bytesToVar(bytes, { allowObjects: true })).toStrictEqual(new Map([[object, 1]]));
  });

  it("a full object 200 levels down is refused without allowObjects", () => {
    let value: unknown = object;
    for (let i = 0; i < 200; i++) value = i % 2 === 0 ? [value] : new Map([["k", value]]);
    const bytes = varToBytes(value, { fullObjects: true });
    expect(decodeVariant(bytes)[0]).toBe(ERR_UNAUTHORIZED);
    expect(bytesToVar(bytes, { allowObjects: true })).toStrictEqual(value);
  });

  it("through StreamPeer.getVar gives null without allowObjects, and the value with it", () => {
    const buffer = new StreamPeerBuffer();
    expect(buffer.putVar([object], true)).toBe(OK);
    buffer.seek(0);
    expect(buffer.getVar()).toBeNull();
    expect(buffer.getLastError()).toBe(ERR_UNAUTHORIZED);
    buffer.seek(0);
    expect(buffer.getVar(true)).toStrictEqual([object]);
  });
});

describe("a length prefix that lies", () => {
  it("StreamPeer.getVar with a prefix of two billion bytes and 8 bytes behind it gives null and allocates nothing for it", () => {
    const buffer = new StreamPeerBuffer();
    buffer.putData(fromHex(`${TWO_BILLION} 02000000 07000000`));
    buffer.seek(0);
    lastDecodeStats.largestReservation = 0;
    expect(buffer.getVar()).toBeNull();
    expect(lastDecodeStats.largestReservation).toBe(0);
  });

  it("StreamPeer.getVar with a negative prefix gives null without throwing", () => {
    const buffer = new StreamPeerBuffer();
    buffer.putData(fromHex("ffffffff 02000000 07000000"));
    buffer.seek(0);
    expect(buffer.getVar()).toBeNull();
  });
});
