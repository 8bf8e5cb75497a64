import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { MemoryNetwork } from "gdnet";
import { afterEach, describe, expect, it, vi } from "vitest";

const run = promisify(execFile);

/** Collects console.log lines while `body` runs (the examples print with console.log). */
function captureLog(): string[] {
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    lines.push(args.join(" "));
  });
  return lines;
}

describe("WebSocket examples", () => {
  afterEach(() => vi.restoreAllMocks());

  it("npm run demo -- --once runs the docs' WebSocket examples after the TCP tutorial and exits 0", async () => {
    const demo = fileURLToPath(new URL("../examples/demo.mjs", import.meta.url));
    const { stdout } = await run(process.execPath, [demo, "--once"], { timeout: 30_000 });
    const lines = stdout.split("\n");
    const tcp = lines.indexOf("Received: ack");
    const godot3 = lines.indexOf("Closed, clean: true");
    const godot4 = lines.indexOf("WebSocket closed with code: 1000. Clean: true");
    expect(tcp).toBeGreaterThanOrEqual(0);
    expect(godot3).toBeGreaterThan(tcp);
    expect(godot4).toBeGreaterThan(godot3);
    expect(lines.filter((line) => line === "Got data from server: Test packet")).toHaveLength(2);
  });

  it("the Godot 3 minimal client and server print what the docs print", async () => {
    const lines = captureLog();
    const { createWebSocketGodot3 } = await import("../examples/websocket-godot3/main.mjs");
    const network = new MemoryNetwork({ seed: 11 });
    const scene = createWebSocketGodot3({ port: 9080, options: { network }, once: true });
    for (let i = 0; i < 30; i++) {
      network.advance(16);
      scene.frame();
    }
    expect(scene.finished).toBe(true);
    const id = /^Client (\d+) connected/.exec(lines[0] ?? "")?.[1];
    expect(Number(id)).toBeGreaterThanOrEqual(2);
    expect(lines).toEqual([
      `Client ${id} connected with protocol: `,
      "Connected with protocol: ",
      `Got data from client ${id}: Test packet ... echoing`,
      "Got data from server: Test packet",
      `Client ${id} disconnecting with code: 1000, reason: done`,
      `Client ${id} disconnected, clean: true`,
      "Closed, clean: true",
    ]);
    scene.stop();
  });

  it("the Godot 3 client reports an unclean close when the server goes away", async () => {
    const lines = captureLog();
    const { createWebSocketGodot3 } = await import("../examples/websocket-godot3/main.mjs");
    const network = new MemoryNetwork({ seed: 12 });
    const scene = createWebSocketGodot3({ port: 9080, options: { network } });
    for (let i = 0; i < 10; i++) {
      network.advance(16);
      scene.frame();
    }
    network.resetConnections("127.0.0.1", 9080);
    for (let i = 0; i < 5; i++) {
      network.advance(16);
      scene.frame();
    }
    expect(lines).toContain("Closed, clean: false");
    scene.stop();
  });

  it("the Godot 4 minimal client sends after 2 s and prints the echo and the clean close", async () => {
    const lines = captureLog();
    const { createWebSocketGodot4 } = await import("../examples/websocket-godot4/main.mjs");
    const network = new MemoryNetwork({ seed: 13 });
    const scene = createWebSocketGodot4({ port: 9080, options: { network }, once: true });
    for (let i = 0; i < 110; i++) {
      network.advance(16);
      scene.frame(0.016);
    }
    // 1.76 s: connected, nothing sent yet.
    expect(lines.filter((line) => line.startsWith("Got data"))).toEqual([]);
    for (let i = 0; i < 30; i++) {
      network.advance(16);
      scene.frame(0.016);
    }
    expect(scene.finished).toBe(true);
    const id = /^Client (\d+) connected/.exec(lines[0] ?? "")?.[1];
    expect(lines).toEqual([
      `Client ${id} connected`,
      `Got data from client ${id}: Test packet ... echoing`,
      "Got data from server: Test packet",
      `Client ${id} disconnected with code: 1000, reason: done. Clean: true`,
      "WebSocket closed with code: 1000. Clean: true",
    ]);
    scene.stop();
  });
});
