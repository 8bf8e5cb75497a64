import { type ContainerType, PackedStringArray, TypedArray, TypedDictionary } from "./containers.js";
import {
  type Encoder,
  type EncoderEntry,
  type EncodeState,
  encodeFloat,
  encoderOf,
  header,
  NO_SLOT,
  real,
  realHeader,
  string,
} from "./encodeCommon.js";
import { VALUE_ENCODERS } from "./encodeValues.js";
import { INVALID_PARAMETER, MAX_RECURSION_DEPTH, TOO_DEEP } from "./failure.js";
import { PackedColorArray, PackedVector2Array, PackedVector3Array, PackedVector4Array } from "./packed.js";
import {
  HEADER_DATA_FLAG_64,
  HEADER_TYPED_ARRAY_SHIFT,
  HEADER_TYPED_DICTIONARY_VALUE_SHIFT,
  KIND_BUILTIN,
  KIND_CLASS_NAME,
  KIND_NONE,
  KIND_SCRIPT,
  VariantType as T,
} from "./VariantType.js";
import { Float, GodotObject } from "./values.js";
import { HOST_IS_LITTLE_ENDIAN } from "./writer.js";

export type { EncodeState } from "./encodeCommon.js";

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_LIMIT = 2 ** 63;
const ENCODED_OBJECT_AS_ID = "EncodedObjectAsID";

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

/** A packed numeric array: its elements little-endian, one block copy on little-endian hosts. */
function numericArray(s: EncodeState, type: T, array: NumericArray): void {
  header(s, type);
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

const CONTAINER_ENCODERS: readonly EncoderEntry[] = [
  encoderOf(Array, encodeArray),
  encoderOf(Map, encodeMap),
  encoderOf(Object as unknown as new () => Record<string, unknown>, encodePlainObject),
  encoderOf(GodotObject, encodeFullObject),
  encoderOf(Float, (s, v: Float) => encodeFloat(s, v.value)),
  encoderOf(Uint8Array, encodeBytes),
  encoderOf(Int32Array, (s, v: Int32Array) => numericArray(s, T.TYPE_PACKED_INT32_ARRAY, v)),
  encoderOf(BigInt64Array, (s, v: BigInt64Array) => numericArray(s, T.TYPE_PACKED_INT64_ARRAY, v)),
  encoderOf(Float32Array, (s, v: Float32Array) => numericArray(s, T.TYPE_PACKED_FLOAT32_ARRAY, v)),
  encoderOf(Float64Array, (s, v: Float64Array) => numericArray(s, T.TYPE_PACKED_FLOAT64_ARRAY, v)),
  encoderOf(TypedArray, encodeArray),
  encoderOf(TypedDictionary, encodeMap),
  encoderOf(PackedStringArray, encodeStringArray),
  encoderOf(PackedVector2Array, (s, v: PackedVector2Array) =>
    encodeRealVectors(s, T.TYPE_PACKED_VECTOR2_ARRAY, v.data, 2),
  ),
  encoderOf(PackedVector3Array, (s, v: PackedVector3Array) =>
    encodeRealVectors(s, T.TYPE_PACKED_VECTOR3_ARRAY, v.data, 3),
  ),
  encoderOf(PackedVector4Array, (s, v: PackedVector4Array) =>
    encodeRealVectors(s, T.TYPE_PACKED_VECTOR4_ARRAY, v.data, 4),
  ),
  encoderOf(PackedColorArray, (s, v: PackedColorArray) => encodeColors(s, v.data)),
];

for (const [type, encoder] of [...CONTAINER_ENCODERS, ...VALUE_ENCODERS]) ENCODERS.set(type, encoder);

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
