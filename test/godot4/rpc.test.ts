import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Float,
  MultiplayerPeer,
  OK,
  SceneMultiplayer,
  Vector2,
  WebSocketMultiplayerPeer,
} from "../../src/index.js";
import type { Godot4Exit, Godot4Run } from "../support/godot4/engine.js";
import { describeWithGodot4 } from "../support/godot4/suite.js";
import { freePort } from "../websocket/support.js";

/*
 * A gdnet SceneMultiplayer server calling and answering the @rpc functions of real
 * Godot 4.6 clients (the web build, always the client): two clients with the server's
 * method list on /root/Game, and one whose list differs.
 */

const script = (name: string) => readFileSync(new URL(`./scripts/${name}`, import.meta.url), "utf8");
const { RPC_MODE_ANY_PEER, RPC_MODE_AUTHORITY } = SceneMultiplayer;
const reliable = { transferMode: MultiplayerPeer.TRANSFER_MODE_RELIABLE };

/** The @rpc functions of rpc_game.gd, as the server declares them. */
function declareGame(multiplayer: SceneMultiplayer): void {
  const game = "/root/Game";
  multiplayer.rpcConfig(game, "ready_to_play", { ...reliable, rpcMode: RPC_MODE_ANY_PEER });
  multiplayer.rpcConfig(game, "hello_server", { ...reliable, rpcMode: RPC_MODE_ANY_PEER });
  multiplayer.rpcConfig(game, "show", { ...reliable, rpcMode: RPC_MODE_AUTHORITY });
  multiplayer.rpcConfig(game, "from_server", { ...reliable, rpcMode: RPC_MODE_AUTHORITY });
  multiplayer.rpcConfig(game, "secret", {});
  multiplayer.rpcConfig(game, "chat", { ...reliable, rpcMode: RPC_MODE_ANY_PEER, callLocal: true });
  multiplayer.rpcConfig(game, "go", reliable);
  multiplayer.rpcConfig(game, "finish", reliable);
  // rpc_other.gd on /root/Other: zap is declared with Node.rpc_config (node level).
  multiplayer.rpcConfig("/root/Other", "zap", { nodeLevel: true, rpcMode: RPC_MODE_ANY_PEER });
  multiplayer.rpcConfig("/root/Other", "auth_only", { ...reliable, rpcMode: RPC_MODE_AUTHORITY });
}

/** Resolves when `done()` holds, checked after each poll; rejects after `limitMs`. */
function until(done: () => boolean, limitMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const timer = setInterval(() => {
      if (done()) {
        clearInterval(timer);
        resolve();
      } else if (performance.now() - started > limitMs) {
        clearInterval(timer);
        reject(new Error(`${what}: not reached within ${limitMs} ms`));
      }
    }, 5);
  });
}

/** Resolves once something accepts TCP connections on `port` (the server child started); rejects after 10 s. */
async function listening(port: number): Promise<void> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    if (performance.now() > deadline) throw new Error(`nothing listens on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The code blocks of docs/multiplayer.md marked `<!-- rpc-example: name -->`. */
function docExamples(): Map<string, string> {
  const doc = readFileSync(new URL("../../docs/multiplayer.md", import.meta.url), "utf8");
  const found = new Map<string, string>();
  for (const match of doc.matchAll(/<!-- rpc-example: ([\w-]+) -->\s*```\w+\n([\s\S]*?)```/g)) {
    found.set(match[1]!, match[2]!);
  }
  return found;
}

/** A main loop that runs the doc's game script as /root/Game, then moves, breaks a rule, and quits. */
const DOC_MAIN = `extends SceneTree

var game: Node


func _initialize() -> void:
	game = load("res://game.gd").new()
	game.name = "Game"
	root.add_child(game)
	get_multiplayer().connected_to_server.connect(_on_connected)


func _on_connected() -> void:
	await create_timer(0.5).timeout
	game.move.rpc_id(1, Vector2(5, 0.5))
	game.welcome.rpc_id(1, "I am no server", 0)
	await create_timer(1.0).timeout
	quit(0)
`;

describeWithGodot4("SceneMultiplayer RPCs with Godot 4.6 (one browser for every run)", (godot) => {
  describe("Godot 4.6 clients calling and answering a gdnet server's RPCs", () => {
    const calls: string[] = [];
    const refusals: string[] = [];
    const roles = new Map<string, number>();
    const exits: Record<string, Godot4Exit> = {};
    const returns: Record<string, number> = {};
    let peer: WebSocketMultiplayerPeer;
    let multiplayer: SceneMultiplayer;
    let pump: ReturnType<typeof setInterval>;

    beforeAll(async () => {
      peer = new WebSocketMultiplayerPeer();
      expect(peer.createServer(0, "127.0.0.1")).toBe(OK);
      multiplayer = new SceneMultiplayer(peer);
      declareGame(multiplayer);
      multiplayer.rpcReceived.connect((sender, path, method, args) => {
        if (method === "ready_to_play") roles.set(String(args[0]), sender);
        const shown = args.map((arg) =>
          arg instanceof Vector2 ? `Vector2(${arg.x}, ${arg.y})` : JSON.stringify(arg),
        );
        calls.push(
          `${sender} ${path} ${method}(${shown.join(", ")}) remote=${multiplayer.getRemoteSenderId()}`,
        );
      });
      multiplayer.rpcRefused.connect((sender, path, method, reason) => {
        refusals.push(`${sender} ${path} ${method} ${reason}`);
        // The server's own calls skip a peer whose checksum did not match.
        if (reason === "checksum_mismatch" && !roles.has("odd")) {
          roles.set("odd", sender);
          returns.odd = multiplayer.rpc(sender, "/root/Game", "from_server", ["to odd", new Map()]);
        }
      });
      pump = setInterval(() => multiplayer.poll(), 2);
      await until(() => peer.getLocalPort() !== 0, 5000, "the server listening");

      const url = `ws://127.0.0.1:${peer.getLocalPort()}/`;
      const files = {
        "rpc_game.gd": script("rpc_game.gd"),
        "rpc_odd_game.gd": script("rpc_odd_game.gd"),
        "rpc_other.gd": script("rpc_other.gd"),
      };
      const start = (role: string): Godot4Run =>
        godot().run(script("rpc_client.gd"), { files, args: [role, url], timeoutMs: 22_000 });
      const runs = { a: start("a"), b: start("b"), odd: start("odd") };
      const ended = Promise.all(
        Object.entries(runs).map(async ([role, run]) => (exits[role] = await run.exited)),
      );

      await until(() => roles.has("a") && roles.has("b"), 20_000, "both clients ready").catch((error) => {
        console.log(
          JSON.stringify(
            { a: [runs.a.lines, runs.a.errors], b: runs.b.errors, odd: [runs.odd.lines, runs.odd.errors] },
            null,
            1,
          ),
        );
        throw error;
      });
      const a = roles.get("a")!;
      const b = roles.get("b")!;
      // Client a owns /root/Other: its authority RPCs there are accepted, b's are not.
      multiplayer.setMultiplayerAuthority("/root/Other", a);
      returns.zap = multiplayer.rpc(a, "/root/Other", "zap", [9]);
      const data = new Map<string, unknown>([
        ["id", a],
        ["name", "gdnet"],
      ]);
      returns.one = multiplayer.rpc(a, "/root/Game", "show", [
        "text",
        42,
        new Float(2.5),
        0.1,
        new Vector2(1.5, -2),
        data,
        [1, "two", new Float(3)],
      ]);
      returns.all = multiplayer.rpc(0, "/root/Game", "from_server", ["to all", new Map([["n", 300]])]);
      returns.allButB = multiplayer.rpc(-b, "/root/Game", "from_server", ["all but b", new Map()]);
      returns.go = multiplayer.rpc(0, "/root/Game", "go", []);
      await until(
        () =>
          calls.some((c) => c.includes("hello_server")) &&
          refusals.some((r) => r.includes("secret")) &&
          calls.some((c) => c.includes("chat")) &&
          calls.some((c) => c.includes("auth_only")) &&
          refusals.some((r) => r.includes("auth_only")) &&
          runs.a.lines.some((l) => l.startsWith("chat ")),
        15_000,
        "the clients' RPCs",
      );
      returns.finish = multiplayer.rpc(0, "/root/Game", "finish", []);
      await ended;
      await until(() => multiplayer.getPeers().length === 0, 3000, "every client gone");
    }, 28_000);

    afterAll(() => {
      clearInterval(pump);
      peer?.close();
    });

    it("every client ran and quit cleanly, and the server's rpc() calls returned OK", () => {
      expect(Object.fromEntries(Object.entries(exits).map(([role, exit]) => [role, exit.code]))).toEqual({
        a: 0,
        b: 0,
        odd: 0,
      });
      expect(returns).toEqual({ zap: OK, one: OK, all: OK, allButB: OK, go: OK, odd: OK, finish: OK });
      expect(multiplayer.getPeers()).toEqual([]);
    });

    it("the server's authority RPC to one client prints String, int, float, Vector2, Dictionary and Array right in Godot", () => {
      const a = roles.get("a")!;
      expect(exits.a!.lines.filter((line) => line.startsWith("show "))).toEqual([
        `show sender=1 String:"text" int:42 float:2.5 float:0.1 Vector2:Vector2(1.5, -2) Dictionary:{"id": ${a},"name": "gdnet"} Array:[1, "two", 3.0]`,
      ]);
      expect(exits.b!.lines.filter((line) => line.startsWith("show "))).toEqual([]);
    });

    it("rpc(0, ...) reaches every client and rpc(-id, ...) all but that one", () => {
      expect(exits.a!.lines.filter((line) => line.startsWith("from_server "))).toEqual([
        'from_server sender=1 String:"to all" Dictionary:{"n": 300}',
        'from_server sender=1 String:"all but b" Dictionary:{}',
      ]);
      expect(exits.b!.lines.filter((line) => line.startsWith("from_server "))).toEqual([
        'from_server sender=1 String:"to all" Dictionary:{"n": 300}',
      ]);
    });

    it("a client's rpc_id(1, ...) arrives in rpcReceived with its sender and decoded arguments", () => {
      const a = roles.get("a")!;
      expect(calls).toContain(`${a} /root/Game hello_server("hi", 7, Vector2(1.5, -2)) remote=${a}`);
    });

    it("a client's authority RPC to the server is refused", () => {
      const a = roles.get("a")!;
      expect(refusals).toContain(`${a} /root/Game secret not_allowed`);
      expect(calls.some((line) => line.includes("secret"))).toBe(false);
    });

    it("a client's rpc() reaches the other client (through the relay) and the server; call_local runs on the caller", () => {
      const b = roles.get("b")!;
      expect(calls).toContain(`${b} /root/Game chat("broadcast from B") remote=${b}`);
      expect(exits.a!.lines).toContain(`chat sender=${b} String:"broadcast from B"`);
      expect(exits.b!.lines).toContain(`chat sender=${b} String:"broadcast from B"`);
    });

    it("a node-level (rpc_config) method works both ways, and a node owned by a client takes its authority RPCs only", () => {
      const [a, b] = [roles.get("a")!, roles.get("b")!];
      expect(calls).toContain(`${a} /root/Other zap(5) remote=${a}`);
      expect(exits.a!.lines).toContain("zap sender=1 x=9");
      expect(calls).toContain(`${a} /root/Other auth_only() remote=${a}`);
      expect(refusals).toContain(`${b} /root/Other auth_only not_allowed`);
      expect(calls.filter((line) => line.startsWith(`${b} /root/Other`))).toEqual([]);
    });

    it("a client whose script declares other methods is refused with Godot's checksum message, and nothing crashes", () => {
      const odd = roles.get("odd")!;
      // Its SIMPLIFY_PATH and its call are refused; its CONFIRM_PATH too when the server's
      // rpc(0, ...) reached it before the server knew.
      const refusedOdd = refusals.filter((line) => line.startsWith(`${odd} `));
      expect(refusedOdd.length).toBeGreaterThanOrEqual(2);
      expect(new Set(refusedOdd)).toEqual(new Set([`${odd} /root/Game  checksum_mismatch`]));
      expect(exits.odd!.errors.some((line) => line.includes("The rpc node checksum failed"))).toBe(true);
      expect(exits.odd!.lines.some((line) => line.includes("to odd"))).toBe(false);
      expect(calls.some((line) => line.startsWith(`${odd} `))).toBe(false);
    });
  });

  describe("docs/multiplayer.md: the authoritative server and its game script", () => {
    let server: ChildProcess | undefined;

    afterAll(() => {
      server?.kill("SIGKILL");
    });

    it("a Godot 4.6 game running the doc's script joins the doc's server, is welcomed, moves as the server allows, and a forbidden call is refused", async () => {
      const examples = docExamples();
      expect([...examples.keys()]).toEqual(["game", "server"]);
      const port = await freePort();
      const js = (
        await transform(examples.get("server")!.replaceAll("9080", String(port)), {
          loader: "ts",
          format: "esm",
        })
      ).code;
      const dir = new URL("../.tmp/", import.meta.url);
      mkdirSync(dir, { recursive: true });
      const file = fileURLToPath(new URL("docs-rpc-server.mjs", dir));
      writeFileSync(file, js);
      server = spawn(process.execPath, [file], { stdio: ["ignore", "pipe", "inherit"] });
      let output = "";
      server.stdout!.setEncoding("utf8");
      server.stdout!.on("data", (chunk: string) => {
        output += chunk;
      });
      await listening(port);
      const gameScript = examples.get("game")!.replace("ws://localhost:9080", `ws://127.0.0.1:${port}`);
      const exit = await godot().run(DOC_MAIN, { files: { "game.gd": gameScript }, timeoutMs: 15_000 })
        .exited;
      const id = Number(exit.lines.find((line) => / is at /.test(line))?.split(" ")[0]);
      expect(exit.lines).toContain("welcome, Ada (1 players)");
      expect(exit.lines).toContain(`${id} is at (1.0, 0.5)`);
      expect(exit.code).toBe(0);
      await until(() => output.includes("refused"), 3000, "the refusal");
      expect(output.trim()).toBe(`${id}: /root/Game welcome refused (not_allowed)`);
    }, 28_000);
  });
});
