import { VariantType } from "./VariantType.js";

/**
 * The declared type of a typed container's slot (an Array's elements, a Dictionary's
 * keys or values): a builtin type, or an object class (by name or by script path).
 * Ports the type information of Godot 4's typed `Array[T]` and `Dictionary[K, V]`.
 */
export class ContainerType {
  /**
   * @param type the Variant type; `TYPE_NIL` means untyped (any Variant).
   * @param className for `TYPE_OBJECT`: the class name (`"Node"`), or `"EncodedObjectAsID"`
   *   when the peer sent object slots without `full_objects`.
   * @param script for `TYPE_OBJECT` slots typed by a script: its `res://` path.
   */
  constructor(
    public type: VariantType = VariantType.TYPE_NIL,
    public className = "",
    public script = "",
  ) {}

  /** Same type, class name and script. */
  equals(other: unknown): boolean {
    return (
      other instanceof ContainerType &&
      other.type === this.type &&
      other.className === this.className &&
      other.script === this.script
    );
  }

  /** The type as GDScript writes it in `Array[…]`: `int`, `Node`, `res://enemy.gd`. */
  toString(): string {
    if (this.script) return this.script;
    if (this.className) return this.className;
    return VariantType[this.type]?.slice("TYPE_".length).toLowerCase() ?? String(this.type);
  }
}

function toContainerType(type: ContainerType | VariantType | undefined): ContainerType {
  if (type instanceof ContainerType) return type;
  return new ContainerType(typeof type === "number" ? type : VariantType.TYPE_NIL);
}

/**
 * A typed Godot Array (`Array[int]`, `Array[Vector2]`, …): a JS array that also carries
 * its element type. Ports Godot 4.x's typed Array (C++ `TypedArray<T>`). Not to be
 * confused with JS typed arrays (`Int32Array`, …), which represent packed arrays.
 *
 * Decoding a typed Array from Godot 4 gives a `TypedArray`; encoding one writes the type
 * into the header (Godot 3 has no typed arrays, so `format: 3` writes a plain Array).
 * Numbers in an `Array[float]` encode as FLOAT even when integral. Element types are not
 * checked. `map`, `filter` and friends return plain arrays.
 */
export class TypedArray<T = unknown> extends Array<T> {
  /** The declared element type. */
  elementType: ContainerType;

  /**
   * @param elementType the element type, e.g. `VariantType.TYPE_INT` or
   *   `new ContainerType(VariantType.TYPE_OBJECT, "Node")`.
   * @param items the initial elements.
   */
  constructor(elementType?: ContainerType | VariantType, items: Iterable<T> = []) {
    super();
    this.elementType = toContainerType(elementType);
    for (const item of items) this.push(item);
  }

  /** Derived arrays (`map`, `filter`, `slice`, …) are plain arrays. */
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}

/**
 * A typed Godot Dictionary (`Dictionary[String, int]`, Godot 4.4+): a `Map` that also
 * carries its key and value types (`TYPE_NIL` for an untyped side). Ports Godot 4.4's
 * typed Dictionary (C++ `TypedDictionary<K, V>`). Encoding as {@link TypedArray}.
 */
export class TypedDictionary<K = unknown, V = unknown> extends Map<K, V> {
  /** The declared key type. */
  keyType: ContainerType;
  /** The declared value type. */
  valueType: ContainerType;

  /**
   * @param keyType the key type (`TYPE_NIL` for any).
   * @param valueType the value type (`TYPE_NIL` for any).
   * @param entries the initial entries.
   */
  constructor(
    keyType?: ContainerType | VariantType,
    valueType?: ContainerType | VariantType,
    entries?: Iterable<readonly [K, V]>,
  ) {
    super(entries);
    this.keyType = toContainerType(keyType);
    this.valueType = toContainerType(valueType);
  }
}

/**
 * Godot's `PackedStringArray` (`PoolStringArray` in Godot 3): a JS array of strings
 * that encodes as the packed type rather than as an Array of Strings. `map`, `filter`
 * and friends return plain arrays.
 */
export class PackedStringArray extends Array<string> {
  /** @param items the strings. */
  constructor(items: Iterable<string> = []) {
    super();
    for (const item of items) this.push(item);
  }

  /** Derived arrays (`map`, `filter`, `slice`, …) are plain arrays. */
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}
