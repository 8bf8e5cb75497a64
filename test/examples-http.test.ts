import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";

const run = promisify(execFile);

describe("the HTTP download example", () => {
  afterEach(() => vi.restoreAllMocks());

  it("node examples/http-download/main.mjs --once draws progress, verifies the file, posts JSON and exits 0", async () => {
    const main = fileURLToPath(new URL("../examples/http-download/main.mjs", import.meta.url));
    const { stdout } = await run(process.execPath, [main, "--once"], { timeout: 30_000 });
    const lines = stdout.split("\n");
    const bars = lines.filter((line) => line.startsWith("["));
    expect(bars.length).toBeGreaterThanOrEqual(3);
    expect(bars.at(-1)).toBe("[##############################] 100% 4.0/4.0 MiB");
    expect(bars.some((line) => /\] +(2\d|[3-9]\d)% /.test(line))).toBe(true);
    expect(lines).toContain("Checksum matches the server's.");
    expect(lines.some((line) => line.startsWith("Download complete: 4194304 bytes"))).toBe(true);
    expect(lines).toContain("Score posted (201): ada scored 1000, rank 1.");
  });

  it("runHttpExample({ once: true }) resolves true when the download arrived intact", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args.join(" "));
    });
    // The example imports "gdnet"; tests run it against the built package.
    const { runHttpExample } = await import("../examples/http-download/main.mjs");
    expect(await runHttpExample({ once: true })).toBe(true);
    expect(lines).toContain("Score posted (201): ada scored 1000, rank 1.");
  });

  it("the progress bar reflects getDownloadedBytes() over getBodySize(), and an unknown size", async () => {
    const { progressBar } = await import("../examples/http-download/main.mjs");
    expect(progressBar(0, 100)).toBe("[------------------------------]   0% 0.0/0.0 MiB");
    expect(progressBar(2 * 1024 * 1024, 4 * 1024 * 1024)).toBe(
      "[###############---------------]  50% 2.0/4.0 MiB",
    );
    expect(progressBar(1024 * 1024, -1)).toBe(`[${"?".repeat(30)}] 1.0 MiB`);
  });

  it("npm run demo -- --once runs the HTTP example after the TCP tutorial", async () => {
    const demo = fileURLToPath(new URL("../examples/demo.mjs", import.meta.url));
    const { stdout } = await run(process.execPath, [demo, "--once"], { timeout: 30_000 });
    const lines = stdout.split("\n");
    expect(lines).toContain("Checksum matches the server's.");
    expect(lines).toContain("Score posted (201): ada scored 1000, rank 1.");
  });
});
