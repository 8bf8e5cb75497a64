extends Node
## /root/Other: a node-level RPC (Node.rpc_config, method id with bit 15) beside a script
## @rpc, and an authority the server hands to one client.


func _ready() -> void:
	rpc_config("zap", {"rpc_mode": MultiplayerAPI.RPC_MODE_ANY_PEER})


func zap(x) -> void:
	print("zap sender=", multiplayer.get_remote_sender_id(), " x=", x)


@rpc("authority", "reliable")
func auth_only() -> void:
	print("auth_only ran")
