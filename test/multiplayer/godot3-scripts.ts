/*
 * GDScript for Godot 3.2.3 (`godot3-server`) games in the multiplayer interop tests.
 *
 * The client is a small game: a node at /root/Game with `remote`, `remotesync` and
 * `master` functions, the SceneTree's network_peer set to a WebSocketClient in
 * multiplayer mode (polled by the SceneTree every frame), and a line printed for
 * everything it sees. It takes orders from the server as `send_bytes` packets from
 * peer 1 starting with "cmd:", so a test can make it call RPCs and send bytes; it
 * answers bytes starting with "echo:" from any peer with "echoed:" and the rest; and it
 * greets every other client that joins with `send_bytes("hi")`.
 */

/** A Godot 3 game client joining `url`; prints `ID <own id>` once connected. */
export function godot3ClientScript(url: string): string {
  return `extends SceneTree

class Game extends Node:
	var main

	remote func hello(text, number):
		var sender = get_tree().get_rpc_sender_id()
		main.say("HELLO %d %s %d" % [sender, text, number])
		rpc_id(sender, "answer", "re:" + text)

	remote func answer(text):
		main.say("ANSWER %d %s" % [get_tree().get_rpc_sender_id(), text])

	remotesync func shout(text):
		main.say("SHOUT %d %s" % [get_tree().get_rpc_sender_id(), text])

	master func to_master(text):
		main.say("MASTER %d %s" % [get_tree().get_rpc_sender_id(), text])

var client = WebSocketClient.new()
var game = Game.new()

func say(line):
	print(line)

func _initialize():
	Engine.target_fps = 100
	game.main = self
	game.name = "Game"
	root.add_child(game)
	connect("network_peer_connected", self, "_on_peer_connected")
	connect("network_peer_disconnected", self, "_on_peer_disconnected")
	connect("connected_to_server", self, "_on_connected")
	connect("connection_failed", self, "_on_failed")
	connect("server_disconnected", self, "_on_server_disconnected")
	multiplayer.connect("network_peer_packet", self, "_on_packet")
	print("CONNECT ", client.connect_to_url("${url}", PoolStringArray(), true))
	network_peer = client

func _on_peer_connected(id):
	print("PEER_CONNECTED ", id)
	if id != 1:
		multiplayer.send_bytes("hi".to_utf8(), id)

func _on_peer_disconnected(id):
	print("PEER_DISCONNECTED ", id)

func _on_connected():
	print("ID ", get_network_unique_id())

func _on_failed():
	print("CONNECTION_FAILED")
	quit()

func _on_server_disconnected():
	print("SERVER_DISCONNECTED")
	quit()

func _on_packet(id, packet):
	print("PACKET ", id, " ", packet.hex_encode())
	var text = packet.get_string_from_ascii()
	if id == 1 and text.begins_with("cmd:"):
		_run(text.substr(4, text.length() - 4).split(" "))
	elif text.begins_with("echo:"):
		multiplayer.send_bytes(("echoed:" + text.substr(5, text.length() - 5)).to_utf8(), id)

func _run(words):
	var order = words[0]
	if order == "rpc_id":
		game.rpc_id(int(words[1]), "hello", words[2], 7)
	elif order == "rpc":
		game.rpc("shout", words[1])
	elif order == "master":
		game.rpc_id(1, "to_master", words[1])
	elif order == "bytes":
		print("SEND_BYTES ", multiplayer.send_bytes(_unhex(words[2]), int(words[1])))
	elif order == "leave":
		client.disconnect_from_host(1000, "bye")
	elif order == "quit":
		quit()

func _unhex(text):
	var out = PoolByteArray()
	for i in range(0, text.length(), 2):
		out.append(("0x" + text.substr(i, 2)).hex_to_int())
	return out
`;
}

/**
 * A Godot 3 game server: `WebSocketServer.listen(port, [], true)` as the SceneTree's
 * network_peer, relaying between its clients; prints `LISTEN <error>`, the peers it sees
 * and the `send_bytes` packets addressed to it.
 */
export function godot3ServerScript(port: number): string {
  return `extends SceneTree

var server = WebSocketServer.new()

func _initialize():
	Engine.target_fps = 100
	connect("network_peer_connected", self, "_on_peer_connected")
	connect("network_peer_disconnected", self, "_on_peer_disconnected")
	multiplayer.connect("network_peer_packet", self, "_on_packet")
	print("LISTEN ", server.listen(${port}, PoolStringArray(), true))
	network_peer = server

func _on_peer_connected(id):
	print("PEER_CONNECTED ", id)

func _on_peer_disconnected(id):
	print("PEER_DISCONNECTED ", id)

func _on_packet(id, packet):
	print("PACKET ", id, " ", packet.hex_encode())
`;
}
