extends SceneTree
## Prints var_to_bytes of every value in VariantCases ("bytes <name> <hex>"), then
## decodes the bytes gdnet made for the same names (res://gdnet_bytes.txt, one
## "<name> <hex>" a line) and says whether each is what Godot's own bytes for the value
## decode to ("decoded <name> same|differs <var_to_str>"). That is the value GDScript
## built, except where Godot's own round trip changes it (an Array[Node] sent without
## objects comes back as Array[EncodedObjectAsID]). Last, what bytes_to_var makes of
## inputs that are not all well formed.


func _initialize() -> void:
	var expected := {}
	for case in VariantCases.values():
		expected[case[0]] = case[1]
		print("bytes ", case[0], " ", var_to_bytes(case[1]).hex_encode())

	# Objects: by id (the default), in full (var_to_bytes_with_objects), and in a Signal.
	var node := Node.new()
	var resource := Resource.new()
	resource.resource_name = "gdnet"
	print("bytes object_id ", var_to_bytes(node).hex_encode(), " ", node.get_instance_id())
	print("bytes object_full ", var_to_bytes_with_objects(resource).hex_encode())
	print("bytes signal_object ", var_to_bytes(Signal(node, &"ready")).hex_encode(), " ", node.get_instance_id())

	for line in FileAccess.get_file_as_string("res://gdnet_bytes.txt").split("\n", false):
		var parts := line.split(" ")
		var name := parts[0]
		var bytes := parts[1].hex_decode()
		if name == "object_id":
			var wrapper = bytes_to_var(bytes)
			print("decoded object_id ", wrapper.get_class(), " ", wrapper.get_object_id())
		elif name == "object_full":
			var object = bytes_to_var_with_objects(bytes)
			print("decoded object_full ", object.get_class(), " ", object.resource_name)
		else:
			var value = bytes_to_var(bytes)
			var text := var_to_str(value).replace("\n", " ")
			var own_round_trip = bytes_to_var(var_to_bytes(expected[name]))
			var same := text == var_to_str(own_round_trip).replace("\n", " ")
			print("decoded ", name, " ", "same" if same else "differs", " ", text)
	# Inputs that are not all well formed (res://gdnet_malformed.txt, "<name> <hex>"):
	# what bytes_to_var makes of each, re-encoded ("malformed <name> <hex> <var_to_str>").
	for line in FileAccess.get_file_as_string("res://gdnet_malformed.txt").split("\n", false):
		var parts := line.split(" ")
		var value = bytes_to_var(parts[1].hex_decode())
		print("malformed ", parts[0], " ", var_to_bytes(value).hex_encode(), " ", var_to_str(value))
	print("done")
	node.free()
	quit(0)
