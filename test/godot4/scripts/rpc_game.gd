extends Node
## The @rpc functions the gdnet server declares with rpcConfig on /root/Game. Each prints
## what it received with the type of every argument, so the test can check both.

var role := ""
var done := false


func connected(my_role: String) -> void:
	role = my_role
	ready_to_play.rpc_id(1, role)


func describe(values: Array) -> String:
	var parts := PackedStringArray()
	for value in values:
		parts.append("%s:%s" % [type_string(typeof(value)), var_to_str(value).replace("\n", "")])
	return " ".join(parts)


@rpc("any_peer", "reliable")
func ready_to_play(_role: String) -> void:
	pass


@rpc("any_peer", "reliable")
func hello_server(_text, _number, _position) -> void:
	pass


@rpc("authority", "reliable")
func show(a, b, c, d, e, f, g) -> void:
	print("show sender=", multiplayer.get_remote_sender_id(), " ", describe([a, b, c, d, e, f, g]))


@rpc("authority", "reliable")
func from_server(text, data) -> void:
	print("from_server sender=", multiplayer.get_remote_sender_id(), " ", describe([text, data]))


@rpc
func secret(_x) -> void:
	print("secret ran")


@rpc("any_peer", "call_local", "reliable")
func chat(text) -> void:
	print("chat sender=", multiplayer.get_remote_sender_id(), " ", describe([text]))


@rpc("authority", "reliable")
func go() -> void:
	print("go")
	var other = get_node("/root/Other")
	if role == "a":
		hello_server.rpc_id(1, "hi", 7, Vector2(1.5, -2))
		secret.rpc_id(1, 5)
		other.zap.rpc_id(1, 5)
		other.auth_only.rpc_id(1)
	elif role == "b":
		chat.rpc("broadcast from B")
		other.auth_only.rpc_id(1)


@rpc("authority", "reliable")
func finish() -> void:
	print("finish")
	done = true
