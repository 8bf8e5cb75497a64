import { ContainerType, TypedArray, TypedDictionary } from "./containers.js";
import { byteArray, numericArray, realArray, stringArray } from "./decodePacked.js";
import { INVALID_DATA, MAX_RECURSION_DEPTH, TOO_DEEP, UNAUTHORIZED } from "./failure.js";
import {
  AABB,
  Basis,
  Color,
  Plane,
  Projection,
  Quaternion,
  Rect2,
  Rect2i,
  Transform2D,
  Transform3D,
} from "./math.js";
import { PackedColorArray, PackedVector2Array, PackedVector3Array, PackedVector4Array } from "./packed.js";
import { int, int64, need, type Reader, real, reals, reserve, string, u32, u64 } from "./reader.js";
import {
  fromGodot3TypeId,
  HEADER_DATA_FLAG_64,
  HEADER_DATA_FLAG_OBJECT_AS_ID,
  HEADER_TYPED_ARRAY_SHIFT,
  HEADER_TYPED_DICTIONARY_VALUE_SHIFT,
  KIND_BUILTIN,
  KIND_CLASS_NAME,
  KIND_NONE,
  VariantType as T,
} from "./VariantType.js";
import {
  Callable,
  EncodedObjectAsID,
  EncodedSignal,
  Float,
  GodotObject,
  NodePath,
  RID,
  StringName,
} from "./values.js";
import { Vector2, Vector2i, Vector3, Vector3i, Vector4, Vector4i } from "./vectors.js";

export { Reader } from "./reader.js";

const ENCODED_OBJECT_AS_ID = "EncodedObjectAsID";

/** Decodes one Variant at the cursor (Godot's `decode_variant`). */
export function decodeValue(r: Reader, depth: number): unknown {
  if (depth > MAX_RECURSION_DEPTH) throw TOO_DEEP;
  const head = u32(r);
  let type: number = head & 0xff;
  if (r.format === 3) {
    type = fromGodot3TypeId(type);
    if (type < 0) throw INVALID_DATA;
  } else if (type >= T.TYPE_MAX) {
    throw INVALID_DATA;
  }
  // Godot 4 double-precision builds flag real-based math types; Godot 3 ignores the bit there.
  const wide = r.format === 4 && (head & HEADER_DATA_FLAG_64) !== 0;
  switch (type as T) {
    case T.TYPE_NIL:
      return null;
    case T.TYPE_BOOL:
      return u32(r) !== 0;
    case T.TYPE_INT:
      if (head & HEADER_DATA_FLAG_64) return int64(r);
      need(r, 4);
      return int(r);
    case T.TYPE_FLOAT: {
      const wideFloat = (head & HEADER_DATA_FLAG_64) !== 0;
      reals(r, 1, wideFloat);
      const value = real(r, wideFloat);
      return r.exact ? new Float(value) : value;
    }
    case T.TYPE_STRING:
      return string(r);
    case T.TYPE_VECTOR2:
      reals(r, 2, wide);
      return new Vector2(real(r, wide), real(r, wide));
    case T.TYPE_VECTOR2I:
      need(r, 8);
      return new Vector2i(int(r), int(r));
    case T.TYPE_RECT2:
      reals(r, 4, wide);
      return new Rect2(new Vector2(real(r, wide), real(r, wide)), new Vector2(real(r, wide), real(r, wide)));
    case T.TYPE_RECT2I:
      need(r, 16);
      return new Rect2i(new Vector2i(int(r), int(r)), new Vector2i(int(r), int(r)));
    case T.TYPE_VECTOR3:
      reals(r, 3, wide);
      return vector3(r, wide);
    case T.TYPE_VECTOR3I:
      need(r, 12);
      return new Vector3i(int(r), int(r), int(r));
    case T.TYPE_TRANSFORM2D:
      reals(r, 6, wide);
      return new Transform2D(vector2(r, wide), vector2(r, wide), vector2(r, wide));
    case T.TYPE_VECTOR4:
      reals(r, 4, wide);
      return vector4(r, wide);
    case T.TYPE_VECTOR4I:
      need(r, 16);
      return new Vector4i(int(r), int(r), int(r), int(r));
    case T.TYPE_PLANE:
      reals(r, 4, wide);
      return new Plane(vector3(r, wide), real(r, wide));
    case T.TYPE_QUATERNION:
      reals(r, 4, wide);
      return new Quaternion(real(r, wide), real(r, wide), real(r, wide), real(r, wide));
    case T.TYPE_AABB:
      reals(r, 6, wide);
      return new AABB(vector3(r, wide), vector3(r, wide));
    case T.TYPE_BASIS:
      reals(r, 9, wide);
      return basis(r, wide);
    case T.TYPE_TRANSFORM3D:
      reals(r, 12, wide);
      return new Transform3D(basis(r, wide), vector3(r, wide));
    case T.TYPE_PROJECTION:
      reals(r, 16, wide);
      return new Projection(vector4(r, wide), vector4(r, wide), vector4(r, wide), vector4(r, wide));
    case T.TYPE_COLOR:
      reals(r, 4, false);
      return new Color(real(r, false), real(r, false), real(r, false), real(r, false));
    case T.TYPE_STRING_NAME:
      return new StringName(string(r));
    case T.TYPE_NODE_PATH:
      return nodePath(r);
    case T.TYPE_RID:
      return r.format === 3 ? new RID() : new RID(u64(r));
    case T.TYPE_OBJECT:
      return object(r, head, depth);
    case T.TYPE_CALLABLE:
      return new Callable();
    case T.TYPE_SIGNAL: {
      const name = string(r);
      return new EncodedSignal(name, u64(r));
    }
    case T.TYPE_DICTIONARY:
      return dictionary(r, head, depth);
    case T.TYPE_ARRAY:
      return array(r, head, depth);
    case T.TYPE_PACKED_BYTE_ARRAY:
      return byteArray(r);
    case T.TYPE_PACKED_INT32_ARRAY:
      return numericArray(r, Int32Array);
    case T.TYPE_PACKED_INT64_ARRAY:
      return numericArray(r, BigInt64Array);
    case T.TYPE_PACKED_FLOAT32_ARRAY:
      return numericArray(r, Float32Array);
    case T.TYPE_PACKED_FLOAT64_ARRAY:
      return numericArray(r, Float64Array);
    case T.TYPE_PACKED_STRING_ARRAY:
      return stringArray(r);
    case T.TYPE_PACKED_VECTOR2_ARRAY:
      return new PackedVector2Array(realArray(r, 2, wide));
    case T.TYPE_PACKED_VECTOR3_ARRAY:
      return new PackedVector3Array(realArray(r, 3, wide));
    case T.TYPE_PACKED_COLOR_ARRAY:
      return new PackedColorArray(realArray(r, 4, false));
    case T.TYPE_PACKED_VECTOR4_ARRAY:
      return new PackedVector4Array(realArray(r, 4, wide));
    default:
      throw INVALID_DATA;
  }
}

function vector2(r: Reader, wide: boolean): Vector2 {
  return new Vector2(real(r, wide), real(r, wide));
}

function vector3(r: Reader, wide: boolean): Vector3 {
  return new Vector3(real(r, wide), real(r, wide), real(r, wide));
}

function vector4(r: Reader, wide: boolean): Vector4 {
  return new Vector4(real(r, wide), real(r, wide), real(r, wide), real(r, wide));
}

/** Nine reals in Godot's row order, turned into GDScript's column vectors. */
function basis(r: Reader, wide: boolean): Basis {
  const row0 = vector3(r, wide);
  const row1 = vector3(r, wide);
  const row2 = vector3(r, wide);
  return new Basis(
    new Vector3(row0.x, row1.x, row2.x),
    new Vector3(row0.y, row1.y, row2.y),
    new Vector3(row0.z, row1.z, row2.z),
  );
}

function nodePath(r: Reader): NodePath {
  const first = u32(r);
  // Without bit 31 this is the pre-3.0 format, which Godot refuses too.
  if ((first & 0x80000000) === 0) throw INVALID_DATA;
  need(r, 8);
  const nameCount = first & 0x7fffffff;
  let subnameCount = u32(r);
  const flags = u32(r);
  // An obsolete format stored the property separately: one more subname. uint32 arithmetic, as Godot.
  if (flags & 2) subnameCount = (subnameCount + 1) >>> 0;
  const total = (nameCount + subnameCount) >>> 0;
  if (total * 4 > r.end - r.pos) throw INVALID_DATA;
  reserve(r, total * 8);
  const names: string[] = [];
  const subnames: string[] = [];
  for (let i = 0; i < total; i++) (i < nameCount ? names : subnames).push(string(r));
  return new NodePath(names, subnames, (flags & 1) !== 0);
}

function object(r: Reader, head: number, depth: number): unknown {
  if (head & HEADER_DATA_FLAG_OBJECT_AS_ID) {
    const id = u64(r);
    return id === 0n ? null : new EncodedObjectAsID(id);
  }
  if (!r.allowObjects) throw UNAUTHORIZED;
  const className = string(r);
  if (className === "") return null;
  need(r, 4);
  // Godot reads the property count as int32: a negative count means no properties.
  const propertyCount = Math.max(int(r), 0);
  if (propertyCount * 8 > r.end - r.pos) throw INVALID_DATA;
  reserve(r, propertyCount * 16);
  const properties = new Map<string, unknown>();
  for (let i = 0; i < propertyCount; i++) {
    const name = string(r);
    properties.set(name, decodeValue(r, depth + 1));
  }
  return new GodotObject(className, properties);
}

/** The type info of a typed container slot (Godot's `_decode_container_type`); `null` when untyped. */
function containerType(r: Reader, kind: number): ContainerType | null {
  if (kind === KIND_NONE) return null;
  if (kind === KIND_BUILTIN) {
    const type = u32(r);
    if (type >= T.TYPE_MAX) throw INVALID_DATA;
    if (type === T.TYPE_OBJECT && !r.allowObjects)
      return new ContainerType(T.TYPE_OBJECT, ENCODED_OBJECT_AS_ID);
    return new ContainerType(type);
  }
  const name = string(r);
  if (!r.allowObjects) return new ContainerType(T.TYPE_OBJECT, ENCODED_OBJECT_AS_ID);
  if (kind === KIND_CLASS_NAME) return new ContainerType(T.TYPE_OBJECT, name);
  if (!name.startsWith("res://")) throw INVALID_DATA;
  return new ContainerType(T.TYPE_OBJECT, "", name);
}

function array(r: Reader, head: number, depth: number): unknown[] {
  const kind = r.format === 4 ? (head >>> HEADER_TYPED_ARRAY_SHIFT) & 3 : KIND_NONE;
  const elementType = containerType(r, kind);
  // Bit 31 of the count was a "shared" flag; Godot masks it off.
  const n = u32(r) & 0x7fffffff;
  if (n * 4 > r.end - r.pos) throw INVALID_DATA;
  reserve(r, n * 8);
  const out: unknown[] = elementType === null ? [] : new TypedArray(elementType);
  for (let i = 0; i < n; i++) out.push(decodeValue(r, depth + 1));
  return out;
}

function dictionary(r: Reader, head: number, depth: number): Map<unknown, unknown> {
  const keyKind = r.format === 4 ? (head >>> HEADER_TYPED_ARRAY_SHIFT) & 3 : KIND_NONE;
  const valueKind = r.format === 4 ? (head >>> HEADER_TYPED_DICTIONARY_VALUE_SHIFT) & 3 : KIND_NONE;
  const keyType = containerType(r, keyKind);
  const valueType = containerType(r, valueKind);
  const n = u32(r) & 0x7fffffff;
  if (n * 8 > r.end - r.pos) throw INVALID_DATA;
  reserve(r, n * 16);
  const out =
    keyType === null && valueType === null
      ? new Map<unknown, unknown>()
      : new TypedDictionary(keyType ?? undefined, valueType ?? undefined);
  for (let i = 0; i < n; i++) {
    const key = decodeValue(r, depth + 1);
    out.set(key, decodeValue(r, depth + 1));
  }
  return out;
}
