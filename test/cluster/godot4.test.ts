import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { OK, SceneMultiplayer, WebSocketMultiplayerPeer } from "../../src/index.js";
import type { Godot4Run } from "../support/godot4/engine.js";
import { describeWithGodot4, pollUntilSettled, waitUntil } from "../support/godot4/suite.js";
import { RedisProcess } from "../support/redis.js";
import { describeWithTool } from "../support/tools.js";

/*
 * Two real Godot 4.6 games (web build, the harness of test/support/godot4) connected to
 * different processes of one cluster (issue 16, "What it must show" 4): game A to a
 * clustered server in this process, game B to one in a child process, both on a private
 * redis-server. The games' node obeys commands its server sends as raw bytes
 * (test/godot4/scripts/relay_game.gd); only game A is commanded.
 */

const script = (name: string) => readFileSync(new URL(`../godot4/scripts/${name}`, import.meta.url), "utf8");
const MAIN = script("relay_main.gd");
const FILES = { "relay_game.gd": script("relay_game.gd") };
const FIXTURE = fileURLToPath(new URL("./fixtures/scene-server.mjs", import.meta.url));
const ENTRY = new URL("../../dist/index.js", import.meta.url).href;
const text = (value: string) => new TextEncoder().encode(value);

// Without redis-server (or the Godot harness's tools) the suite is skipped with a notice, and fails on CI.
describeWithTool("redis-server", "a cluster on Redis", () =>
  describeWithGodot4("Godot 4.6 games on different processes of a cluster", (godot) => {
    let redis: RedisProcess;
    let peer: WebSocketMultiplayerPeer;
    let multiplayer: SceneMultiplayer;
    let other: ReturnType<typeof spawn>;
    let otherPort = 0;
    const games: Godot4Run[] = [];
    const settle = <T>(promise: Promise<T>) => pollUntilSettled([multiplayer], promise);

    async function join(port: number, name: string): Promise<[Godot4Run, number]> {
      const game = godot().run(MAIN, {
        files: FILES,
        args: [`ws://127.0.0.1:${port}/`, name],
        timeoutMs: 120_000,
      });
      games.push(game);
      const connected = await settle(game.waitForLine("CONNECTED"));
      return [game, Number(connected.split(" ")[1])];
    }

    beforeAll(async () => {
      redis = await RedisProcess.start();
      peer = new WebSocketMultiplayerPeer();
      expect(peer.createServer(0, "127.0.0.1", null, { cluster: { redis: redis.url, name: "godot" } })).toBe(
        OK,
      );
      multiplayer = new SceneMultiplayer(peer);
      other = spawn(process.execPath, [FIXTURE, ENTRY, redis.url, "godot"], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      let output = "";
      other.stdout!.setEncoding("utf8");
      other.stdout!.on("data", (chunk: string) => {
        output += chunk;
      });
      await settle(waitUntil(() => output.includes('"listening"') && peer.getLocalPort() !== 0));
      otherPort = JSON.parse(output.split("\n").find((line) => line.includes('"listening"'))!).port as number;
      // Both servers refuse (503) until they have leased their first ids: give them the time.
      await settle(new Promise((resolve) => setTimeout(resolve, 500)));
    }, 30_000);

    afterAll(async () => {
      for (const game of games) await game.stop();
      peer?.close();
      other?.kill("SIGKILL");
      await redis?.stop();
    });

    it("see each other's ids once and exchange packets and RPCs across the processes", async () => {
      const [a, idA] = await join(peer.getLocalPort(), "A");
      const [b, idB] = await join(otherPort, "B");
      expect(idA).toBeGreaterThan(1);
      expect(idB).toBeGreaterThan(1);
      expect(idA).not.toBe(idB);
      await settle(a.waitForLine(`PEER_CONNECTED ${idB}`));
      await settle(b.waitForLine(`PEER_CONNECTED ${idA}`));
      // Game A is commanded by its server (this process); game B only reports.
      expect(multiplayer.sendBytes(text(`bytes_to ${idB} from A`), idA)).toBe(OK);
      expect(await settle(b.waitForLine(`PACKET ${idA}`))).toBe(`PACKET ${idA} from A`);
      expect(multiplayer.sendBytes(text(`rpc_id ${idB} hi B`), idA)).toBe(OK);
      expect(await settle(b.waitForLine("HELLO"))).toBe(`HELLO ${idA} B got hi B`);
      // Each game heard of the other once.
      expect(a.lines.filter((line) => line === `PEER_CONNECTED ${idB}`)).toHaveLength(1);
      expect(b.lines.filter((line) => line === `PEER_CONNECTED ${idA}`)).toHaveLength(1);
    });
  }),
);
