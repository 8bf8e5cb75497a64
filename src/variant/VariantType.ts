/**
 * Godot 4's `Variant.Type`: the type ids written in the first byte of every encoded
 * Variant (Godot 4 numbering). Godot 3 numbers its types differently from `VECTOR2I`
 * on; {@link godot3TypeId} and {@link fromGodot3TypeId} translate.
 *
 * Ports: `@GlobalScope.Variant.Type` (`TYPE_NIL` … `TYPE_MAX`).
 */
export enum VariantType {
  /** `TYPE_NIL` (0): `null`. */
  TYPE_NIL = 0,
  /** `TYPE_BOOL` (1). */
  TYPE_BOOL = 1,
  /** `TYPE_INT` (2): 64-bit signed integer. */
  TYPE_INT = 2,
  /** `TYPE_FLOAT` (3): 64-bit float (`REAL` in Godot 3). */
  TYPE_FLOAT = 3,
  /** `TYPE_STRING` (4). */
  TYPE_STRING = 4,
  /** `TYPE_VECTOR2` (5). */
  TYPE_VECTOR2 = 5,
  /** `TYPE_VECTOR2I` (6), Godot 4 only. */
  TYPE_VECTOR2I = 6,
  /** `TYPE_RECT2` (7). */
  TYPE_RECT2 = 7,
  /** `TYPE_RECT2I` (8), Godot 4 only. */
  TYPE_RECT2I = 8,
  /** `TYPE_VECTOR3` (9). */
  TYPE_VECTOR3 = 9,
  /** `TYPE_VECTOR3I` (10), Godot 4 only. */
  TYPE_VECTOR3I = 10,
  /** `TYPE_TRANSFORM2D` (11). */
  TYPE_TRANSFORM2D = 11,
  /** `TYPE_VECTOR4` (12), Godot 4 only. */
  TYPE_VECTOR4 = 12,
  /** `TYPE_VECTOR4I` (13), Godot 4 only. */
  TYPE_VECTOR4I = 13,
  /** `TYPE_PLANE` (14). */
  TYPE_PLANE = 14,
  /** `TYPE_QUATERNION` (15) (`QUAT` in Godot 3). */
  TYPE_QUATERNION = 15,
  /** `TYPE_AABB` (16). */
  TYPE_AABB = 16,
  /** `TYPE_BASIS` (17). */
  TYPE_BASIS = 17,
  /** `TYPE_TRANSFORM3D` (18) (`TRANSFORM` in Godot 3). */
  TYPE_TRANSFORM3D = 18,
  /** `TYPE_PROJECTION` (19), Godot 4 only. */
  TYPE_PROJECTION = 19,
  /** `TYPE_COLOR` (20). */
  TYPE_COLOR = 20,
  /** `TYPE_STRING_NAME` (21), Godot 4 only (Godot 3 sends a plain String). */
  TYPE_STRING_NAME = 21,
  /** `TYPE_NODE_PATH` (22). */
  TYPE_NODE_PATH = 22,
  /** `TYPE_RID` (23). */
  TYPE_RID = 23,
  /** `TYPE_OBJECT` (24). */
  TYPE_OBJECT = 24,
  /** `TYPE_CALLABLE` (25), Godot 4 only. */
  TYPE_CALLABLE = 25,
  /** `TYPE_SIGNAL` (26), Godot 4 only. */
  TYPE_SIGNAL = 26,
  /** `TYPE_DICTIONARY` (27). */
  TYPE_DICTIONARY = 27,
  /** `TYPE_ARRAY` (28). */
  TYPE_ARRAY = 28,
  /** `TYPE_PACKED_BYTE_ARRAY` (29) (`POOL_BYTE_ARRAY` in Godot 3). */
  TYPE_PACKED_BYTE_ARRAY = 29,
  /** `TYPE_PACKED_INT32_ARRAY` (30) (`POOL_INT_ARRAY` in Godot 3). */
  TYPE_PACKED_INT32_ARRAY = 30,
  /** `TYPE_PACKED_INT64_ARRAY` (31), Godot 4 only. */
  TYPE_PACKED_INT64_ARRAY = 31,
  /** `TYPE_PACKED_FLOAT32_ARRAY` (32) (`POOL_REAL_ARRAY` in Godot 3). */
  TYPE_PACKED_FLOAT32_ARRAY = 32,
  /** `TYPE_PACKED_FLOAT64_ARRAY` (33), Godot 4 only. */
  TYPE_PACKED_FLOAT64_ARRAY = 33,
  /** `TYPE_PACKED_STRING_ARRAY` (34) (`POOL_STRING_ARRAY` in Godot 3). */
  TYPE_PACKED_STRING_ARRAY = 34,
  /** `TYPE_PACKED_VECTOR2_ARRAY` (35) (`POOL_VECTOR2_ARRAY` in Godot 3). */
  TYPE_PACKED_VECTOR2_ARRAY = 35,
  /** `TYPE_PACKED_VECTOR3_ARRAY` (36) (`POOL_VECTOR3_ARRAY` in Godot 3). */
  TYPE_PACKED_VECTOR3_ARRAY = 36,
  /** `TYPE_PACKED_COLOR_ARRAY` (37) (`POOL_COLOR_ARRAY` in Godot 3). */
  TYPE_PACKED_COLOR_ARRAY = 37,
  /** `TYPE_PACKED_VECTOR4_ARRAY` (38), Godot 4.3 and later. */
  TYPE_PACKED_VECTOR4_ARRAY = 38,
  /** `TYPE_MAX` (39): one past the last type; never encoded. */
  TYPE_MAX = 39,
}

/** Godot 3's `Variant::VARIANT_MAX`: type ids at or above it are invalid in Godot 3 data. */
export const GODOT3_TYPE_MAX = 27;

const NONE = -1;

// Godot 3 id → Godot 4 id, indexed by the Godot 3 id (3.x `core/variant.h`).
const FROM_GODOT3: readonly VariantType[] = [
  VariantType.TYPE_NIL,
  VariantType.TYPE_BOOL,
  VariantType.TYPE_INT,
  VariantType.TYPE_FLOAT,
  VariantType.TYPE_STRING,
  VariantType.TYPE_VECTOR2,
  VariantType.TYPE_RECT2,
  VariantType.TYPE_VECTOR3,
  VariantType.TYPE_TRANSFORM2D,
  VariantType.TYPE_PLANE,
  VariantType.TYPE_QUATERNION,
  VariantType.TYPE_AABB,
  VariantType.TYPE_BASIS,
  VariantType.TYPE_TRANSFORM3D,
  VariantType.TYPE_COLOR,
  VariantType.TYPE_NODE_PATH,
  VariantType.TYPE_RID,
  VariantType.TYPE_OBJECT,
  VariantType.TYPE_DICTIONARY,
  VariantType.TYPE_ARRAY,
  VariantType.TYPE_PACKED_BYTE_ARRAY,
  VariantType.TYPE_PACKED_INT32_ARRAY,
  VariantType.TYPE_PACKED_FLOAT32_ARRAY,
  VariantType.TYPE_PACKED_STRING_ARRAY,
  VariantType.TYPE_PACKED_VECTOR2_ARRAY,
  VariantType.TYPE_PACKED_VECTOR3_ARRAY,
  VariantType.TYPE_PACKED_COLOR_ARRAY,
];

const TO_GODOT3: readonly number[] = (() => {
  const table = new Array<number>(VariantType.TYPE_MAX).fill(NONE);
  FROM_GODOT3.forEach((godot4, godot3) => {
    table[godot4] = godot3;
  });
  // Godot 3 has no StringName Variant: a StringName converts to a String.
  table[VariantType.TYPE_STRING_NAME] = FROM_GODOT3.indexOf(VariantType.TYPE_STRING);
  return table;
})();

/**
 * The Godot 3 type id of a Godot 4 type, or -1 when Godot 3 has no such type
 * (`Vector2i`, `Projection`, `PackedInt64Array`, …). `TYPE_STRING_NAME` maps to Godot 3's
 * `STRING`, as Godot 3 converts a StringName to a String.
 */
export function godot3TypeId(type: VariantType): number {
  return TO_GODOT3[type] ?? NONE;
}

/** The Godot 4 type of a Godot 3 type id, or -1 for an id Godot 3 does not define. */
export function fromGodot3TypeId(id: number): VariantType | -1 {
  return FROM_GODOT3[id] ?? NONE;
}

/** Header bit 16: INT, FLOAT and real-based math payloads use 64-bit values. */
export const HEADER_DATA_FLAG_64 = 1 << 16;
/** Header bit 16 on OBJECT: the payload is an instance id, not a full object. */
export const HEADER_DATA_FLAG_OBJECT_AS_ID = 1 << 16;
/** Bits 16–17 of an ARRAY header (and of a DICTIONARY header, for the key type). */
export const HEADER_TYPED_ARRAY_SHIFT = 16;
/** Bits 18–19 of a DICTIONARY header: the value type's kind. */
export const HEADER_TYPED_DICTIONARY_VALUE_SHIFT = 18;

/** Container type kinds (Godot's `ContainerTypeKind`): how a typed slot's type is written. */
export const KIND_NONE = 0;
/** The slot type is a builtin: a uint32 Variant type id follows. */
export const KIND_BUILTIN = 1;
/** The slot type is an object class: a class-name string follows. */
export const KIND_CLASS_NAME = 2;
/** The slot type is a scripted class: a `res://` script path string follows. */
export const KIND_SCRIPT = 3;
