class_name RelayGame
extends Node
## The game node of relay_main.gd. It joins the gdnet server at the URL in the first user
## argument (the second names this client in what it prints), prints what its
## SceneMultiplayer reports, and obeys commands the server sends as raw bytes
## (send_bytes), so a test can drive two clients:
##   "bytes_to <id> <text>"  send_bytes(text) to peer id (1 = the server)
##   "rpc_id <id> <text>"    hello.rpc_id(id, text)
##   "rpc <text>"            hello.rpc(text): every other peer, the server included
##   "leave"                 close the connection and quit

var who := ""


# In _ready: a peer this node set on its `multiplayer` while the main script's
# _initialize() was adding it was never polled (observed on the 4.6 web build).
func _ready() -> void:
	var args := OS.get_cmdline_user_args()
	var url := args[0]
	who = args[1]
	multiplayer.connected_to_server.connect(_on_connected)
	multiplayer.connection_failed.connect(_on_failed)
	multiplayer.server_disconnected.connect(_on_server_disconnected)
	multiplayer.peer_connected.connect(_on_peer_connected)
	multiplayer.peer_disconnected.connect(_on_peer_disconnected)
	multiplayer.peer_packet.connect(_on_peer_packet)
	var peer := WebSocketMultiplayerPeer.new()
	print("CREATE ", peer.create_client(url))
	multiplayer.multiplayer_peer = peer


func _on_connected() -> void:
	print("CONNECTED ", multiplayer.get_unique_id())


func _on_failed() -> void:
	print("FAILED")
	get_tree().quit(1)


func _on_server_disconnected() -> void:
	print("SERVER_DISCONNECTED")
	get_tree().quit(0)


func _on_peer_connected(id: int) -> void:
	print("PEER_CONNECTED ", id)


func _on_peer_disconnected(id: int) -> void:
	print("PEER_DISCONNECTED ", id)


func _on_peer_packet(id: int, bytes: PackedByteArray) -> void:
	var text := bytes.get_string_from_utf8()
	print("PACKET ", id, " ", text)
	if id != 1:
		return
	var parts := text.split(" ", true, 2)
	match parts[0]:
		"bytes_to":
			print("SEND ", multiplayer.send_bytes(parts[2].to_utf8_buffer(), int(parts[1])))
		"rpc_id":
			hello.rpc_id(int(parts[1]), parts[2])
		"rpc":
			hello.rpc(text.substr(4))
		"leave":
			multiplayer.multiplayer_peer.close()
			get_tree().quit(0)


@rpc("any_peer", "reliable")
func hello(text: String) -> void:
	print("HELLO ", multiplayer.get_remote_sender_id(), " ", who, " got ", text)
