import { readFileSync } from "node:fs";
import { beforeAll, expect, it } from "vitest";
import { OK } from "../../src/ErrorCode.js";
import {
  decodeVariant,
  EncodedObjectAsID,
  EncodedSignal,
  GodotObject,
  NodePath,
  varToBytes,
} from "../../src/variant/index.js";
import type { Godot4Exit } from "../support/godot4/engine.js";
import { describeWithGodot4 } from "../support/godot4/suite.js";
import { fromHex, toHex } from "../variant/hex.js";
import { VARIANT_CASES } from "./variant-cases.js";

const script = (name: string) => readFileSync(new URL(`./scripts/${name}`, import.meta.url), "utf8");

/** The object gdnet sends Godot as an id, and the full object it sends with `fullObjects`. */
const SENT_OBJECT_ID = 1234n;
const SENT_RESOURCE = new GodotObject("Resource", new Map([["resource_name", "gdnet"]]));

/**
 * Bytes that are not all well formed, and whether Godot's bytes_to_var refuses them
 * (it returns null and logs an error) or reads a value, as gdnet must.
 */
const MALFORMED: [name: string, hex: string, refused: boolean][] = [
  ["unknown_type", "ff000000", true],
  ["truncated_int", "02000000 0100", true],
  ["truncated_string", "04000000 05000000 6162", true],
  ["invalid_utf8", "04000000 02000000 c3280000", true],
  ["node_path_pre_3_0", "16000000 01000000 61000000", true],
  ["array_count_beyond_input", "1c000000 ffffff7f", true],
  ["dictionary_truncated", "1b000000 01000000 02000000", true],
  ["typed_array_type_past_max", "1c000100 27000000 00000000", true],
  ["full_object_not_allowed", "18000000 08000000 5265736f75726365 00000000", true],
  ["packed_byte_without_padding", "1d000000 03000000 010203", false],
  ["packed_string_negative_count", "22000000 ffffffff", false],
  ["trailing_bytes", "02000000 07000000 ffff", false],
];

/**
 * Godot leaves the padding after a NodePath's strings uninitialised (docs/values.md);
 * gdnet writes zeros. Zeroes it in a top-level NodePath so the bytes can be compared.
 */
function zeroNodePathPadding(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  const names = view.getUint32(4, true) & 0x7fffffff;
  const subnames = view.getUint32(8, true);
  let at = 16;
  for (let i = 0; i < names + subnames; i++) {
    const length = view.getUint32(at, true);
    const padded = Math.ceil(length / 4) * 4;
    out.fill(0, at + 4 + length, at + 4 + padded);
    at += 4 + padded;
  }
  return out;
}

/**
 * The engine's error lines, without the ones the malformed inputs cause (an error from
 * core/io/marshalls.cpp, with its "at:" line, and the UTF-8 parser's complaint) and the
 * harmless startup "slot >= slot_max" of this build.
 */
function unexpectedErrors(errors: readonly string[]): string[] {
  const left: string[] = [];
  for (let i = 0; i < errors.length; i++) {
    const line = errors[i]!;
    const at = errors[i + 1]?.trimStart().startsWith("at: ") ? errors[i + 1]! : "";
    const expected =
      at.includes("(core/io/marshalls.cpp:") ||
      line.includes("slot >= slot_max") ||
      line.startsWith("Unicode parsing error");
    if (!expected) left.push(line);
    if (at) {
      if (!expected) left.push(at);
      i++;
    }
  }
  return left;
}

/** What the engine printed: "bytes <name> <hex> [instance id]" and "decoded <name> <rest>". */
function printed(exit: Godot4Exit, kind: "bytes" | "decoded" | "malformed"): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const line of exit.lines) {
    const [head, name, ...rest] = line.split(" ");
    if (head === kind && name) found.set(name, rest);
  }
  return found;
}

describeWithGodot4("Variant encoding against Godot 4.6 (var_to_bytes and bytes_to_var)", (godot) => {
  let fromGodot: Map<string, string[]>;
  let decodedByGodot: Map<string, string[]>;
  let malformedInGodot: Map<string, string[]>;

  beforeAll(async () => {
    const lines = [...VARIANT_CASES].map(([name, value]) => `${name} ${toHex(varToBytes(value))}`);
    lines.push(`object_id ${toHex(varToBytes(new EncodedObjectAsID(SENT_OBJECT_ID)))}`);
    lines.push(`object_full ${toHex(varToBytes(SENT_RESOURCE, { fullObjects: true }))}`);
    const run = godot().run(script("variant_main.gd"), {
      files: {
        "variant_cases.gd": script("variant_cases.gd"),
        "gdnet_bytes.txt": `${lines.join("\n")}\n`,
        "gdnet_malformed.txt": MALFORMED.map(([name, hex]) => `${name} ${hex.replace(/ /g, "")}\n`).join(""),
      },
    });
    const exit = await run.exited;
    expect(unexpectedErrors(exit.errors)).toEqual([]);
    expect(exit.lines).toContain("done");
    fromGodot = printed(exit, "bytes");
    decodedByGodot = printed(exit, "decoded");
    malformedInGodot = printed(exit, "malformed");
  }, 30_000);

  it("Godot's list of values and gdnet's have the same names", () => {
    const objects = ["object_id", "object_full", "signal_object"];
    expect([...fromGodot.keys()]).toEqual([...VARIANT_CASES.keys(), ...objects]);
  });

  for (const [name, value] of VARIANT_CASES) {
    it(`${name}: Godot's bytes decode exactly in gdnet and re-encode to the same bytes, which gdnet also writes for the value`, () => {
      const bytes = fromHex(fromGodot.get(name)![0]!);
      const [error, decoded, used] = decodeVariant(bytes, { exact: true });
      expect(error).toBe(OK);
      expect(used).toBe(bytes.length);
      const comparable = value instanceof NodePath ? zeroNodePathPadding(bytes) : bytes;
      expect(toHex(varToBytes(decoded))).toBe(toHex(comparable));
      expect(toHex(varToBytes(value))).toBe(toHex(comparable));
    });

    it(`${name}: gdnet's bytes decode in Godot to the value GDScript built`, () => {
      expect(decodedByGodot.get(name)?.[0]).toBe("same");
    });
  }

  it("an object sent by id decodes as its instance id and re-encodes to the same bytes", () => {
    const [hex, instanceId] = fromGodot.get("object_id")!;
    const [error, decoded] = decodeVariant(fromHex(hex!));
    expect(error).toBe(OK);
    expect(decoded).toStrictEqual(new EncodedObjectAsID(BigInt(instanceId!)));
    expect(toHex(varToBytes(decoded))).toBe(hex);
  });

  it("a full object (var_to_bytes_with_objects) decodes with allowObjects and re-encodes with fullObjects", () => {
    const [hex] = fromGodot.get("object_full")!;
    const [error, decoded] = decodeVariant(fromHex(hex!), { allowObjects: true, exact: true });
    expect(error).toBe(OK);
    expect(decoded).toBeInstanceOf(GodotObject);
    const object = decoded as GodotObject;
    expect(object.className).toBe("Resource");
    expect(object.properties.get("resource_name")).toBe("gdnet");
    expect(toHex(varToBytes(object, { fullObjects: true }))).toBe(hex);
  });

  it("a Signal carries its name and its object's instance id", () => {
    const [hex, instanceId] = fromGodot.get("signal_object")!;
    const [error, decoded] = decodeVariant(fromHex(hex!));
    expect(error).toBe(OK);
    expect(decoded).toStrictEqual(new EncodedSignal("ready", BigInt(instanceId!)));
    expect(toHex(varToBytes(decoded))).toBe(hex);
  });

  it("an object id from gdnet decodes in Godot as an EncodedObjectAsID holding that id", () => {
    expect(decodedByGodot.get("object_id")).toEqual(["EncodedObjectAsID", String(SENT_OBJECT_ID)]);
  });

  it("a full object from gdnet decodes in Godot (bytes_to_var_with_objects) as that class with its properties", () => {
    expect(decodedByGodot.get("object_full")).toEqual(["Resource", "gdnet"]);
  });

  for (const [name, hex, refused] of MALFORMED) {
    it(`${name}: ${refused ? "refused by Godot's bytes_to_var and by gdnet" : "read by Godot's bytes_to_var as gdnet reads it"}`, () => {
      const [godotHex, ...godotText] = malformedInGodot.get(name)!;
      const [error, value] = decodeVariant(fromHex(hex), { exact: true });
      if (refused) {
        expect(godotText.join(" ")).toBe("null");
        expect(error).not.toBe(OK);
      } else {
        expect(godotText.join(" ")).not.toBe("null");
        expect(error).toBe(OK);
        expect(toHex(varToBytes(value))).toBe(godotHex);
      }
    });
  }
});
