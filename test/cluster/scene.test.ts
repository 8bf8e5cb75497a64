import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { OK, SceneMultiplayer, WebSocketMultiplayerPeer } from "../../src/index.js";
import { RedisProcess } from "../support/redis.js";
import { describeWithTool } from "../support/tools.js";
import { until } from "./support.js";

/*
 * Godot 4 high-level multiplayer over a cluster (issue 16, "What it must show" 4, with
 * gdnet WebSocketMultiplayerPeer clients until the Godot 4.6 harness is used here): two
 * clients connected to different server processes see each other's ids, once, and
 * exchange packets relayed across the processes.
 */

const FIXTURE = fileURLToPath(new URL("./fixtures/scene-server.mjs", import.meta.url));
const ENTRY = new URL("../../dist/index.js", import.meta.url).href;

let redis: RedisProcess;
const children: ReturnType<typeof spawn>[] = [];

async function sceneServer(name: string): Promise<number> {
  const child = spawn(process.execPath, [FIXTURE, ENTRY, redis.url, name], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  let output = "";
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (chunk: string) => {
    output += chunk;
  });
  await until("the scene server listens", () => output.includes('"listening"'));
  return JSON.parse(output.split("\n").find((line) => line.includes('"listening"'))!).port as number;
}

/** A Godot 4 style client: a WebSocketMultiplayerPeer under a SceneMultiplayer, polled every 2 ms. */
class SceneClient {
  readonly multiplayer = new SceneMultiplayer();
  readonly peer = new WebSocketMultiplayerPeer();
  readonly joined: number[] = [];
  readonly packets: [number, string][] = [];
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(port: number) {
    expect(this.peer.createClient(`ws://127.0.0.1:${port}`)).toBe(OK);
    this.multiplayer.multiplayerPeer = this.peer;
    this.multiplayer.peerConnected.connect((id) => this.joined.push(id));
    this.multiplayer.peerPacket.connect((id, data) =>
      this.packets.push([id, new TextDecoder().decode(data)]),
    );
    this.#timer = setInterval(() => this.multiplayer.poll(), 2);
  }

  get id(): number {
    return this.multiplayer.getUniqueId();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.peer.close();
  }
}

describeWithTool("redis-server", "Godot 4 multiplayer clients on different processes of a cluster", () => {
  beforeAll(async () => {
    redis = await RedisProcess.start();
  });
  afterAll(async () => {
    for (const child of children) child.kill("SIGKILL");
    await redis?.stop();
  });

  it("see each other's ids once and exchange packets relayed across the processes", async () => {
    const [portA, portB] = [await sceneServer("scene"), await sceneServer("scene")];
    // A server answers 503 until its first ids are leased: reconnect until it has one.
    const connect = async (port: number) => {
      for (let attempt = 0; ; attempt++) {
        const client = new SceneClient(port);
        await until(
          "the client connects or fails",
          () => client.id > 1 || client.peer.getConnectionStatus() === 0,
        );
        if (client.id > 1) return client;
        client.stop();
        if (attempt > 100) throw new Error("hang guard: the server kept refusing");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const a = await connect(portA);
    const b = await connect(portB);
    try {
      await until("each client hears of the other", () => a.joined.includes(b.id) && b.joined.includes(a.id));
      expect(a.multiplayer.sendBytes(new TextEncoder().encode("from a"), b.id)).toBe(OK);
      expect(b.multiplayer.sendBytes(new TextEncoder().encode("to all"), 0)).toBe(OK);
      await until("the relayed packets arrive", () => b.packets.length >= 1 && a.packets.length >= 1);
      // A last packet behind the others: any duplicate would have arrived before it.
      expect(a.multiplayer.sendBytes(new TextEncoder().encode("last"), b.id)).toBe(OK);
      await until("the last packet arrives", () => b.packets.some(([, text]) => text === "last"));
      expect(b.packets).toEqual([
        [a.id, "from a"],
        [a.id, "last"],
      ]);
      expect(a.packets).toEqual([[b.id, "to all"]]);
      // Each client heard of the other once (and of the server).
      expect(a.joined.filter((id) => id === b.id)).toHaveLength(1);
      expect(b.joined.filter((id) => id === a.id)).toHaveLength(1);
      expect(a.multiplayer.getPeers().sort()).toEqual([1, b.id].sort());
    } finally {
      a.stop();
      b.stop();
    }
  });
});
