extends Node
## A /root/Game whose @rpc list differs from the server's declaration: its checksum does
## not match, so the server refuses it (and Godot prints its checksum error here).

var done := false


func connected(_role: String) -> void:
	aaa.rpc_id(1, "wrong method")
	get_tree().create_timer(1.5).timeout.connect(func(): done = true)


@rpc("any_peer", "reliable")
func aaa(_text) -> void:
	print("aaa ran")


@rpc("authority", "reliable")
func from_server(text, data) -> void:
	print("from_server ", text, " ", data)
