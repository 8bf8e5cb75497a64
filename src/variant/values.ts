import { formatFloat } from "./format.js";

/**
 * A number that encodes as Godot's FLOAT even when it is integral. Ports the distinction
 * between GDScript's `float` and `int`, which a JS `number` cannot carry.
 *
 * By default a decoded FLOAT is a plain `number`, and `varToBytes` writes a `number` as
 * INT when it is an integer, so `1.0` comes back as INT `1`. Wrap it (`new Float(1)`) to
 * send a FLOAT, or decode with `{ exact: true }` to get every FLOAT as a `Float`.
 * Encoding picks float32 when the value is exact in float32 and float64 otherwise, as
 * Godot does.
 */
export class Float {
  /** @param value the float's value. */
  constructor(public value: number) {}

  /** The wrapped number, so `+f` and `f * 2` work. */
  valueOf(): number {
    return this.value;
  }

  /** Godot's `==` on floats (`NaN` is never equal, `-0.0 == 0.0`). */
  equals(other: unknown): boolean {
    return other instanceof Float && other.value === this.value;
  }

  /** Godot 4.4+'s format: `1.0`, `0.1`, `inf`, `nan`. */
  toString(): string {
    return formatFloat(this.value);
  }
}

/**
 * An interned name. Ports Godot 4's `StringName`. Godot 3 has no StringName Variant:
 * with `format: 3` it encodes as a String.
 */
export class StringName {
  /** @param value the name. */
  constructor(public value = "") {}

  /** Same name. */
  equals(other: unknown): boolean {
    return other instanceof StringName && other.value === this.value;
  }

  /** The name itself, as Godot prints it. */
  toString(): string {
    return this.value;
  }
}

/**
 * A path to a node, optionally followed by property subnames. Ports Godot's `NodePath`:
 * `new NodePath("/root/Player:position:x")` or `new NodePath(names, subnames, absolute)`.
 *
 * The string form is parsed as Godot does in the common cases: a leading `/` makes it
 * absolute, the part before the first `:` is split on `/` into names (empty names are
 * skipped), and the rest is split on `:` into subnames.
 */
export class NodePath {
  /** The node names (Godot `get_name(i)`). */
  names: string[];
  /** The property subnames (Godot `get_subname(i)`). */
  subnames: string[];
  /** Godot `is_absolute()`. */
  absolute: boolean;

  constructor(path?: string);
  constructor(names: string[], subnames?: string[], absolute?: boolean);
  constructor(path: string | string[] = "", subnames: string[] = [], absolute = false) {
    if (typeof path !== "string") {
      this.names = path;
      this.subnames = subnames;
      this.absolute = absolute;
      return;
    }
    this.absolute = path.startsWith("/");
    const colon = path.indexOf(":");
    const namePart = colon < 0 ? path : path.slice(0, colon);
    this.names = namePart.split("/").filter((name) => name !== "");
    this.subnames =
      colon < 0
        ? []
        : path
            .slice(colon + 1)
            .split(":")
            .filter((name) => name !== "");
  }

  /** Godot `is_empty()`: no names and no subnames. */
  isEmpty(): boolean {
    return this.names.length === 0 && this.subnames.length === 0;
  }

  /** Same names, subnames and absoluteness (Godot's `==`). */
  equals(other: unknown): boolean {
    return (
      other instanceof NodePath &&
      other.absolute === this.absolute &&
      sameStrings(other.names, this.names) &&
      sameStrings(other.subnames, this.subnames)
    );
  }

  /** The path as Godot prints it: `/root/Player:position:x`. */
  toString(): string {
    const path = (this.absolute ? "/" : "") + this.names.join("/");
    return this.subnames.length > 0 ? `${path}:${this.subnames.join(":")}` : path;
  }
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

/**
 * A server resource id. Ports Godot's `RID` (`get_id()` is the field `id`). Godot 4 sends
 * the 64-bit id; Godot 3 (`_RID`) sends no payload, so every RID decoded from Godot 3
 * data has id 0 and the id is dropped when encoding with `format: 3`.
 */
export class RID {
  /** Godot `get_id()`, unsigned 64-bit. */
  id: bigint;

  /** @param id the id; a `number` must be a non-negative integer. */
  constructor(id: bigint | number = 0n) {
    this.id = BigInt.asUintN(64, BigInt(id));
  }

  /** Godot `is_valid()`: the id is not 0. */
  isValid(): boolean {
    return this.id !== 0n;
  }

  /** Same id. */
  equals(other: unknown): boolean {
    return other instanceof RID && other.id === this.id;
  }

  /** Godot 4's format: `RID(5)`. */
  toString(): string {
    return `RID(${this.id})`;
  }
}

/**
 * A reference to an object on the other side, by its instance id: what Godot decodes
 * from an object sent without `full_objects`. Ports Godot's `EncodedObjectAsID`
 * (`get_object_id()` is the field `objectId`).
 *
 * Deviation: encoding an `EncodedObjectAsID` writes the id it holds (an object-as-id
 * OBJECT), which is what a relay needs; Godot would encode the wrapper object itself.
 * Id 0 decodes as `null`, as in Godot.
 */
export class EncodedObjectAsID {
  /** Godot `object_id`, unsigned 64-bit. */
  objectId: bigint;

  /** @param objectId the instance id; a `number` must be a non-negative integer. */
  constructor(objectId: bigint | number = 0n) {
    this.objectId = BigInt.asUintN(64, BigInt(objectId));
  }

  /** Same id. */
  equals(other: unknown): boolean {
    return other instanceof EncodedObjectAsID && other.objectId === this.objectId;
  }

  /** `EncodedObjectAsID(1234)`. */
  toString(): string {
    return `EncodedObjectAsID(${this.objectId})`;
  }
}

/**
 * A full object as Godot sends it with `full_objects = true`: its class name and its
 * stored properties. Decoded only with `allowObjects: true`; encoded only with
 * `fullObjects: true`. Ports nothing directly: Godot instantiates the class, which a
 * TypeScript peer cannot, so gdnet keeps the data.
 */
export class GodotObject {
  /**
   * @param className Godot's class name, e.g. `"Resource"` (never empty: an empty name is `null`).
   * @param properties the stored properties in wire order (`script` holds a `res://` path).
   */
  constructor(
    public className: string,
    public properties: Map<string, unknown> = new Map(),
  ) {}

  /** Same class and the same property names with `===` or `equals()`-equal values. */
  equals(other: unknown): boolean {
    if (!(other instanceof GodotObject) || other.className !== this.className) return false;
    if (other.properties.size !== this.properties.size) return false;
    for (const [name, value] of this.properties) {
      if (!other.properties.has(name)) return false;
      const theirs = other.properties.get(name);
      const same =
        value === theirs ||
        (typeof value === "object" &&
          value !== null &&
          "equals" in value &&
          typeof value.equals === "function" &&
          value.equals(theirs) === true);
      if (!same) return false;
    }
    return true;
  }

  /** `<Resource>`. */
  toString(): string {
    return `<${this.className}>`;
  }
}

/**
 * Godot 4's `Callable` as it travels: Godot encodes no payload, so it always decodes as
 * an empty (null) callable. Godot 4 only.
 */
export class Callable {
  /** Every decoded Callable is the same empty callable. */
  equals(other: unknown): boolean {
    return other instanceof Callable;
  }

  /** `Callable()`. */
  toString(): string {
    return "Callable()";
  }
}

/**
 * Godot 4's `Signal` value as it travels: a signal name and the instance id of its
 * object. Godot 4 only. Named `EncodedSignal` so it does not clash with gdnet's own
 * `Signal` class (the listener list).
 */
export class EncodedSignal {
  /** Godot `get_object_id()`, unsigned 64-bit. */
  objectId: bigint;

  /** @param name Godot `get_name()`. @param objectId Godot `get_object_id()`. */
  constructor(
    public name = "",
    objectId: bigint | number = 0n,
  ) {
    this.objectId = BigInt.asUintN(64, BigInt(objectId));
  }

  /** Same name and object id. */
  equals(other: unknown): boolean {
    return other instanceof EncodedSignal && other.name === this.name && other.objectId === this.objectId;
  }

  /** `1234::name`. */
  toString(): string {
    return `${this.objectId}::${this.name}`;
  }
}
