import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);

// Keeps the benchmarks working: every scenario runs once at a tiny size, gdnet and its
// anchor, and the last line is the JSON report. No speed is asserted here.
it("every benchmark scenario runs at a tiny size and the report ends with one JSON line", async () => {
  const bench = fileURLToPath(new URL("../bench/run.mjs", import.meta.url));
  const { stdout } = await run(process.execPath, [bench, "--smoke"], {
    timeout: 240_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const lines = stdout.trim().split("\n");
  const report = JSON.parse(lines.at(-1)!);
  expect(report.versions.node).toBe(process.version);
  expect(report.machine.cores).toBeGreaterThan(0);
  const expected = ["tcp_bulk", "tcp_small_100", "variant_encode", "variant_decode"];
  for (const name of expected) {
    expect(report.ratios[name], name).toBeGreaterThan(0);
    expect(report.figures[name].gdnet, name).toBeGreaterThan(0);
    expect(report.figures[name].anchor, name).toBeGreaterThan(0);
  }
}, 300_000);
