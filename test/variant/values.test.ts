import { describe, expect, it } from "vitest";
import {
  AABB,
  Basis,
  Color,
  ContainerType,
  EncodedObjectAsID,
  Float,
  fromGodot3TypeId,
  GodotObject,
  godot3TypeId,
  NodePath,
  PackedColorArray,
  PackedStringArray,
  PackedVector2Array,
  PackedVector3Array,
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
  VariantType,
  Vector2,
  Vector2i,
  Vector3,
  Vector3i,
  Vector4,
  Vector4i,
} from "../../src/variant/index.js";
import { floatToHalf, halfToFloat } from "../../src/variant/marshalls.js";

describe("toString() prints as Godot 4.4+ does", () => {
  const cases: [unknown, string][] = [
    [new Vector2(1, 2), "(1.0, 2.0)"],
    [new Vector2(Math.fround(0.1), -3.5), "(0.1, -3.5)"],
    [new Vector2i(1, -2), "(1, -2)"],
    [new Vector3(0, -0, 0.25), "(0.0, -0.0, 0.25)"],
    [new Vector3i(1, 2, 3), "(1, 2, 3)"],
    [new Vector4(1, 2, 3, 4), "(1.0, 2.0, 3.0, 4.0)"],
    [new Vector4i(1, 2, 3, 4), "(1, 2, 3, 4)"],
    [new Rect2(1, 2, 3, 4), "[P: (1.0, 2.0), S: (3.0, 4.0)]"],
    [new Rect2i(1, 2, 3, 4), "[P: (1, 2), S: (3, 4)]"],
    [new Plane(0, 1, 0, 5), "[N: (0.0, 1.0, 0.0), D: 5.0]"],
    [new Quaternion(), "(0.0, 0.0, 0.0, 1.0)"],
    [new AABB(new Vector3(), new Vector3(1, 1, 1)), "[P: (0.0, 0.0, 0.0), S: (1.0, 1.0, 1.0)]"],
    [new Basis(), "[X: (1.0, 0.0, 0.0), Y: (0.0, 1.0, 0.0), Z: (0.0, 0.0, 1.0)]"],
    [new Transform2D(), "[X: (1.0, 0.0), Y: (0.0, 1.0), O: (0.0, 0.0)]"],
    [new Transform3D(), "[X: (1.0, 0.0, 0.0), Y: (0.0, 1.0, 0.0), Z: (0.0, 0.0, 1.0), O: (0.0, 0.0, 0.0)]"],
    [
      new Projection(),
      "[X: (1.0, 0.0, 0.0, 0.0), Y: (0.0, 1.0, 0.0, 0.0), Z: (0.0, 0.0, 1.0, 0.0), W: (0.0, 0.0, 0.0, 1.0)]",
    ],
    [new Color(1, 0, 0), "(1.0, 0.0, 0.0, 1.0)"],
    [new Float(0.1), "0.1"],
    [new Float(3), "3.0"],
    [new Float(Number.POSITIVE_INFINITY), "inf"],
    [new Float(Number.NaN), "nan"],
    [new StringName("hp"), "hp"],
    [new NodePath("/root/Player:position:x"), "/root/Player:position:x"],
    [new RID(5n), "RID(5)"],
    [new EncodedObjectAsID(7n), "EncodedObjectAsID(7)"],
    [PackedVector2Array.from([new Vector2(1, 2)]), "[(1.0, 2.0)]"],
    [new ContainerType(VariantType.TYPE_INT), "int"],
    [new ContainerType(VariantType.TYPE_OBJECT, "Node"), "Node"],
  ];
  for (const [value, text] of cases) {
    it(`${(value as object).constructor.name} prints ${text}`, () => {
      expect(String(value)).toBe(text);
    });
  }
});

describe("equals() compares values as Godot's ==", () => {
  it("is true for equal components and false for a different one or another class", () => {
    expect(new Vector2(1, 2).equals(new Vector2(1, 2))).toBe(true);
    expect(new Vector2(1, 2).equals(new Vector2(1, 3))).toBe(false);
    expect(new Vector2(1, 2).equals(new Vector2i(1, 2))).toBe(false);
    expect(new Transform3D().equals(new Transform3D())).toBe(true);
    expect(new Transform3D().equals(new Transform3D(new Basis(), new Vector3(0, 0, 1)))).toBe(false);
    expect(new Color(1, 0, 0).equals(new Color(1, 0, 0, 0.5))).toBe(false);
  });

  it("treats NaN as unequal and -0 as equal to 0, as floats do", () => {
    expect(new Vector2(Number.NaN, 0).equals(new Vector2(Number.NaN, 0))).toBe(false);
    expect(new Float(-0).equals(new Float(0))).toBe(true);
  });

  it("compares NodePaths by names, subnames and absoluteness", () => {
    expect(new NodePath("/a/b:c").equals(new NodePath(["a", "b"], ["c"], true))).toBe(true);
    expect(new NodePath("a/b:c").equals(new NodePath("/a/b:c"))).toBe(false);
  });

  it("compares GodotObjects by class and property values", () => {
    const a = new GodotObject("Resource", new Map<string, unknown>([["size", new Vector2(1, 2)]]));
    expect(a.equals(new GodotObject("Resource", new Map([["size", new Vector2(1, 2)]])))).toBe(true);
    expect(a.equals(new GodotObject("Resource", new Map([["size", new Vector2(1, 3)]])))).toBe(false);
    expect(a.equals(new GodotObject("Node", new Map([["size", new Vector2(1, 2)]])))).toBe(false);
  });

  it("compares packed vector arrays element by element", () => {
    const a = PackedVector3Array.from([new Vector3(1, 2, 3)]);
    expect(a.equals(PackedVector3Array.from([new Vector3(1, 2, 3)]))).toBe(true);
    expect(a.equals(PackedVector3Array.from([new Vector3(1, 2, 4)]))).toBe(false);
    expect(a.equals(PackedColorArray.from([new Color(1, 2, 3)]))).toBe(false);
  });
});

describe("constructors", () => {
  it("default to Godot's defaults (identity transforms, opaque black, identity quaternion)", () => {
    expect(new Basis().x).toStrictEqual(new Vector3(1, 0, 0));
    expect(new Transform2D().y).toStrictEqual(new Vector2(0, 1));
    expect(new Quaternion().w).toBe(1);
    expect(new Color().a).toBe(1);
    expect(new Projection().w).toStrictEqual(new Vector4(0, 0, 0, 1));
  });

  it("accept Rect2 and Plane in both of Godot's forms", () => {
    expect(new Rect2(1, 2, 3, 4)).toStrictEqual(new Rect2(new Vector2(1, 2), new Vector2(3, 4)));
    expect(new Plane(1, 2, 3, 4)).toStrictEqual(new Plane(new Vector3(1, 2, 3), 4));
  });

  it("parse NodePath strings as Godot does", () => {
    expect(new NodePath("/root/Player:position:x")).toStrictEqual(
      new NodePath(["root", "Player"], ["position", "x"], true),
    );
    expect(new NodePath("../a//b")).toStrictEqual(new NodePath(["..", "a", "b"], [], false));
    expect(new NodePath(":x").names).toStrictEqual([]);
    expect(new NodePath("").isEmpty()).toBe(true);
  });

  it("store RID and object ids as unsigned 64-bit bigints", () => {
    expect(new RID(5).id).toBe(5n);
    expect(new RID(-1n).id).toBe(0xffffffffffffffffn);
    expect(new RID().isValid()).toBe(false);
    expect(new EncodedObjectAsID(12).objectId).toBe(12n);
  });

  it("Float behaves as its number in arithmetic", () => {
    expect(+new Float(2.5) * 2).toBe(5);
  });
});

describe("packed vector arrays", () => {
  it("store components interleaved and hand out value objects", () => {
    const array = PackedVector2Array.from([new Vector2(1, 2), new Vector2(3, 4)]);
    expect(array.data).toStrictEqual(new Float32Array([1, 2, 3, 4]));
    expect(array.length).toBe(2);
    expect(array.get(1)).toStrictEqual(new Vector2(3, 4));
    expect(array.get(2)).toBeUndefined();
    expect([...array]).toStrictEqual([new Vector2(1, 2), new Vector2(3, 4)]);
  });

  it("write an element in place with set()", () => {
    const array = PackedVector2Array.from([new Vector2(1, 2)]);
    array.set(0, new Vector2(5, 6));
    array.set(3, new Vector2(7, 8));
    expect(array.toArray()).toStrictEqual([new Vector2(5, 6)]);
  });

  it("refuse storage whose length is not a multiple of the stride", () => {
    expect(() => new PackedVector3Array(new Float32Array(4))).toThrow(RangeError);
  });
});

describe("array-like containers", () => {
  it("TypedArray and PackedStringArray are arrays whose map() gives a plain array", () => {
    const typed = new TypedArray(VariantType.TYPE_INT, [1, 2]);
    expect(Array.isArray(typed)).toBe(true);
    expect(typed.map((x) => x * 2)).toStrictEqual([2, 4]);
    const strings = new PackedStringArray(["a"]);
    expect(strings.map((s) => s.toUpperCase())).toStrictEqual(["A"]);
  });
});

describe("type ids", () => {
  it("map between Godot 4 and Godot 3 numbering (godot4-semantics §1.2)", () => {
    expect(godot3TypeId(VariantType.TYPE_DICTIONARY)).toBe(18);
    expect(godot3TypeId(VariantType.TYPE_TRANSFORM3D)).toBe(13);
    expect(godot3TypeId(VariantType.TYPE_PACKED_COLOR_ARRAY)).toBe(26);
    expect(godot3TypeId(VariantType.TYPE_VECTOR2I)).toBe(-1);
    expect(fromGodot3TypeId(16)).toBe(VariantType.TYPE_RID);
    expect(fromGodot3TypeId(27)).toBe(-1);
  });
});

describe("marshalls.h helpers", () => {
  it("floatToHalf truncates the mantissa as Godot's make_half_float (no rounding)", () => {
    expect(floatToHalf(1.000732421875)).toBe(0x3c00);
  });

  it("floatToHalf flushes half subnormals to +0 and keeps infinities' signs", () => {
    expect(floatToHalf(5e-5)).toBe(0);
    expect(floatToHalf(-5e-5)).toBe(0);
    expect(floatToHalf(-1e6)).toBe(0xfc00);
    expect(floatToHalf(Number.NaN)).toBe(0x7fff);
  });

  it("halfToFloat reads normals, subnormals and infinities", () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0xfc00)).toBe(Number.NEGATIVE_INFINITY);
  });
});
