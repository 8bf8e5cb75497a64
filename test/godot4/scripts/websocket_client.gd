extends SceneTree
## A Godot 4 WebSocketPeer client, driven by the server it connects to.
## User args: <url> <comma-separated subprotocols, or "-">.
## Prints "STATE <n>" on every state change (0 connecting, 1 open, 2 closing, 3 closed),
## "PROTOCOL <p>" when open, "TEXT <text>" / "BINARY <hex>" for each message (and echoes
## it back in the same frame type), and "CLOSED <code> <reason>" at the end, then quits.
## A text message "close <code> <reason>" makes it call close(code, reason) and print
## "CLOSE_CALLED <code>".

var socket := WebSocketPeer.new()
var last_state := -1


func _initialize() -> void:
	var args := OS.get_cmdline_user_args()
	if args[1] != "-":
		socket.supported_protocols = PackedStringArray(args[1].split(","))
	print("CONNECT ", socket.connect_to_url(args[0]))


func _process(_delta: float) -> bool:
	socket.poll()
	var state := socket.get_ready_state()
	if state != last_state:
		last_state = state
		print("STATE ", state)
		if state == WebSocketPeer.STATE_OPEN:
			print("PROTOCOL ", socket.get_selected_protocol())
	while socket.get_available_packet_count() > 0:
		var packet := socket.get_packet()
		if socket.was_string_packet():
			var text := packet.get_string_from_utf8()
			if text.begins_with("close "):
				var parts := text.split(" ", true, 2)
				print("CLOSE_CALLED ", parts[1])
				socket.close(int(parts[1]), parts[2])
				continue
			print("TEXT ", text)
			socket.send_text(text)
		else:
			print("BINARY ", packet.hex_encode())
			socket.send(packet, WebSocketPeer.WRITE_MODE_BINARY)
	if state == WebSocketPeer.STATE_CLOSED:
		print("CLOSED ", socket.get_close_code(), " ", socket.get_close_reason())
		quit(0)
	return false
