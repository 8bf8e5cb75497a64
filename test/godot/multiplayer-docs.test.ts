import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";
import { afterEach, describe, expect, it } from "vitest";
import { OK, SceneMultiplayer, WebSocketMultiplayerPeer } from "../../src/index.js";
import { type GodotProcess, startGodot } from "../support/godot.js";
import { describeWithTool } from "../support/tools.js";
import { freePort, pump } from "../websocket/support.js";

/*
 * The snippets of docs/multiplayer.md run here as written (the port replaced by a free
 * one): each Node relay server in a child process against the built package, with the
 * Godot 3 GDScript client in real Godot 3.2.3 engines, and gdnet's own Godot 4 clients
 * standing in for Godot 4 games (no Godot 4 engine here).
 */

const root = new URL("../../", import.meta.url);

/** The snippets of docs/multiplayer.md by name (`<!-- snippet: name -->` before a fenced block). */
function snippets(): Map<string, { language: string; code: string }> {
  const doc = readFileSync(new URL("docs/multiplayer.md", root), "utf8");
  const found = new Map<string, { language: string; code: string }>();
  for (const match of doc.matchAll(/<!-- snippet: ([\w-]+) -->\s*```(\w+)\n([\s\S]*?)```/g)) {
    found.set(match[1]!, { language: match[2]!, code: match[3]! });
  }
  return found;
}

/** A running relay snippet: a Node child process and what it printed. */
interface Relay {
  readonly child: ChildProcess;
  output(): string;
}

const children: ChildProcess[] = [];
const games: GodotProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  for (const game of games.splice(0)) game.kill();
});

async function startRelay(name: string, port: number): Promise<Relay> {
  const source = snippets().get(name)!.code.replaceAll("9080", String(port));
  const js = (await transform(source, { loader: "ts", format: "esm", target: "es2022" })).code;
  const dir = new URL("test/.tmp/", root);
  mkdirSync(dir, { recursive: true });
  const file = fileURLToPath(new URL(`multiplayer-${name}.mjs`, dir));
  writeFileSync(file, js);
  const child = spawn(process.execPath, [file], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  let output = "";
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (chunk: string) => {
    output += chunk;
  });
  return { child, output: () => output };
}

/** Resolves once something accepts TCP connections on `port` of loopback. */
async function listening(port: number): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (accepted) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`nothing listens on ${port}`);
}

async function until(done: () => boolean, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("condition not reached");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("docs/multiplayer.md", () => {
  it("has a relay server of about a dozen lines and a client for each Godot version", () => {
    const found = snippets();
    expect([...found.keys()].sort()).toEqual([
      "godot3-client",
      "godot3-relay",
      "godot4-client",
      "godot4-relay",
    ]);
    for (const name of ["godot3-relay", "godot4-relay"]) {
      expect(found.get(name)!.language).toBe("ts");
      const lines = found
        .get(name)!
        .code.trim()
        .split("\n")
        .filter((line) => line.trim() !== "");
      expect(lines.length, name).toBeLessThanOrEqual(12);
    }
    expect(found.get("godot3-client")!.code).toContain(
      'connect_to_url("ws://localhost:9080", PoolStringArray(), true)',
    );
    expect(found.get("godot4-client")!.code).toContain('create_client("ws://localhost:9080")');
  });

  it("the Godot 4 relay: two Godot 4 clients (gdnet's) learn each other and send bytes through it", async () => {
    const port = await freePort();
    const relay = await startRelay("godot4-relay", port);
    await listening(port);
    const players = [0, 1].map(() => {
      const peer = new WebSocketMultiplayerPeer();
      const multiplayer = new SceneMultiplayer(peer);
      const packets: string[] = [];
      multiplayer.peerPacket.connect((id, bytes) => packets.push(`${id} ${new TextDecoder().decode(bytes)}`));
      return { peer, multiplayer, packets };
    });
    for (const { peer } of players) expect(peer.createClient(`ws://127.0.0.1:${port}`)).toBe(OK);
    const [a, b] = players;
    const loop = players.map((p) => p.multiplayer);
    await pump(loop, () => a!.multiplayer.getPeers().length === 2 && b!.multiplayer.getPeers().length === 2);
    const [idA, idB] = [a!.multiplayer.getUniqueId(), b!.multiplayer.getUniqueId()];
    expect(a!.multiplayer.getPeers()).toEqual([1, idB]);
    expect(a!.multiplayer.sendBytes(new TextEncoder().encode("hello"), idB)).toBe(OK);
    expect(a!.multiplayer.sendBytes(new TextEncoder().encode("server?"), 1)).toBe(OK);
    await pump(loop, () => b!.packets.length > 0);
    expect(b!.packets).toEqual([`${idA} hello`]);
    await until(() => relay.output().includes(`player ${idA} sent 7 bytes`));
    expect(relay.output()).toContain(`player ${idA} joined`);
    expect(relay.output()).toContain(`player ${idB} joined`);
    a!.peer.close();
    await until(() => relay.output().includes(`player ${idA} left`));
  });
});

describeWithTool("godot3-server", "docs/multiplayer.md with Godot 3.2.3", () => {
  /** The GDScript client snippet as the node /root/Main of a Godot game. */
  function godotGame(port: number): string {
    const client = snippets()
      .get("godot3-client")!
      .code.replace("ws://localhost:9080", `ws://127.0.0.1:${port}`);
    return `extends SceneTree

func _initialize():
	Engine.target_fps = 100
	var script = GDScript.new()
	script.source_code = ${JSON.stringify(client)}
	script.reload()
	var main = Node.new()
	main.name = "Main"
	main.set_script(script)
	root.add_child(main)
`;
  }

  it("the Godot 3 relay: two Godot games with the client snippet join, learn each other and greet each other by RPC", async () => {
    const port = await freePort();
    const relay = await startRelay("godot3-relay", port);
    await listening(port);
    games.push(startGodot(godotGame(port)), startGodot(godotGame(port)));
    const ids: number[] = [];
    for (const game of games) ids.push(Number((await game.waitForLine(/^I am \d+$/)).slice(5)));
    const [a, b] = games;
    await a!.waitForLine(`${ids[1]} says hello`);
    await b!.waitForLine(`${ids[0]} says hello`);
    expect(a!.lines).toEqual(expect.arrayContaining(["peer 1 joined", `peer ${ids[1]} joined`]));
    await until(() => ids.every((id) => relay.output().includes(`player ${id} joined`)));
    a!.kill();
    await until(() => relay.output().includes(`player ${ids[0]} left`));
  });
});
