import { afterEach, expect, it } from "vitest";
import { Float, OK, SceneMultiplayer, Vector2, WebSocketServer } from "../../src/index.js";
import { type GodotProcess, startGodot } from "../support/godot.js";
import { describeWithTool } from "../support/tools.js";
import { pump } from "../websocket/support.js";

/*
 * Godot 3.2.3 game clients (godot3-server) and a gdnet server speaking Godot 3's RPCs
 * over gd_mp_api: method names on the wire, modes enforced by the receiver, the server
 * master of /root/Game.
 */

const { REMOTE, MASTER, PUPPET } = SceneMultiplayer.Godot3RpcMode;

/** A Godot 3 client whose /root/Game has remote, puppet and master functions; it calls the server once connected. */
function clientScript(url: string): string {
  return `extends SceneTree

class Game extends Node:
	func describe(values):
		var parts = []
		for value in values:
			parts.append("%d:%s" % [typeof(value), var2str(value).replace("\\n", "")])
		return PoolStringArray(parts).join(" ")

	remote func from_server(a, b, c, d, e, f):
		print("REMOTE ", get_tree().get_rpc_sender_id(), " ", describe([a, b, c, d, e, f]))

	puppet func puppet_update(position):
		print("PUPPET ", get_tree().get_rpc_sender_id(), " ", describe([position]))

	master func master_only(x):
		print("MASTER_RAN ", x)

	remote func bye():
		print("BYE")
		get_tree().quit()

var client = WebSocketClient.new()
var game = Game.new()

func _initialize():
	Engine.target_fps = 100
	game.name = "Game"
	root.add_child(game)
	connect("connected_to_server", self, "_on_connected")
	print("CONNECT ", client.connect_to_url("${url}", PoolStringArray(), true))
	network_peer = client

func _on_connected():
	print("ID ", get_network_unique_id())
	game.rpc_id(1, "hello", "hi", 7, Vector2(1.5, -2))
	game.rpc_id(1, "to_master", "m")
	game.rpc_id(1, "to_puppet", "p")
	game.rpc_id(1, "nope")
`;
}

describeWithTool("godot3-server", "Godot 3 RPCs: Godot 3.2.3 clients and a gdnet server", () => {
  const games: GodotProcess[] = [];
  let server: WebSocketServer;

  afterEach(() => {
    for (const game of games.splice(0)) game.kill();
    server?.stop();
  });

  it("rpc_id(1, ...) reaches the server with its sender and arguments; the server's rpc/rpc_id reach remote and puppet functions; modes are enforced both ways", async () => {
    server = new WebSocketServer();
    expect(server.listen(0, { gdMpApi: true, bindAddress: "127.0.0.1" })).toBe(OK);
    const multiplayer = new SceneMultiplayer(server);
    for (const [method, rpcMode] of [
      ["hello", REMOTE],
      ["to_master", MASTER],
      ["to_puppet", PUPPET],
      ["from_server", REMOTE],
      ["puppet_update", PUPPET],
      ["master_only", MASTER],
      ["bye", REMOTE],
    ] as const) {
      multiplayer.rpcConfig("/root/Game", method, { rpcMode });
    }
    const calls: string[] = [];
    const refusals: string[] = [];
    multiplayer.rpcReceived.connect((sender, path, method, args) => {
      const shown = args.map((arg) =>
        arg instanceof Vector2 ? `Vector2(${arg.x}, ${arg.y})` : JSON.stringify(arg),
      );
      calls.push(
        `${sender} ${path} ${method}(${shown.join(", ")}) remote=${multiplayer.getRemoteSenderId()}`,
      );
    });
    multiplayer.rpcRefused.connect((sender, path, method, reason) =>
      refusals.push(`${sender} ${path} ${method} ${reason}`),
    );
    await pump([multiplayer], () => server.getLocalPort() !== 0);
    const url = `ws://127.0.0.1:${server.getLocalPort()}/`;
    games.push(startGodot(clientScript(url)), startGodot(clientScript(url)));
    const [a, b] = games as [GodotProcess, GodotProcess];
    const idOf = async (game: GodotProcess) => {
      await pump([multiplayer], () => game.lines.some((line) => line.startsWith("ID ")), 20_000);
      return Number(game.lines.find((line) => line.startsWith("ID "))!.slice(3));
    };
    const [idA, idB] = [await idOf(a), await idOf(b)];
    await pump([multiplayer], () => calls.length === 4 && refusals.length === 4, 10_000);

    for (const id of [idA, idB]) {
      expect(calls).toContain(`${id} /root/Game hello("hi", 7, Vector2(1.5, -2)) remote=${id}`);
      expect(calls).toContain(`${id} /root/Game to_master("m") remote=${id}`);
      expect(refusals).toContain(`${id} /root/Game to_puppet not_allowed`);
      expect(refusals).toContain(`${id} /root/Game nope undeclared_method`);
    }

    const data = new Map<string, unknown>([["id", idA]]);
    expect(
      multiplayer.rpc(idA, "/root/Game", "from_server", [
        "text",
        42,
        new Float(2.5),
        new Vector2(1.5, -2),
        data,
        [1, "two"],
      ]),
    ).toBe(OK);
    expect(multiplayer.rpc(0, "/root/Game", "puppet_update", [new Vector2(3, 4)])).toBe(OK);
    expect(multiplayer.rpc(-idA, "/root/Game", "puppet_update", [new Vector2(5, 6)])).toBe(OK);
    expect(multiplayer.rpc(idA, "/root/Game", "master_only", [1])).toBe(OK);
    // The server is the master here: a master function called on everyone runs only here.
    expect(multiplayer.rpc(0, "/root/Game", "to_master", ["self"])).toBe(OK);
    expect(calls.at(-1)).toBe(`1 /root/Game to_master("self") remote=1`);
    await pump(
      [multiplayer],
      () => b.lines.filter((line) => line.startsWith("PUPPET ")).length === 2,
      10_000,
    );
    await pump([multiplayer], () => a.lines.some((line) => line.startsWith("PUPPET ")), 10_000);
    expect(multiplayer.rpc(0, "/root/Game", "bye", [])).toBe(OK);
    const [exitA, exitB] = await Promise.all([a.exited, b.exited]);

    expect(a.lines.filter((line) => line.startsWith("REMOTE "))).toEqual([
      `REMOTE 1 4:"text" 2:42 3:2.5 5:Vector2( 1.5, -2 ) 18:{"id": ${idA}} 19:[ 1, "two" ]`,
    ]);
    expect(a.lines.filter((line) => line.startsWith("PUPPET "))).toEqual(["PUPPET 1 5:Vector2( 3, 4 )"]);
    expect(b.lines.filter((line) => line.startsWith("PUPPET "))).toEqual([
      "PUPPET 1 5:Vector2( 3, 4 )",
      "PUPPET 1 5:Vector2( 5, 6 )",
    ]);
    expect(b.lines.some((line) => line.startsWith("REMOTE "))).toBe(false);
    expect(a.lines).not.toContain("MASTER_RAN 1");
    expect(exitA.stderr).toContain("RPC 'master_only' is not allowed on node /root/Game from: 1");
    expect(exitA.stderr).not.toMatch(/to_master/);
    expect([exitA.code, exitB.code]).toEqual([0, 0]);
  }, 28_000);
});
