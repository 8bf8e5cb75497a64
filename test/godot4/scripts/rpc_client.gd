extends SceneTree
## A Godot 4 game client for the RPC tests: a node /root/Game carrying res://rpc_game.gd
## (or, for the role "odd", res://rpc_odd_game.gd, whose @rpc list differs), connected to
## the gdnet server at the URL given. User arguments: <role> <url>.

var role := ""
var quit_at := -1.0


func _initialize() -> void:
	var args := OS.get_cmdline_user_args()
	role = args[0]
	var script: GDScript = load("res://rpc_odd_game.gd" if role == "odd" else "res://rpc_game.gd")
	var game: Node = script.new()
	game.name = "Game"
	root.add_child(game)
	var other: Node = load("res://rpc_other.gd").new()
	other.name = "Other"
	root.add_child(other)
	var peer := WebSocketMultiplayerPeer.new()
	print("create_client ", peer.create_client(args[1]))
	get_multiplayer().multiplayer_peer = peer
	get_multiplayer().connected_to_server.connect(_on_connected.bind(game))
	get_multiplayer().server_disconnected.connect(func(): print("server_disconnected"))


func _on_connected(game: Node) -> void:
	print("connected ", get_multiplayer().get_unique_id())
	game.connected(role)


func _process(_delta: float) -> bool:
	var game := root.get_node_or_null("Game")
	if game != null and game.done and quit_at < 0:
		quit_at = Time.get_ticks_msec() + 300.0
	if quit_at >= 0 and Time.get_ticks_msec() >= quit_at:
		print("bye")
		quit(0)
	return false
