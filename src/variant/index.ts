/**
 * Godot's binary Variant encoding (`var_to_bytes`/`bytes_to_var`, and the body of
 * `put_var`/`get_var`) for Godot 4 and Godot 3, with a value class for each Godot type
 * that has no JS equivalent. `docs/values.md` has the type table.
 */
export {
  bytesToVar,
  decodeVariant,
  encodeVariant,
  type VariantDecodeOptions,
  type VariantEncodeOptions,
  varToBytes,
} from "./codec.js";
export { ContainerType, PackedStringArray, TypedArray, TypedDictionary } from "./containers.js";
export { MAX_RECURSION_DEPTH } from "./failure.js";
export {
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
export { PackedColorArray, PackedVector2Array, PackedVector3Array, PackedVector4Array } from "./packed.js";
export { fromGodot3TypeId, GODOT3_TYPE_MAX, godot3TypeId, VariantType } from "./VariantType.js";
export {
  Callable,
  EncodedObjectAsID,
  EncodedSignal,
  Float,
  GodotObject,
  NodePath,
  RID,
  StringName,
} from "./values.js";
export { Vector2, Vector2i, Vector3, Vector3i, Vector4, Vector4i } from "./vectors.js";
