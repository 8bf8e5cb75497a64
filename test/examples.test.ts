import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { MemoryNetwork } from "gdnet";
import { afterEach, describe, expect, it, vi } from "vitest";

const run = promisify(execFile);

describe("examples", () => {
  afterEach(() => vi.restoreAllMocks());

  it("npm run demo -- --once prints the TCP tutorial's lines and exits 0", async () => {
    const demo = fileURLToPath(new URL("../examples/demo.mjs", import.meta.url));
    const { stdout } = await run(process.execPath, [demo, "--once"], { timeout: 20_000 });
    const lines = stdout.split("\n");
    expect(lines).toContain("Connected to host.");
    expect(lines).toContain("Client data: Hello from the server!");
    expect(lines).toContain("Server received: Hello from the client!");
  });

  it("the TCP tutorial's client reconnects 3 s after the server goes away and comes back", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args.join(" "));
    });
    // The example imports "gdnet"; tests run it against the built package.
    const { createTcpTutorial } = await import("../examples/tcp-client/main.mjs");
    const network = new MemoryNetwork({ seed: 5 });
    const tutorial = createTcpTutorial({ port: 4242, options: { network } });
    const frame = (frames: number) => {
      for (let i = 0; i < frames; i++) {
        network.advance(16);
        tutorial.frame(0.016);
      }
    };
    frame(5);
    expect(lines).toContain("Client data: Hello from the server!");
    tutorial.server.stop();
    frame(5);
    expect(lines).toContain("Client disconnected from server.");
    const greetings = () => lines.filter((l) => l === "Client data: Hello from the server!").length;
    expect(tutorial.server.listen(4242)).toBe(0);
    frame(150); // 2.4 s: too early
    expect(greetings()).toBe(1);
    frame(50); // past 3 s
    expect(greetings()).toBe(2);
    tutorial.stop();
  });
});
