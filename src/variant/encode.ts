import { type ContainerType, PackedStringArray, TypedArray, TypedDictionary } from "./containers.js";
import { INVALID_PARAMETER, MAX_RECURSION_DEPTH, TOO_DEEP } from "./failure.js";
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
import {
  godot3TypeId,
  HEADER_DATA_FLAG_64,
  HEADER_DATA_FLAG_OBJECT_AS_ID,
  HEADER_TYPED_ARRAY_SHIFT,
  HEADER_TYPED_DICTIONARY_VALUE_SHIFT,
  KIND_BUILTIN,
  KIND_CLASS_NAME,
  KIND_NONE,
  KIND_SCRIPT,
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
import { type ByteWriter, HOST_IS_LITTLE_ENDIAN } from "./writer.js";

/** Everything one `encodeVariant` call needs, passed down the recursion. */
export interface EncodeState {
  w: ByteWriter;
  format: 3 | 4;
  fullObjects: boolean;
  /** Real-based math types use float64 with the 64-bit header flag (Godot 4 only). */
  wideReals: boolean;
}

const NO_SLOT = -1;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_LIMIT = 2 ** 63;
const ENCODED_OBJECT_AS_ID = "EncodedObjectAsID";

/** Writes a header word, translating the type id for Godot 3 (where some types do not exist). */
function header(s: EncodeState, type: T, flags = 0): void {
  let id: number = type;
  if (s.format === 3) {
    id = godot3TypeId(type);
    if (id < 0) throw INVALID_PARAMETER;
  }
  s.w.u32(id | flags);
}

/** Header of a real-based math type, with the 64-bit flag when reals are wide. */
function realHeader(s: EncodeState, type: T): void {
  header(s, type, s.wideReals ? HEADER_DATA_FLAG_64 : 0);
}

function real(s: EncodeState, value: number): void {
  if (s.wideReals) s.w.f64(value);
  else s.w.f32(value);
}

function string(s: EncodeState, text: string): void {
  s.w.utf8(text);
  s.w.pad4();
}

/** Encodes any supported value. `slot` is the declared type of a typed container's slot. */
export function encodeValue(s: EncodeState, value: unknown, depth: number, slot: number = NO_SLOT): void {
  // Godot's check: a value nested deeper than the limit fails (a cycle ends here too).
  if (depth > MAX_RECURSION_DEPTH) throw TOO_DEEP;
  switch (typeof value) {
    case "number":
      if (slot === T.TYPE_FLOAT) encodeFloat(s, value);
      else encodeNumber(s, value);
      return;
    case "string":
      header(s, T.TYPE_STRING);
      string(s, value);
      return;
    case "boolean":
      header(s, T.TYPE_BOOL);
      s.w.u32(value ? 1 : 0);
      return;
    case "bigint":
      encodeBigInt(s, value);
      return;
    case "undefined":
      header(s, T.TYPE_NIL);
      return;
    case "object":
      if (value === null) header(s, T.TYPE_NIL);
      else encodeObject(s, value, depth);
      return;
    default:
      throw INVALID_PARAMETER;
  }
}

/** SPEC's rule: an integral number (other than -0) is INT, anything else is FLOAT. */
function encodeNumber(s: EncodeState, value: number): void {
  if (Number.isInteger(value) && !Object.is(value, -0)) {
    if (value >= INT32_MIN && value <= INT32_MAX) {
      header(s, T.TYPE_INT);
      s.w.i32(value);
      return;
    }
    if (value >= -INT64_LIMIT && value < INT64_LIMIT) {
      header(s, T.TYPE_INT, HEADER_DATA_FLAG_64);
      s.w.i64(value);
      return;
    }
  }
  encodeFloat(s, value);
}

/** Godot's rule: float32 when `(double)(float)v == v`, else float64 (so NaN is float64, as in Godot). */
function encodeFloat(s: EncodeState, value: number): void {
  if (Math.fround(value) === value) {
    header(s, T.TYPE_FLOAT);
    s.w.f32(value);
  } else {
    header(s, T.TYPE_FLOAT, HEADER_DATA_FLAG_64);
    s.w.f64(value);
  }
}

function encodeBigInt(s: EncodeState, value: bigint): void {
  if (value >= -(2n ** 63n) && value < 2n ** 63n) {
    if (value >= -2147483648n && value <= 2147483647n) {
      header(s, T.TYPE_INT);
      s.w.i32(Number(value));
    } else {
      header(s, T.TYPE_INT, HEADER_DATA_FLAG_64);
      s.w.i64(value);
    }
    return;
  }
  throw INVALID_PARAMETER;
}

type Encoder = (s: EncodeState, value: never, depth: number) => void;
// biome-ignore lint/complexity/noBannedTypes: keys are the value classes' constructors.
const ENCODERS = new Map<Function, Encoder>();

function encodeObject(s: EncodeState, value: object, depth: number): void {
  const encoder = ENCODERS.get(value.constructor);
  if (encoder !== undefined) {
    encoder(s, value as never, depth);
    return;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype)
    encodePlainObject(s, value as Record<string, unknown>, depth);
  else if (value instanceof Uint8Array) encodeBytes(s, value);
  else if (value instanceof TypedArray) encodeArray(s, value, depth);
  else if (value instanceof PackedStringArray) encodeStringArray(s, value);
  else if (Array.isArray(value)) encodeArray(s, value, depth);
  else if (value instanceof Map) encodeMap(s, value, depth);
  else throw INVALID_PARAMETER;
}

function containerKind(type: ContainerType): number {
  if (type.type === T.TYPE_NIL) return KIND_NONE;
  if (type.script) return KIND_SCRIPT;
  if (type.className || type.type === T.TYPE_OBJECT) return KIND_CLASS_NAME;
  return KIND_BUILTIN;
}

/** The type info after a typed container's header (Godot's `_encode_container_type`). */
function containerType(s: EncodeState, type: ContainerType, kind: number): void {
  if (kind === KIND_BUILTIN) s.w.u32(type.type);
  else if (kind === KIND_SCRIPT) string(s, s.fullObjects ? type.script : ENCODED_OBJECT_AS_ID);
  else if (kind === KIND_CLASS_NAME)
    string(s, s.fullObjects ? type.className || "Object" : ENCODED_OBJECT_AS_ID);
}

/** Godot writes a script-typed slot as CLASS_NAME "EncodedObjectAsID" without full objects. */
function headerKind(s: EncodeState, kind: number): number {
  return kind === KIND_SCRIPT && !s.fullObjects ? KIND_CLASS_NAME : kind;
}

function encodeArray(s: EncodeState, array: readonly unknown[], depth: number): void {
  const inner = depth + 1;
  let slot = NO_SLOT;
  if (array instanceof TypedArray && s.format === 4) {
    const kind = containerKind(array.elementType);
    header(s, T.TYPE_ARRAY, headerKind(s, kind) << HEADER_TYPED_ARRAY_SHIFT);
    containerType(s, array.elementType, kind);
    slot = array.elementType.type;
  } else {
    header(s, T.TYPE_ARRAY);
  }
  const count = array.length;
  s.w.u32(count);
  for (let i = 0; i < count; i++) encodeValue(s, array[i], inner, slot);
}

function encodeMap(s: EncodeState, map: Map<unknown, unknown>, depth: number): void {
  const inner = depth + 1;
  let keySlot = NO_SLOT;
  let valueSlot = NO_SLOT;
  if (map instanceof TypedDictionary && s.format === 4) {
    const keyKind = containerKind(map.keyType);
    const valueKind = containerKind(map.valueType);
    const flags =
      (headerKind(s, keyKind) << HEADER_TYPED_ARRAY_SHIFT) |
      (headerKind(s, valueKind) << HEADER_TYPED_DICTIONARY_VALUE_SHIFT);
    header(s, T.TYPE_DICTIONARY, flags);
    containerType(s, map.keyType, keyKind);
    containerType(s, map.valueType, valueKind);
    keySlot = map.keyType.type;
    valueSlot = map.valueType.type;
  } else {
    header(s, T.TYPE_DICTIONARY);
  }
  s.w.u32(map.size);
  for (const [key, value] of map) {
    encodeValue(s, key, inner, keySlot);
    encodeValue(s, value, inner, valueSlot);
  }
}

function encodePlainObject(s: EncodeState, object: Record<string, unknown>, depth: number): void {
  const inner = depth + 1;
  header(s, T.TYPE_DICTIONARY);
  const keys = Object.keys(object);
  s.w.u32(keys.length);
  for (const key of keys) {
    header(s, T.TYPE_STRING);
    string(s, key);
    encodeValue(s, object[key], inner);
  }
}

function encodeBytes(s: EncodeState, bytes: Uint8Array): void {
  header(s, T.TYPE_PACKED_BYTE_ARRAY);
  s.w.u32(bytes.length);
  s.w.raw(bytes);
  s.w.pad4();
}

type NumericArray = Int32Array | Float32Array | Float64Array | BigInt64Array;

/** A typed array's elements, little-endian: one block copy on little-endian hosts. */
function numericBlock(s: EncodeState, array: NumericArray): void {
  const w = s.w;
  const size = array.BYTES_PER_ELEMENT;
  w.u32(array.length);
  w.reserve(array.length * size);
  if (HOST_IS_LITTLE_ENDIAN) {
    w.bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), w.pos);
    w.pos += array.byteLength;
    return;
  }
  for (let i = 0; i < array.length; i++) {
    if (array instanceof Int32Array) w.view.setInt32(w.pos, array[i]!, true);
    else if (array instanceof Float32Array) w.view.setFloat32(w.pos, array[i]!, true);
    else if (array instanceof Float64Array) w.view.setFloat64(w.pos, array[i]!, true);
    else w.view.setBigInt64(w.pos, array[i]!, true);
    w.pos += size;
  }
}

function encodeStringArray(s: EncodeState, strings: readonly string[]): void {
  header(s, T.TYPE_PACKED_STRING_ARRAY);
  s.w.u32(strings.length);
  for (const text of strings) {
    s.w.utf8(String(text), 1);
    s.w.bytes[s.w.pos++] = 0;
    s.w.pad4();
  }
}

/** Packed vectors: copied as a block when the storage already has the wire's width. */
function encodeRealVectors(s: EncodeState, type: T, data: Float32Array | Float64Array, stride: number): void {
  realHeader(s, type);
  s.w.u32(data.length / stride);
  const wide = s.wideReals;
  if ((wide && data instanceof Float64Array) || (!wide && data instanceof Float32Array)) {
    s.w.reserve(data.byteLength);
    if (HOST_IS_LITTLE_ENDIAN) {
      s.w.bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), s.w.pos);
      s.w.pos += data.byteLength;
      return;
    }
  }
  for (let i = 0; i < data.length; i++) real(s, data[i]!);
}

function encodeColors(s: EncodeState, data: Float32Array | Float64Array): void {
  header(s, T.TYPE_PACKED_COLOR_ARRAY);
  s.w.u32(data.length / 4);
  for (let i = 0; i < data.length; i++) s.w.f32(data[i]!);
}

function on<V>(
  type: abstract new (...args: never[]) => V,
  encoder: (s: EncodeState, value: V, depth: number) => void,
) {
  ENCODERS.set(type, encoder as Encoder);
}

on(Array, encodeArray);
on(Map, encodeMap);
on(Object as unknown as new () => Record<string, unknown>, encodePlainObject);
on(Vector2, (s, v: Vector2) => {
  realHeader(s, T.TYPE_VECTOR2);
  real(s, v.x);
  real(s, v.y);
});
on(Vector3, (s, v: Vector3) => {
  realHeader(s, T.TYPE_VECTOR3);
  real(s, v.x);
  real(s, v.y);
  real(s, v.z);
});
on(Float, (s, v: Float) => encodeFloat(s, v.value));
on(Uint8Array, encodeBytes);
on(Int32Array, (s, v: Int32Array) => {
  header(s, T.TYPE_PACKED_INT32_ARRAY);
  numericBlock(s, v);
});
on(BigInt64Array, (s, v: BigInt64Array) => {
  header(s, T.TYPE_PACKED_INT64_ARRAY);
  numericBlock(s, v);
});
on(Float32Array, (s, v: Float32Array) => {
  header(s, T.TYPE_PACKED_FLOAT32_ARRAY);
  numericBlock(s, v);
});
on(Float64Array, (s, v: Float64Array) => {
  header(s, T.TYPE_PACKED_FLOAT64_ARRAY);
  numericBlock(s, v);
});
on(TypedArray, encodeArray);
on(TypedDictionary, encodeMap);
on(PackedStringArray, encodeStringArray);
on(PackedVector2Array, (s, v: PackedVector2Array) =>
  encodeRealVectors(s, T.TYPE_PACKED_VECTOR2_ARRAY, v.data, 2),
);
on(PackedVector3Array, (s, v: PackedVector3Array) =>
  encodeRealVectors(s, T.TYPE_PACKED_VECTOR3_ARRAY, v.data, 3),
);
on(PackedVector4Array, (s, v: PackedVector4Array) =>
  encodeRealVectors(s, T.TYPE_PACKED_VECTOR4_ARRAY, v.data, 4),
);
on(PackedColorArray, (s, v: PackedColorArray) => encodeColors(s, v.data));
on(Vector2i, (s, v: Vector2i) => {
  header(s, T.TYPE_VECTOR2I);
  s.w.i32(v.x);
  s.w.i32(v.y);
});
on(Vector3i, (s, v: Vector3i) => {
  header(s, T.TYPE_VECTOR3I);
  s.w.i32(v.x);
  s.w.i32(v.y);
  s.w.i32(v.z);
});
on(Vector4, (s, v: Vector4) => {
  realHeader(s, T.TYPE_VECTOR4);
  realVector4(s, v);
});
on(Vector4i, (s, v: Vector4i) => {
  header(s, T.TYPE_VECTOR4I);
  s.w.i32(v.x);
  s.w.i32(v.y);
  s.w.i32(v.z);
  s.w.i32(v.w);
});
on(Rect2, (s, v: Rect2) => {
  realHeader(s, T.TYPE_RECT2);
  real(s, v.position.x);
  real(s, v.position.y);
  real(s, v.size.x);
  real(s, v.size.y);
});
on(Rect2i, (s, v: Rect2i) => {
  header(s, T.TYPE_RECT2I);
  s.w.i32(v.position.x);
  s.w.i32(v.position.y);
  s.w.i32(v.size.x);
  s.w.i32(v.size.y);
});
on(Transform2D, (s, v: Transform2D) => {
  realHeader(s, T.TYPE_TRANSFORM2D);
  for (const column of [v.x, v.y, v.origin]) {
    real(s, column.x);
    real(s, column.y);
  }
});
on(Plane, (s, v: Plane) => {
  realHeader(s, T.TYPE_PLANE);
  real(s, v.normal.x);
  real(s, v.normal.y);
  real(s, v.normal.z);
  real(s, v.d);
});
on(Quaternion, (s, v: Quaternion) => {
  realHeader(s, T.TYPE_QUATERNION);
  realVector4(s, v);
});
on(AABB, (s, v: AABB) => {
  realHeader(s, T.TYPE_AABB);
  for (const part of [v.position, v.size]) {
    real(s, part.x);
    real(s, part.y);
    real(s, part.z);
  }
});
on(Basis, (s, v: Basis) => {
  realHeader(s, T.TYPE_BASIS);
  basisRows(s, v);
});
on(Transform3D, (s, v: Transform3D) => {
  realHeader(s, T.TYPE_TRANSFORM3D);
  basisRows(s, v.basis);
  real(s, v.origin.x);
  real(s, v.origin.y);
  real(s, v.origin.z);
});
on(Projection, (s, v: Projection) => {
  realHeader(s, T.TYPE_PROJECTION);
  for (const column of [v.x, v.y, v.z, v.w]) realVector4(s, column);
});
on(Color, (s, v: Color) => {
  header(s, T.TYPE_COLOR);
  s.w.f32(v.r);
  s.w.f32(v.g);
  s.w.f32(v.b);
  s.w.f32(v.a);
});
on(StringName, (s, v: StringName) => {
  header(s, T.TYPE_STRING_NAME);
  string(s, v.value);
});
on(NodePath, (s, v: NodePath) => {
  header(s, T.TYPE_NODE_PATH);
  s.w.u32((v.names.length | 0x80000000) >>> 0);
  s.w.u32(v.subnames.length);
  s.w.u32(v.absolute ? 1 : 0);
  for (const name of v.names) string(s, name);
  for (const name of v.subnames) string(s, name);
});
on(RID, (s, v: RID) => {
  header(s, T.TYPE_RID);
  if (s.format === 4) s.w.u64(v.id);
});
on(EncodedObjectAsID, (s, v: EncodedObjectAsID) => {
  header(s, T.TYPE_OBJECT, HEADER_DATA_FLAG_OBJECT_AS_ID);
  s.w.u64(v.objectId);
});
on(GodotObject, encodeFullObject);
on(Callable, (s) => header(s, T.TYPE_CALLABLE));
on(EncodedSignal, (s, v: EncodedSignal) => {
  header(s, T.TYPE_SIGNAL);
  string(s, v.name);
  s.w.u64(v.objectId);
});

function realVector4(s: EncodeState, v: { x: number; y: number; z: number; w: number }): void {
  real(s, v.x);
  real(s, v.y);
  real(s, v.z);
  real(s, v.w);
}

/** Godot's `Basis::rows`: row i holds the i-th component of each column. */
function basisRows(s: EncodeState, b: Basis): void {
  real(s, b.x.x);
  real(s, b.y.x);
  real(s, b.z.x);
  real(s, b.x.y);
  real(s, b.y.y);
  real(s, b.z.y);
  real(s, b.x.z);
  real(s, b.y.z);
  real(s, b.z.z);
}

function encodeFullObject(s: EncodeState, object: GodotObject, depth: number): void {
  if (!s.fullObjects || object.className === "") throw INVALID_PARAMETER;
  const inner = depth + 1;
  header(s, T.TYPE_OBJECT);
  string(s, object.className);
  s.w.u32(object.properties.size);
  for (const [name, value] of object.properties) {
    string(s, name);
    encodeValue(s, value, inner);
  }
}
