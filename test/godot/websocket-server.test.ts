import { afterEach, expect, it } from "vitest";
import { OK, WebSocketPeer } from "../../src/index.js";
import { type GodotProcess, startGodot } from "../support/godot.js";
import { describeWithTool } from "../support/tools.js";
import { freePort, patternBytes, patternText, pump } from "../websocket/support.js";

/*
 * gdnet's WebSocketPeer against a real Godot 3.2.3 WebSocketServer. The GDScript echoes
 * every message in the frame type it came in and closes a client when told to.
 */

function serverScript(port: number): string {
  return `extends SceneTree
var server = WebSocketServer.new()

func _init():
	Engine.target_fps = 100
	server.connect("client_connected", self, "_on_connected")
	server.connect("client_disconnected", self, "_on_disconnected")
	server.connect("client_close_request", self, "_on_close_request")
	server.connect("data_received", self, "_on_data")
	server.set_buffers(256, 1024, 256, 1024)
	print("LISTEN ", server.listen(${port}, PoolStringArray(["chat"]), false))

func _on_connected(_id, protocol):
	print("CONNECTED ", protocol)

func _on_disconnected(_id, was_clean):
	print("DISCONNECTED ", was_clean)

func _on_close_request(_id, code, reason):
	print("CLIENT_CLOSE_REQUEST ", code, " ", reason)

func _on_data(id):
	var peer = server.get_peer(id)
	var packet = peer.get_packet()
	if peer.was_string_packet():
		var text = packet.get_string_from_utf8()
		if text.begins_with("close:"):
			server.disconnect_peer(id, int(text.substr(6, 4)), "bye from godot")
			return
		print("TEXT ", packet.size())
		peer.set_write_mode(WebSocketPeer.WRITE_MODE_TEXT)
	else:
		print("BINARY ", packet.size())
		peer.set_write_mode(WebSocketPeer.WRITE_MODE_BINARY)
	peer.put_packet(packet)

func _idle(_delta):
	server.poll()
	return false
`;
}

describeWithTool(
  "godot3-server",
  "WebSocket: gdnet's WebSocketPeer with a Godot 3.2.3 WebSocketServer",
  () => {
    let godot: GodotProcess | undefined;
    afterEach(() => godot?.kill());

    async function startServer(): Promise<number> {
      const port = await freePort();
      godot = startGodot(serverScript(port));
      expect(await godot.waitForLine("LISTEN")).toBe("LISTEN 0");
      return port;
    }

    function connect(port: number, protocols: string[]): WebSocketPeer {
      const peer = new WebSocketPeer();
      peer.supportedProtocols = protocols;
      peer.inboundBufferSize = 200 * 1024;
      peer.outboundBufferSize = 400 * 1024;
      expect(peer.connectToUrl(`ws://127.0.0.1:${port}/`)).toBe(OK);
      return peer;
    }

    it("text stays text, binary stays binary, UTF-8 and 100 KiB messages echo intact; close 4000 is clean both ways", async () => {
      const port = await startServer();
      const peer = connect(port, ["superchat", "chat"]);
      await pump([peer], () => peer.getReadyState() !== WebSocketPeer.STATE_CONNECTING);
      expect(peer.getReadyState()).toBe(WebSocketPeer.STATE_OPEN);
      expect(peer.getSelectedProtocol()).toBe("chat");
      expect(await godot!.waitForLine("CONNECTED")).toBe("CONNECTED chat");

      const bigText = patternText(100 * 1024);
      const sent: [Uint8Array | string, boolean][] = [
        ["hello", true],
        [new Uint8Array([0, 1, 2, 255]), false],
        ["héllo ✓", true],
        [patternBytes(100 * 1024, 3), false],
        [bigText, true],
      ];
      for (const [data] of sent)
        expect(typeof data === "string" ? peer.sendText(data) : peer.send(data)).toBe(OK);
      await pump([peer], () => peer.getAvailablePacketCount() === sent.length);
      for (const [data, isText] of sent) {
        const echo = peer.getPacket();
        expect(peer.wasStringPacket()).toBe(isText);
        if (typeof data === "string") expect(new TextDecoder().decode(echo)).toBe(data);
        else expect(Buffer.from(echo).equals(Buffer.from(data))).toBe(true);
      }
      expect(godot!.lines.filter((l) => /^(TEXT|BINARY)/.test(l))).toEqual([
        "TEXT 5",
        "BINARY 4",
        "TEXT 10",
        `BINARY ${100 * 1024}`,
        `TEXT ${100 * 1024}`,
      ]);

      expect(peer.close(4000, "done")).toBe(OK);
      await pump([peer], () => peer.getReadyState() === WebSocketPeer.STATE_CLOSED);
      expect(peer.getCloseCode()).toBe(4000);
      expect(peer.getCloseReason()).toBe("done");
      expect(await godot!.waitForLine("CLIENT_CLOSE_REQUEST")).toBe("CLIENT_CLOSE_REQUEST 4000 done");
      expect(await godot!.waitForLine("DISCONNECTED")).toBe("DISCONNECTED True");
    });

    it("Godot's disconnect_peer(id, 4000, reason) arrives clean, with the reason's trailing NUL removed", async () => {
      const port = await startServer();
      const peer = connect(port, ["chat"]);
      await pump([peer], () => peer.getReadyState() === WebSocketPeer.STATE_OPEN);
      peer.sendText("early");
      expect(peer.sendText("close:4000")).toBe(OK);
      await pump([peer], () => peer.getReadyState() === WebSocketPeer.STATE_CLOSED);
      expect(peer.getCloseCode()).toBe(4000);
      expect(peer.getCloseReason()).toBe("bye from godot");
      // The echo that arrived before the close is still readable.
      expect(peer.getAvailablePacketCount()).toBe(1);
      expect(new TextDecoder().decode(peer.getPacket())).toBe("early");
      await godot!.waitForLine("DISCONNECTED");
    });

    it("a subprotocol Godot does not support: Godot drops the connection and the peer is CLOSED with -1", async () => {
      const port = await startServer();
      const peer = connect(port, ["foo"]);
      await pump([peer], () => peer.getReadyState() === WebSocketPeer.STATE_CLOSED);
      expect(peer.getCloseCode()).toBe(-1);
      expect(godot!.lines.some((l) => l.startsWith("CONNECTED"))).toBe(false);
    });

    it("the Godot server process killed: the peer is CLOSED with -1", async () => {
      const port = await startServer();
      const peer = connect(port, ["chat"]);
      await pump([peer], () => peer.getReadyState() === WebSocketPeer.STATE_OPEN);
      await godot!.waitForLine("CONNECTED");
      godot!.kill();
      await pump([peer], () => peer.getReadyState() === WebSocketPeer.STATE_CLOSED);
      expect(peer.getCloseCode()).toBe(-1);
      expect(peer.getCloseReason()).toBe("");
    });
  },
);
