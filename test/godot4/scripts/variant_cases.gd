class_name VariantCases
extends RefCounted
## One value of every Variant type (and the edges of each), by name. The TypeScript
## twin of this list is test/godot4/variant-cases.ts: same names, same values.


static func values() -> Array:
	var ints: Array[int] = [1, 2, 3]
	var floats: Array[float] = [1.0, 2.5]
	var nodes: Array[Node] = []
	var stats: Dictionary[String, int] = {"hp": 100, "mp": 5}
	var by_id: Dictionary[int, Variant] = {1: "a", 2: Vector2(1, 2)}
	var names: Array[StringName] = [&"run", &"jump"]
	var points: Array[Vector2] = [Vector2(1, 2), Vector2(-3, 4.5)]
	return [
		["nil", null],
		["bool_false", false],
		["bool_true", true],
		["int_small", 7],
		["int_negative", -123456],
		["int_32_edge", 2147483648],
		["int_beyond_2_53", 9007199254740993],
		["int_min", -9223372036854775807 - 1],
		["float_half", 0.5],
		["float_one", 1.0],
		["float_third", 1.0 / 3.0],
		["float_negative_zero", -0.0],
		["float_big", 1e300],
		["float_inf", INF],
		["float_nan", NAN],
		["string_empty", ""],
		["string_ascii", "hello"],
		["string_unicode", "héllo ✓ 😀"],
		["string_long", "x".repeat(1001)],
		["vector2", Vector2(1.5, -2)],
		["vector2i", Vector2i(3, -4)],
		["rect2", Rect2(1, 2, 3, 4.5)],
		["rect2i", Rect2i(1, 2, 3, 4)],
		["vector3", Vector3(1, 2.5, -3)],
		["vector3i", Vector3i(1, -2, 3)],
		["transform2d", Transform2D(Vector2(1, 2), Vector2(3, 4), Vector2(5, 6))],
		["vector4", Vector4(1, 2, 3, 4.5)],
		["vector4i", Vector4i(1, 2, 3, -4)],
		["plane", Plane(Vector3(0, 1, 0), 2.5)],
		["quaternion", Quaternion(0.5, 0.5, 0.5, 0.5)],
		["aabb", AABB(Vector3(1, 2, 3), Vector3(4, 5, 6))],
		["basis", Basis(Vector3(1, 2, 3), Vector3(4, 5, 6), Vector3(7, 8, 9))],
		["transform3d", Transform3D(Basis(Vector3(1, 2, 3), Vector3(4, 5, 6), Vector3(7, 8, 9)), Vector3(10, 11, 12))],
		["projection", Projection(Vector4(1, 2, 3, 4), Vector4(5, 6, 7, 8), Vector4(9, 10, 11, 12), Vector4(13, 14, 15, 16))],
		["color", Color(0.25, 0.5, 0.75, 1)],
		["string_name", &"jump"],
		["node_path_absolute", NodePath("/root/Game:position:x")],
		["node_path_relative", NodePath("a/b:c")],
		["node_path_empty", NodePath("")],
		["node_path_subnames_only", NodePath(":x:y")],
		["rid", RID()],
		["callable", Callable()],
		["signal_empty", Signal()],
		["dictionary", {"a": 1, 2: [3.5, "x"], Vector2(1, 1): null}],
		["dictionary_empty", {}],
		["dictionary_typed", stats],
		["dictionary_typed_keys", by_id],
		["dictionary_nested", {"list": [Vector3i(1, 2, 3), {"deep": PackedInt32Array([1])}], "n": -1.5}],
		["array", [1, "two", 3.5, null, [true]]],
		["array_empty", []],
		["array_typed_int", ints],
		["array_typed_float", floats],
		["array_typed_object", nodes],
		["array_typed_string_name", names],
		["array_typed_vector2", points],
		["array_integral_float", [2.0]],
		["packed_byte", PackedByteArray([0, 1, 254, 255])],
		["packed_byte_empty", PackedByteArray()],
		["packed_int32", PackedInt32Array([1, -2, 2147483647])],
		["packed_int64", PackedInt64Array([1, -9007199254740993])],
		["packed_float32", PackedFloat32Array([0.5, -1.25])],
		["packed_float64", PackedFloat64Array([0.1, 1e300])],
		["packed_string", PackedStringArray(["a", "", "✓"])],
		["packed_vector2", PackedVector2Array([Vector2(1, 2), Vector2(3.5, 4)])],
		["packed_vector3", PackedVector3Array([Vector3(1, 2, 3), Vector3(-4, 5.5, 6)])],
		["packed_color", PackedColorArray([Color(1, 0, 0, 1), Color(0, 0.5, 1, 0.25)])],
		["packed_vector4", PackedVector4Array([Vector4(1, 2, 3, 4)])],
	]
