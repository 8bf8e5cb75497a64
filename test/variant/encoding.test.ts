import { describe, expect, it } from "vitest";
import { ERR_INVALID_DATA, ERR_INVALID_PARAMETER, ERR_UNAUTHORIZED, OK } from "../../src/ErrorCode.js";
import {
  bytesToVar,
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
  PackedVector2Array,
  PackedVector4Array,
  RID,
  StringName,
  TypedArray,
  TypedDictionary,
  VariantType,
  Vector2,
  Vector2i,
  Vector4,
  varToBytes,
} from "../../src/variant/index.js";
import { fromHex, toHex } from "./hex.js";

const hexOf = (value: unknown, options?: Parameters<typeof varToBytes>[1]) =>
  toHex(varToBytes(value, options));
const doubleHex = (value: number) => {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleLE(value);
  return bytes.toString("hex");
};

describe("the int/float rule", () => {
  it("an integral number is INT, so 1.0 in JS is sent as int 1", () => {
    expect(hexOf(1.0)).toBe("0200000001000000");
  });

  it("Float forces FLOAT for an integral value", () => {
    expect(hexOf(new Float(1))).toBe("030000000000803f");
  });

  it("-0 is FLOAT -0.0, as Godot encodes a negative zero", () => {
    expect(hexOf(-0)).toBe("0300000000000080");
  });

  it("NaN is a float64, as Godot's float32 test fails for NaN", () => {
    expect(hexOf(Number.NaN)).toBe("03000100000000000000f87f");
  });

  it("an integral number beyond int64 is FLOAT", () => {
    expect(hexOf(1e20)).toBe(`03000100${doubleHex(1e20)}`);
    expect(hexOf(2 ** 63)).toBe(`03000000${"0000005f"}`);
  });

  it("-2^63 is still INT (the int64 minimum)", () => {
    expect(hexOf(-(2 ** 63))).toBe("020001000000000000000080");
  });

  it("a bigint within int32 is a 32-bit INT and one beyond int64 is refused", () => {
    expect(hexOf(5n)).toBe("0200000005000000");
    expect(encodeVariant(2n ** 63n)).toStrictEqual([ERR_INVALID_PARAMETER, new Uint8Array(0)]);
  });

  it("a 64-bit INT in the safe range decodes as a number, beyond it as a bigint", () => {
    expect(bytesToVar(fromHex("02000100 0000000001000000"))).toBe(4294967296);
    expect(bytesToVar(fromHex("02000100 ffffffffffff1f00"))).toBe(2 ** 53 - 1);
    expect(bytesToVar(fromHex("02000100 0000000000002000"))).toBe(2n ** 53n);
    expect(bytesToVar(fromHex("02000100 000000000000e0ff"))).toBe(-(2n ** 53n));
  });

  it("FLOAT decodes as a number by default and as a Float with exact", () => {
    expect(bytesToVar(fromHex("030000000000803f"))).toBe(1);
    expect(bytesToVar(fromHex("030000000000803f"), { exact: true })).toStrictEqual(new Float(1));
  });

  it("numbers in an Array[float] are sent as FLOAT even when integral", () => {
    const array = new TypedArray(VariantType.TYPE_FLOAT, [1, 2.5]);
    expect(hexOf(array)).toBe(
      "1c000100 03000000 02000000 03000000 0000803f 03000000 00002040".replace(/ /g, ""),
    );
  });

  it("a typed Array[float] decodes and re-encodes to the same bytes without exact", () => {
    const hex = "1c000100030000000100000003000000 0000803f".replace(/ /g, "");
    expect(hexOf(bytesToVar(fromHex(hex)))).toBe(hex);
  });
});

describe("JS values without a Godot class", () => {
  it("a plain object is a Dictionary with String keys", () => {
    expect(hexOf({ a: 1 })).toBe("1b000000010000000400000001000000610000000200000001000000");
  });

  it("undefined is NIL, in a plain object too", () => {
    expect(hexOf(undefined)).toBe("00000000");
    expect(hexOf({ a: undefined })).toBe(
      "1b00000001000000040000000100000061000000 00000000".replace(/ /g, ""),
    );
  });

  it("a Node Buffer is a PackedByteArray, in and out", () => {
    const bytes = Buffer.from(varToBytes(Buffer.from([1, 2, 3])));
    expect(bytes.toString("hex")).toBe("1d0000000300000001020300");
    expect(bytesToVar(bytes)).toStrictEqual(new Uint8Array([1, 2, 3]));
  });

  it("a decoded Uint8Array inside a larger buffer is read at its own offset", () => {
    const framed = new Uint8Array([9, 9, 9, ...fromHex("0200000007000000"), 9]);
    expect(decodeVariant(framed.subarray(3, 11))).toStrictEqual([OK, 7, 8]);
  });

  for (const [name, value] of [
    ["a function", () => 1],
    ["a symbol", Symbol("x")],
    ["an Int16Array", new Int16Array(2)],
    ["a Date", new Date(0)],
    ["a class instance", new (class Thing {})()],
  ] as const) {
    it(`${name} cannot be encoded`, () => {
      expect(encodeVariant(value)[0]).toBe(ERR_INVALID_PARAMETER);
      expect(varToBytes([1, value])).toStrictEqual(new Uint8Array(0));
    });
  }

  it("trailing bytes are left alone and the consumed length is reported", () => {
    expect(decodeVariant(fromHex("0200000007000000 ffff"))).toStrictEqual([OK, 7, 8]);
  });
});

describe("Godot 3 format", () => {
  it("uses Godot 3's type ids", () => {
    expect(hexOf(new Map([["a", 1]]), { format: 3 })).toBe(
      "12000000010000000400000001000000610000000200000001000000",
    );
  });

  it("sends a StringName as a String", () => {
    expect(hexOf(new StringName("a"), { format: 3 })).toBe("040000000100000061000000");
  });

  it("sends an RID without its id", () => {
    expect(hexOf(new RID(5n), { format: 3 })).toBe("10000000");
    expect(bytesToVar(fromHex("10000000"), { format: 3 })).toStrictEqual(new RID());
  });

  it("sends a typed Array as a plain Array", () => {
    expect(hexOf(new TypedArray(VariantType.TYPE_INT, [1]), { format: 3 })).toBe(
      "130000000100000002000000 01000000".replace(/ /g, ""),
    );
  });

  it("ignores the typed-container bits when decoding", () => {
    expect(bytesToVar(fromHex("13000100 00000000"), { format: 3 })).toStrictEqual([]);
  });

  for (const [name, value] of [
    ["Vector2i", new Vector2i()],
    ["Vector4", new Vector4()],
    ["PackedInt64Array", new BigInt64Array(1)],
    ["PackedFloat64Array", new Float64Array(1)],
    ["PackedVector4Array", new PackedVector4Array()],
    ["Callable", new Callable()],
    ["Signal", new EncodedSignal("x", 1n)],
  ] as const) {
    it(`refuses ${name}, which Godot 3 does not have`, () => {
      expect(encodeVariant(value, { format: 3 })[0]).toBe(ERR_INVALID_PARAMETER);
    });
  }

  it("refuses type ids past Godot 3's last type", () => {
    expect(decodeVariant(fromHex("1b000000 00000000"), { format: 3 })[0]).toBe(ERR_INVALID_DATA);
  });

  it("reads real-based math types as float32 even with the 64-bit bit set, as Godot 3 does", () => {
    expect(bytesToVar(fromHex("05000100 0000803f 00000040"), { format: 3 })).toStrictEqual(new Vector2(1, 2));
  });

  it("refuses a format other than 3 or 4", () => {
    expect(encodeVariant(1, { format: 5 as 4 })[0]).toBe(ERR_INVALID_PARAMETER);
    expect(decodeVariant(fromHex("00000000"), { format: 2 as 3 })[0]).toBe(ERR_INVALID_PARAMETER);
  });
});

describe("identity types", () => {
  it("an RID carries its 64-bit id in Godot 4", () => {
    expect(hexOf(new RID(5n))).toBe("170000000500000000000000");
    expect(bytesToVar(fromHex("170000000500000000000000"))).toStrictEqual(new RID(5n));
  });

  it("an EncodedObjectAsID is an object sent as its id, and id 0 is null", () => {
    expect(hexOf(new EncodedObjectAsID(1234n))).toBe("18000100d204000000000000");
    expect(bytesToVar(fromHex("18000100d204000000000000"))).toStrictEqual(new EncodedObjectAsID(1234n));
    expect(decodeVariant(fromHex("180001000000000000000000"))).toStrictEqual([OK, null, 12]);
  });

  it("a GodotObject needs fullObjects to be sent", () => {
    const object = new GodotObject("Resource", new Map([["name", "x"]]));
    expect(encodeVariant(object)[0]).toBe(ERR_INVALID_PARAMETER);
    const hex = hexOf(object, { fullObjects: true });
    expect(hex).toBe(
      "18000000 08000000 5265736f75726365 01000000 04000000 6e616d65 04000000 01000000 78000000".replace(
        / /g,
        "",
      ),
    );
  });

  it("a full object is refused without allowObjects and decoded with it", () => {
    const hex = fromHex("18000000 08000000 5265736f75726365 00000000");
    expect(decodeVariant(hex)).toStrictEqual([ERR_UNAUTHORIZED, null, 0]);
    expect(bytesToVar(hex, { allowObjects: true })).toStrictEqual(new GodotObject("Resource"));
  });

  it("a full object with an empty class name is null", () => {
    expect(decodeVariant(fromHex("18000000 00000000"), { allowObjects: true })).toStrictEqual([OK, null, 8]);
  });

  it("a Callable has no payload and a Signal carries its name and object id", () => {
    expect(hexOf(new Callable())).toBe("19000000");
    expect(hexOf(new EncodedSignal("hit", 7n))).toBe(
      "1a000000030000006869740007000000 00000000".replace(/ /g, ""),
    );
    expect(bytesToVar(fromHex("1a000000030000006869740007000000 00000000"))).toStrictEqual(
      new EncodedSignal("hit", 7n),
    );
  });

  it("a NodePath sends its name and subname counts, the absolute flag and the strings", () => {
    expect(hexOf(new NodePath("/a:b"))).toBe(
      "16000000 01000080 01000000 01000000 01000000 61000000 01000000 62000000".replace(/ /g, ""),
    );
  });

  it("a NodePath in the obsolete format (flag 2) has one more subname", () => {
    const hex = "16000000 01000080 00000000 02000000 01000000 61000000 01000000 62000000";
    expect(bytesToVar(fromHex(hex))).toStrictEqual(new NodePath(["a"], ["b"], false));
  });

  it("a NodePath in the pre-3.0 format (bit 31 clear) is refused, as in Godot", () => {
    expect(decodeVariant(fromHex("16000000 01000000 61000000"))[0]).toBe(ERR_INVALID_DATA);
  });
});

describe("double-precision builds", () => {
  it("doublePrecision writes real-based math types as float64 with the 64-bit flag", () => {
    expect(hexOf(new Vector2(1, 2), { doublePrecision: true })).toBe(
      `05000100${doubleHex(1)}${doubleHex(2)}`,
    );
  });

  it("colors stay float32 with doublePrecision", () => {
    expect(hexOf(new Color(1, 0, 0, 1), { doublePrecision: true })).toBe(hexOf(new Color(1, 0, 0, 1)));
  });

  it("float64 math types decode at full precision", () => {
    expect(bytesToVar(fromHex(`05000100${doubleHex(0.1)}${doubleHex(2)}`))).toStrictEqual(
      new Vector2(0.1, 2),
    );
  });

  it("a float64 PackedVector2Array keeps float64 storage and re-encodes to the same bytes", () => {
    const hex = `23000100 01000000 ${doubleHex(0.1)}${doubleHex(-3)}`.replace(/ /g, "");
    const value = bytesToVar(fromHex(hex));
    expect(value).toStrictEqual(new PackedVector2Array(new Float64Array([0.1, -3])));
    expect(hexOf(value, { doublePrecision: true })).toBe(hex);
  });
});

describe("typed containers (Godot 4.4+ header bits)", () => {
  const node = new ContainerType(VariantType.TYPE_OBJECT, "Node");

  it("an object-typed Array names its class with fullObjects and EncodedObjectAsID without", () => {
    const array = new TypedArray(node, []);
    expect(hexOf(array, { fullObjects: true })).toBe("1c000200 04000000 4e6f6465 00000000".replace(/ /g, ""));
    expect(hexOf(array)).toBe(
      "1c000200 11000000 456e636f6465644f626a65637441734944000000 00000000".replace(/ /g, ""),
    );
  });

  it("a class-name slot decodes as EncodedObjectAsID unless objects are allowed", () => {
    const bytes = fromHex("1c000200 04000000 4e6f6465 00000000");
    expect(bytesToVar(bytes)).toStrictEqual(
      new TypedArray(new ContainerType(VariantType.TYPE_OBJECT, "EncodedObjectAsID"), []),
    );
    expect(bytesToVar(bytes, { allowObjects: true })).toStrictEqual(new TypedArray(node, []));
  });

  it("a script slot keeps its res:// path when objects are allowed and refuses other paths", () => {
    const path = "1c000300 0a000000 7265733a2f2f612e6764 0000 00000000";
    expect(bytesToVar(fromHex(path), { allowObjects: true })).toStrictEqual(
      new TypedArray(new ContainerType(VariantType.TYPE_OBJECT, "", "res://a.gd"), []),
    );
    const notResource = "1c000300 04000000 612e6764 00000000";
    expect(decodeVariant(fromHex(notResource), { allowObjects: true })[0]).toBe(ERR_INVALID_DATA);
  });

  it("a Dictionary typed on its values only sets bits 18-19", () => {
    const dictionary = new TypedDictionary(VariantType.TYPE_NIL, VariantType.TYPE_STRING, [[1, "a"]]);
    const hex = "1b000400 04000000 01000000 02000000 01000000 04000000 01000000 61000000".replace(/ /g, "");
    expect(hexOf(dictionary)).toBe(hex);
    expect(bytesToVar(fromHex(hex))).toStrictEqual(dictionary);
  });

  it("a builtin slot type past TYPE_MAX is refused", () => {
    expect(decodeVariant(fromHex("1c000100 27000000 00000000"))[0]).toBe(ERR_INVALID_DATA);
  });
});

describe("strings", () => {
  it("stop at the first NUL, as Godot's parse_utf8 does", () => {
    expect(bytesToVar(fromHex("04000000 03000000 61006200"))).toBe("a");
    expect(bytesToVar(fromHex(`04000000 1d000000 e282ac${"61".repeat(25)}00 ffffff`))).toBe(
      `€${"a".repeat(25)}`,
    );
  });

  it("that are not valid UTF-8 are refused", () => {
    expect(decodeVariant(fromHex("04000000 02000000 c3280000"))[0]).toBe(ERR_INVALID_DATA);
  });

  it("of every length round-trip, ASCII or not", () => {
    for (let length = 0; length < 80; length++) {
      for (const unit of ["a", "é", "✓", "😀"]) {
        const text = unit.repeat(length);
        expect(bytesToVar(varToBytes(text))).toBe(text);
      }
    }
  });

  it("in an Array subclass are encoded as in an Array", () => {
    expect(hexOf(new (class extends Array<string> {})("a"))).toBe(
      "1c000000 01000000 04000000 01000000 61000000".replace(/ /g, ""),
    );
  });
});
