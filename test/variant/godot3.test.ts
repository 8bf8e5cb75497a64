import { beforeAll, expect, it } from "vitest";
import { ERR_UNAUTHORIZED, OK } from "../../src/ErrorCode.js";
import {
  AABB,
  Basis,
  bytesToVar,
  Color,
  decodeVariant,
  EncodedObjectAsID,
  Float,
  GodotObject,
  NodePath,
  PackedColorArray,
  PackedStringArray,
  PackedVector2Array,
  PackedVector3Array,
  Plane,
  Quaternion,
  Rect2,
  RID,
  Transform2D,
  Transform3D,
  Vector2,
  Vector3,
  varToBytes,
} from "../../src/variant/index.js";
import { runGodot } from "../support/godot.js";
import { describeWithTool } from "../support/tools.js";
import { fromHex, toHex } from "./hex.js";

const f = Math.fround;

interface Case {
  name: string;
  /** The same value as a GDScript 3 expression. */
  gd: string;
  /** The value in gdnet's representation. */
  ts: unknown;
  /** What decoding Godot's bytes gives, when it is not `ts` (float32 rounding, FLOAT as number). */
  decoded?: unknown;
}

// Every Godot 3 type, with the edges of each encoding rule.
const cases: Case[] = [
  { name: "null", gd: "null", ts: null },
  { name: "true", gd: "true", ts: true },
  { name: "false", gd: "false", ts: false },
  { name: "int 0", gd: "0", ts: 0 },
  { name: "int 1", gd: "1", ts: 1 },
  { name: "int -1", gd: "-1", ts: -1 },
  { name: "int32 max", gd: "2147483647", ts: 2147483647 },
  { name: "int32 min", gd: "-2147483648", ts: -2147483648 },
  { name: "int32 max + 1", gd: "2147483648", ts: 2147483648 },
  { name: "int32 min - 1", gd: "-2147483649", ts: -2147483649 },
  { name: "int 2^32", gd: "4294967296", ts: 4294967296 },
  { name: "int 2^53 + 1", gd: "9007199254740993", ts: 9007199254740993n },
  { name: "int64 max", gd: "9223372036854775807", ts: 9223372036854775807n },
  { name: "int64 min", gd: "-9223372036854775807 - 1", ts: -9223372036854775808n },
  { name: "float 1.5", gd: "1.5", ts: 1.5 },
  { name: "float -2.75", gd: "-2.75", ts: -2.75 },
  { name: "float 0.1 (inexact in float32)", gd: "0.1", ts: 0.1 },
  { name: "float 1.0", gd: "1.0", ts: new Float(1), decoded: 1 },
  { name: "float 0.0", gd: "0.0", ts: new Float(0), decoded: 0 },
  { name: "float -0.0", gd: "neg_zero()", ts: -0 },
  {
    name: "float 16777217.0 (inexact in float32)",
    gd: "16777217.0",
    ts: new Float(16777217),
    decoded: 16777217,
  },
  { name: "float 1e300", gd: "1e300", ts: 1e300 },
  // GDScript's literal parser is not correctly rounded, so the float32 maximum is computed.
  { name: "float32 max", gd: "pow(2.0, 127) * (2.0 - pow(2.0, -23))", ts: 3.4028234663852886e38 },
  { name: "float32 smallest subnormal", gd: "1.401298464324817e-45", ts: 1.401298464324817e-45 },
  { name: "float INF", gd: "INF", ts: Number.POSITIVE_INFINITY },
  { name: "float -INF", gd: "-INF", ts: Number.NEGATIVE_INFINITY },
  { name: "float NAN", gd: "NAN", ts: Number.NaN },
  { name: 'String ""', gd: '""', ts: "" },
  { name: 'String "a"', gd: '"a"', ts: "a" },
  { name: 'String "ab"', gd: '"ab"', ts: "ab" },
  { name: 'String "abc"', gd: '"abc"', ts: "abc" },
  { name: 'String "abcd"', gd: '"abcd"', ts: "abcd" },
  { name: 'String "abcde"', gd: '"abcde"', ts: "abcde" },
  { name: 'String "é"', gd: '"é"', ts: "é" },
  { name: 'String "héllo ✓"', gd: '"héllo ✓"', ts: "héllo ✓" },
  { name: 'String "日本語"', gd: '"日本語"', ts: "日本語" },
  { name: "String with an emoji", gd: '"a😀"', ts: "a😀" },
  { name: "Vector2", gd: "Vector2(1, 2)", ts: new Vector2(1, 2) },
  {
    name: "Vector2 rounded to float32",
    gd: "Vector2(0.1, -3.5)",
    ts: new Vector2(0.1, -3.5),
    decoded: new Vector2(f(0.1), -3.5),
  },
  { name: "Rect2", gd: "Rect2(1, 2, 3, 4)", ts: new Rect2(1, 2, 3, 4) },
  { name: "Vector3", gd: "Vector3(1, -2, 0.5)", ts: new Vector3(1, -2, 0.5) },
  {
    name: "Transform2D",
    gd: "Transform2D(Vector2(1, 2), Vector2(3, 4), Vector2(5, 6))",
    ts: new Transform2D(new Vector2(1, 2), new Vector2(3, 4), new Vector2(5, 6)),
  },
  { name: "Plane", gd: "Plane(1, 2, 3, 4)", ts: new Plane(1, 2, 3, 4) },
  {
    name: "Quat",
    gd: "Quat(0.1, 0.2, 0.3, 0.4)",
    ts: new Quaternion(0.1, 0.2, 0.3, 0.4),
    decoded: new Quaternion(f(0.1), f(0.2), f(0.3), f(0.4)),
  },
  {
    name: "AABB",
    gd: "AABB(Vector3(1, 2, 3), Vector3(4, 5, 6))",
    ts: new AABB(new Vector3(1, 2, 3), new Vector3(4, 5, 6)),
  },
  {
    name: "Basis",
    gd: "Basis(Vector3(1, 2, 3), Vector3(4, 5, 6), Vector3(7, 8, 9))",
    ts: new Basis(new Vector3(1, 2, 3), new Vector3(4, 5, 6), new Vector3(7, 8, 9)),
  },
  {
    name: "Transform",
    gd: "Transform(Basis(Vector3(1, 2, 3), Vector3(4, 5, 6), Vector3(7, 8, 9)), Vector3(10, 11, 12))",
    ts: new Transform3D(
      new Basis(new Vector3(1, 2, 3), new Vector3(4, 5, 6), new Vector3(7, 8, 9)),
      new Vector3(10, 11, 12),
    ),
  },
  { name: "Color", gd: "Color(1, 0.5, 0.25, 0.125)", ts: new Color(1, 0.5, 0.25, 0.125) },
  { name: "NodePath relative", gd: 'NodePath("a/b:c")', ts: new NodePath("a/b:c") },
  { name: "NodePath absolute", gd: 'NodePath("/root/Player")', ts: new NodePath("/root/Player") },
  { name: "NodePath of subnames only", gd: 'NodePath(":position:x")', ts: new NodePath(":position:x") },
  { name: "NodePath parent", gd: 'NodePath("../x")', ts: new NodePath("../x") },
  { name: "NodePath empty", gd: 'NodePath("")', ts: new NodePath("") },
  { name: "RID", gd: "RID()", ts: new RID() },
  { name: "empty Dictionary", gd: "{}", ts: new Map() },
  { name: "empty Array", gd: "[]", ts: [] },
  {
    name: "nested Dictionary",
    gd: '{"a": 1, 2: [1.5, "x", Vector2(1, 2)], "n": {"deep": null}, Vector2(3, 4): true}',
    ts: new Map<unknown, unknown>([
      ["a", 1],
      [2, [1.5, "x", new Vector2(1, 2)]],
      ["n", new Map([["deep", null]])],
      [new Vector2(3, 4), true],
    ]),
  },
  {
    name: "nested Array",
    gd: '[1, [2, [3, []]], {"k": "v"}, null, PoolByteArray([7])]',
    ts: [1, [2, [3, []]], new Map([["k", "v"]]), null, new Uint8Array([7])],
  },
  { name: "PoolByteArray empty", gd: "PoolByteArray([])", ts: new Uint8Array([]) },
  { name: "PoolByteArray of 3", gd: "PoolByteArray([1, 2, 3])", ts: new Uint8Array([1, 2, 3]) },
  { name: "PoolByteArray of 4", gd: "PoolByteArray([1, 2, 3, 4])", ts: new Uint8Array([1, 2, 3, 4]) },
  {
    name: "PoolByteArray of 5",
    gd: "PoolByteArray([255, 0, 128, 7, 9])",
    ts: new Uint8Array([255, 0, 128, 7, 9]),
  },
  {
    name: "PoolIntArray",
    gd: "PoolIntArray([1, -2, 2147483647, -2147483648])",
    ts: new Int32Array([1, -2, 2147483647, -2147483648]),
  },
  { name: "PoolIntArray empty", gd: "PoolIntArray([])", ts: new Int32Array([]) },
  { name: "PoolRealArray", gd: "PoolRealArray([1.5, 0.1, -2])", ts: new Float32Array([1.5, 0.1, -2]) },
  {
    name: "PoolStringArray",
    gd: 'PoolStringArray(["a", "bcd", "", "héllo"])',
    ts: new PackedStringArray(["a", "bcd", "", "héllo"]),
  },
  {
    name: "PoolVector2Array",
    gd: "PoolVector2Array([Vector2(1, 2), Vector2(3.5, -4)])",
    ts: PackedVector2Array.from([new Vector2(1, 2), new Vector2(3.5, -4)]),
  },
  {
    name: "PoolVector3Array",
    gd: "PoolVector3Array([Vector3(1, 2, 3), Vector3(-1, 0.25, 9)])",
    ts: PackedVector3Array.from([new Vector3(1, 2, 3), new Vector3(-1, 0.25, 9)]),
  },
  {
    name: "PoolColorArray",
    gd: "PoolColorArray([Color(1, 0, 0, 1), Color(0, 0.5, 1, 0.25)])",
    ts: PackedColorArray.from([new Color(1, 0, 0, 1), new Color(0, 0.5, 1, 0.25)]),
  },
];

const fullReference = new GodotObject("Reference", new Map([["script", null]]));

function script(): string {
  const emits = cases
    .map(
      (c) => `\temit("${c.name.replace(/"/g, '\\"')}", ${c.gd}, "${toHex(varToBytes(c.ts, { format: 3 }))}")`,
    )
    .join("\n");
  const ours = toHex(varToBytes(fullReference, { format: 3, fullObjects: true }));
  const asId = toHex(varToBytes(new EncodedObjectAsID(1234n), { format: 3 }));
  return `extends SceneTree

func neg_zero():
\tvar z = 0.0
\treturn -z

func hex_to_bytes(h):
\tvar out = PoolByteArray()
\tfor i in range(0, h.length(), 2):
\t\tout.append(("0x" + h.substr(i, 2)).hex_to_int())
\treturn out

func emit(name, v, ours):
\tprint("E|", name, "|", var2bytes(v).hex_encode(), "|", typeof(v), "|", str(v))
\tvar d = bytes2var(hex_to_bytes(ours))
\tprint("D|", name, "|", var2bytes(d).hex_encode(), "|", typeof(d), "|", str(d))

func _init():
${emits}
\tprint("O|as-id|", var2bytes(Reference.new()).hex_encode())
\tprint("O|full|", var2bytes(Reference.new(), true).hex_encode())
\tvar full = bytes2var(hex_to_bytes("${ours}"), true)
\tprint("O|decoded-full|", full.get_class(), "|", full.get_script())
\tvar id = bytes2var(hex_to_bytes("${asId}"))
\tprint("O|decoded-as-id|", id.get_class(), "|", id.get_object_id())
\tprint("DONE")
\tquit()
`;
}

/** Zeroes the padding after each string of a top-level NodePath (Godot 3.2.3 leaves it uninitialised). */
function zeroNodePathPadding(hex: string): string {
  const bytes = fromHex(hex);
  const view = new DataView(bytes.buffer);
  const total = (view.getUint32(4, true) & 0x7fffffff) + view.getUint32(8, true);
  let at = 16;
  for (let i = 0; i < total; i++) {
    const length = view.getUint32(at, true);
    at += 4 + length;
    while (at % 4) bytes[at++] = 0;
  }
  return toHex(bytes);
}

describeWithTool("godot3-server", "Godot 3 conformance against the real engine (var2bytes/bytes2var)", () => {
  const godot = new Map<string, string[]>();
  let printed = "";

  beforeAll(async () => {
    const result = await runGodot(script(), [], 20000);
    printed = result.stdout;
    for (const line of result.lines) {
      const fields = line.split("|");
      if (fields.length > 1) godot.set(`${fields[0]}|${fields[1]}`, fields.slice(2));
    }
  }, 30000);

  it("Godot ran the whole script", () => {
    expect(printed).toContain("DONE");
  });

  for (const c of cases) {
    const isNodePath = c.ts instanceof NodePath;
    const godotHex = () => {
      const hex = godot.get(`E|${c.name}`)?.[0] ?? "(missing)";
      return isNodePath ? zeroNodePathPadding(hex) : hex;
    };

    it(`${c.name}: gdnet's format 3 bytes equal Godot's var2bytes`, () => {
      expect(toHex(varToBytes(c.ts, { format: 3 }))).toBe(godotHex());
    });

    it(`${c.name}: decoding Godot's bytes gives the value`, () => {
      const [error, value] = decodeVariant(fromHex(godotHex()), { format: 3 });
      expect(error).toBe(OK);
      expect(value).toStrictEqual("decoded" in c ? c.decoded : c.ts);
    });

    it(`${c.name}: exact decoding and re-encoding reproduces Godot's bytes`, () => {
      const value = bytesToVar(fromHex(godotHex()), { format: 3, exact: true });
      expect(toHex(varToBytes(value, { format: 3 }))).toBe(godotHex());
    });

    it(`${c.name}: Godot decodes gdnet's bytes to the same type, text and bytes`, () => {
      const expected = godot.get(`E|${c.name}`);
      const decoded = godot.get(`D|${c.name}`);
      expect(decoded).toBeDefined();
      const [hex, type, text] = decoded!;
      expect(type).toBe(expected![1]);
      expect(text).toBe(expected![2]);
      expect(isNodePath ? zeroNodePathPadding(hex!) : hex).toBe(godotHex());
    });
  }

  it("an object sent as an id decodes as EncodedObjectAsID with a non-zero id", () => {
    const hex = godot.get("O|as-id")![0]!;
    expect(hex.slice(0, 8)).toBe("11000100");
    const value = bytesToVar(fromHex(hex), { format: 3 });
    expect(value).toBeInstanceOf(EncodedObjectAsID);
    expect((value as EncodedObjectAsID).objectId).toBeGreaterThan(0n);
  });

  it("a full object is refused without allowObjects, as Godot refuses it", () => {
    const hex = godot.get("O|full")![0]!;
    expect(decodeVariant(fromHex(hex), { format: 3 })[0]).toBe(ERR_UNAUTHORIZED);
  });

  it("a full object decodes with allowObjects as its class and stored properties", () => {
    const hex = godot.get("O|full")![0]!;
    expect(bytesToVar(fromHex(hex), { format: 3, allowObjects: true })).toStrictEqual(fullReference);
  });

  it("gdnet's full object equals Godot's bytes and Godot instantiates it", () => {
    expect(toHex(varToBytes(fullReference, { format: 3, fullObjects: true }))).toBe(godot.get("O|full")![0]);
    expect(godot.get("O|decoded-full")).toStrictEqual(["Reference", "[Object:null]"]);
  });

  it("Godot decodes gdnet's EncodedObjectAsID with its id", () => {
    expect(godot.get("O|decoded-as-id")).toStrictEqual(["EncodedObjectAsID", "1234"]);
  });
});
