import { afterEach, expect, it } from "vitest";
import { OK, type WebSocketPeer, WebSocketServer } from "../../src/index.js";
import { type GodotProcess, startGodot } from "../support/godot.js";
import { describeWithTool } from "../support/tools.js";
import { patternBytes, patternText, pump } from "../websocket/support.js";

/*
 * A real Godot 3.2.3 WebSocketClient against gdnet's WebSocketServer. The GDScript
 * echoes every message back in the frame type it came in, prints what it saw, and closes
 * when told to; gdnet checks the echoes and what each side reported.
 */

function clientScript(port: number, protocols: string[]): string {
  return `extends SceneTree
var client = WebSocketClient.new()
var done = false

func _init():
	Engine.target_fps = 100
	client.connect("connection_established", self, "_on_established")
	client.connect("connection_closed", self, "_on_closed")
	client.connect("connection_error", self, "_on_error")
	client.connect("data_received", self, "_on_data")
	client.connect("server_close_request", self, "_on_close_request")
	client.set_buffers(256, 1024, 256, 1024)
	print("CONNECT ", client.connect_to_url("ws://127.0.0.1:${port}/godot", PoolStringArray(${JSON.stringify(protocols)}), false))

func _on_established(protocol):
	print("ESTABLISHED ", protocol)

func _on_error():
	print("ERROR")
	done = true

func _on_closed(was_clean):
	print("CLOSED ", was_clean)
	done = true

func _on_close_request(code, reason):
	print("SERVER_CLOSE_REQUEST ", code, " ", reason)

func _on_data():
	var peer = client.get_peer(1)
	var packet = peer.get_packet()
	if peer.was_string_packet():
		var text = packet.get_string_from_utf8()
		if text.begins_with("close:"):
			print("CLOSING")
			client.disconnect_from_host(int(text.substr(6, 4)), "bye from godot")
			return
		print("TEXT ", packet.size(), " ", text.substr(0, 12))
		peer.set_write_mode(WebSocketPeer.WRITE_MODE_TEXT)
	else:
		print("BINARY ", packet.size())
		peer.set_write_mode(WebSocketPeer.WRITE_MODE_BINARY)
	peer.put_packet(packet)

func _idle(_delta):
	client.poll()
	if done:
		quit()
	return false
`;
}

interface Recorded {
  server: WebSocketServer;
  events: string[];
}

function startServer(): Recorded {
  const server = new WebSocketServer();
  const events: string[] = [];
  server.clientConnected.connect((_id, protocol) => events.push(`connected "${protocol}"`));
  server.clientCloseRequest.connect((_id, code, reason) => events.push(`close-request ${code} "${reason}"`));
  server.clientDisconnected.connect((_id, clean) => events.push(`disconnected ${clean}`));
  expect(
    server.listen(0, {
      supportedProtocols: ["chat", "superchat"],
      inboundBufferSize: 200 * 1024,
      outboundBufferSize: 400 * 1024,
    }),
  ).toBe(OK);
  return { server, events };
}

describeWithTool("godot3-server", "WebSocket: a Godot 3.2.3 client with gdnet's WebSocketServer", () => {
  let godot: GodotProcess | undefined;
  let server: WebSocketServer | undefined;
  afterEach(() => {
    godot?.kill();
    server?.stop();
  });

  it("text stays text, binary stays binary, UTF-8 and 100 KiB messages echo intact; Godot's close 4000 arrives clean", async () => {
    const recorded = startServer();
    server = recorded.server;
    godot = startGodot(clientScript(server.getLocalPort(), ["chat", "superchat"]));
    await pump([server], () => server!.getPeerCount() === 1);
    const id = server.getPeerIds()[0]!;
    const peer = server.getPeer(id)!;
    expect(await godot.waitForLine("ESTABLISHED")).toBe("ESTABLISHED chat");
    expect(recorded.events).toEqual(['connected "chat"']);
    expect(peer.getRequestedUrl()).toBe(`ws://127.0.0.1:${server.getLocalPort()}/godot`);

    const big = patternBytes(100 * 1024);
    const bigText = patternText(100 * 1024);
    const sent: [Uint8Array | string, boolean][] = [
      ["hello", true],
      [new Uint8Array([0, 1, 2, 255]), false],
      ["héllo ✓", true],
      [big, false],
      [bigText, true],
    ];
    for (const [data] of sent) {
      expect(typeof data === "string" ? peer.sendText(data) : peer.send(data)).toBe(OK);
    }
    await pump([server], () => peer.getAvailablePacketCount() === sent.length);
    for (const [data, isText] of sent) {
      const echo = peer.getPacket();
      expect(peer.wasStringPacket()).toBe(isText);
      if (typeof data === "string") expect(new TextDecoder().decode(echo)).toBe(data);
      else expect(Buffer.from(echo).equals(Buffer.from(data))).toBe(true);
    }
    expect(godot.lines.filter((l) => /^(TEXT|BINARY)/.test(l))).toEqual([
      "TEXT 5 hello",
      "BINARY 4",
      "TEXT 10 héllo ✓",
      `BINARY ${100 * 1024}`,
      `TEXT ${100 * 1024} ${bigText.slice(0, 12)}`,
    ]);

    peer.sendText("close:4000");
    await pump([server], () => server!.getPeerCount() === 0);
    // Godot 3 puts a NUL after the reasons it sends; gdnet reports the reason without it.
    expect(recorded.events.slice(1)).toEqual(['close-request 4000 "bye from godot"', "disconnected true"]);
    expect(peer.getCloseCode()).toBe(4000);
    expect(await godot.waitForLine("CLOSED")).toMatch(/^CLOSED (True|False)$/);
  });

  it("disconnectPeer(id, 4000, reason) reaches Godot as server_close_request and a clean close", async () => {
    const recorded = startServer();
    server = recorded.server;
    godot = startGodot(clientScript(server.getLocalPort(), ["chat"]));
    await pump([server], () => server!.getPeerCount() === 1);
    const id = server.getPeerIds()[0]!;
    expect(server.disconnectPeer(id, 4000, "kick")).toBe(OK);
    await pump([server], () => server!.getPeerCount() === 0);
    expect(recorded.events).toEqual(['connected "chat"', "disconnected true"]);
    expect(await godot.waitForLine("SERVER_CLOSE_REQUEST")).toBe("SERVER_CLOSE_REQUEST 4000 kick");
    expect(await godot.waitForLine("CLOSED")).toBe("CLOSED True");
  });

  it("a Godot client offering none of the server's subprotocols is refused: Godot reports connection_error", async () => {
    const recorded = startServer();
    server = recorded.server;
    godot = startGodot(clientScript(server.getLocalPort(), ["foo"]));
    const exited = godot.exited;
    await pump([server], () => godot!.lines.includes("ERROR"), 10_000);
    await exited;
    expect(godot.lines).toContain("CONNECT 0");
    expect(godot.lines.some((l) => l.startsWith("ESTABLISHED"))).toBe(false);
    expect(recorded.events).toEqual([]);
  });

  it("the Godot process killed: the server reports clientDisconnected(id, false)", async () => {
    const recorded = startServer();
    server = recorded.server;
    godot = startGodot(clientScript(server.getLocalPort(), ["chat"]));
    await pump([server], () => server!.getPeerCount() === 1);
    await godot.waitForLine("ESTABLISHED");
    const id = server.getPeerIds()[0]!;
    const peer: WebSocketPeer = server.getPeer(id)!;
    godot.kill();
    await pump([server], () => server!.getPeerCount() === 0);
    expect(recorded.events).toEqual(['connected "chat"', "disconnected false"]);
    expect(peer.getCloseCode()).toBe(-1);
  });
});
