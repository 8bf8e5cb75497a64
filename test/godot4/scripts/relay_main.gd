extends SceneTree
## A Godot 4 game client: /root/Game (RelayGame, which joins in its _ready()).


func _initialize() -> void:
	var game := RelayGame.new()
	game.name = "Game"
	root.add_child(game)
