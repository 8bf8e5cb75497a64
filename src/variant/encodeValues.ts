import {
  type EncoderEntry,
  type EncodeState,
  encoderOf,
  header,
  real,
  realHeader,
  string,
} from "./encodeCommon.js";
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
import { HEADER_DATA_FLAG_OBJECT_AS_ID, VariantType as T } from "./VariantType.js";
import { Callable, EncodedObjectAsID, EncodedSignal, NodePath, RID, StringName } from "./values.js";
import { Vector2, Vector2i, Vector3, Vector3i, Vector4, Vector4i } from "./vectors.js";

/** The encoders of the math and identity value classes, none of which contains other values. */
export const VALUE_ENCODERS: readonly EncoderEntry[] = [
  encoderOf(Vector2, (s, v: Vector2) => {
    realHeader(s, T.TYPE_VECTOR2);
    real(s, v.x);
    real(s, v.y);
  }),
  encoderOf(Vector3, (s, v: Vector3) => {
    realHeader(s, T.TYPE_VECTOR3);
    real(s, v.x);
    real(s, v.y);
    real(s, v.z);
  }),

  encoderOf(Vector2i, (s, v: Vector2i) => {
    header(s, T.TYPE_VECTOR2I);
    s.w.i32(v.x);
    s.w.i32(v.y);
  }),
  encoderOf(Vector3i, (s, v: Vector3i) => {
    header(s, T.TYPE_VECTOR3I);
    s.w.i32(v.x);
    s.w.i32(v.y);
    s.w.i32(v.z);
  }),
  encoderOf(Vector4, (s, v: Vector4) => {
    realHeader(s, T.TYPE_VECTOR4);
    realVector4(s, v);
  }),
  encoderOf(Vector4i, (s, v: Vector4i) => {
    header(s, T.TYPE_VECTOR4I);
    s.w.i32(v.x);
    s.w.i32(v.y);
    s.w.i32(v.z);
    s.w.i32(v.w);
  }),
  encoderOf(Rect2, (s, v: Rect2) => {
    realHeader(s, T.TYPE_RECT2);
    real(s, v.position.x);
    real(s, v.position.y);
    real(s, v.size.x);
    real(s, v.size.y);
  }),
  encoderOf(Rect2i, (s, v: Rect2i) => {
    header(s, T.TYPE_RECT2I);
    s.w.i32(v.position.x);
    s.w.i32(v.position.y);
    s.w.i32(v.size.x);
    s.w.i32(v.size.y);
  }),
  encoderOf(Transform2D, (s, v: Transform2D) => {
    realHeader(s, T.TYPE_TRANSFORM2D);
    for (const column of [v.x, v.y, v.origin]) {
      real(s, column.x);
      real(s, column.y);
    }
  }),
  encoderOf(Plane, (s, v: Plane) => {
    realHeader(s, T.TYPE_PLANE);
    real(s, v.normal.x);
    real(s, v.normal.y);
    real(s, v.normal.z);
    real(s, v.d);
  }),
  encoderOf(Quaternion, (s, v: Quaternion) => {
    realHeader(s, T.TYPE_QUATERNION);
    realVector4(s, v);
  }),
  encoderOf(AABB, (s, v: AABB) => {
    realHeader(s, T.TYPE_AABB);
    for (const part of [v.position, v.size]) {
      real(s, part.x);
      real(s, part.y);
      real(s, part.z);
    }
  }),
  encoderOf(Basis, (s, v: Basis) => {
    realHeader(s, T.TYPE_BASIS);
    basisRows(s, v);
  }),
  encoderOf(Transform3D, (s, v: Transform3D) => {
    realHeader(s, T.TYPE_TRANSFORM3D);
    basisRows(s, v.basis);
    real(s, v.origin.x);
    real(s, v.origin.y);
    real(s, v.origin.z);
  }),
  encoderOf(Projection, (s, v: Projection) => {
    realHeader(s, T.TYPE_PROJECTION);
    for (const column of [v.x, v.y, v.z, v.w]) realVector4(s, column);
  }),
  encoderOf(Color, (s, v: Color) => {
    header(s, T.TYPE_COLOR);
    s.w.f32(v.r);
    s.w.f32(v.g);
    s.w.f32(v.b);
    s.w.f32(v.a);
  }),
  encoderOf(StringName, (s, v: StringName) => {
    header(s, T.TYPE_STRING_NAME);
    string(s, v.value);
  }),
  encoderOf(NodePath, (s, v: NodePath) => {
    header(s, T.TYPE_NODE_PATH);
    s.w.u32((v.names.length | 0x80000000) >>> 0);
    s.w.u32(v.subnames.length);
    s.w.u32(v.absolute ? 1 : 0);
    for (const name of v.names) string(s, name);
    for (const name of v.subnames) string(s, name);
  }),
  encoderOf(RID, (s, v: RID) => {
    header(s, T.TYPE_RID);
    if (s.format === 4) s.w.u64(v.id);
  }),
  encoderOf(EncodedObjectAsID, (s, v: EncodedObjectAsID) => {
    header(s, T.TYPE_OBJECT, HEADER_DATA_FLAG_OBJECT_AS_ID);
    s.w.u64(v.objectId);
  }),
  encoderOf(Callable, (s) => header(s, T.TYPE_CALLABLE)),
  encoderOf(EncodedSignal, (s, v: EncodedSignal) => {
    header(s, T.TYPE_SIGNAL);
    string(s, v.name);
    s.w.u64(v.objectId);
  }),
];

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
