import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { hasTool } from "./support/tools.js";

const run = promisify(execFile);

/** Every figure `npm run bench` reports, in the order of the report. */
const SCENARIOS = [
  "echo_1",
  "echo_100",
  "echo_1000",
  "echo_100_w1",
  "broadcast_1000",
  "idle_poll_10k",
  "idle_memory_10k",
  "tcp_bulk",
  "tcp_small_100",
  "variant_encode",
  "variant_decode",
  "godot_echo_100",
  "rpc_100",
  "cluster_broadcast",
  "cluster_idle",
  "hostile_ws_flood",
  "hostile_ws_handshakes",
  "hostile_ws_pings",
  "hostile_ws_noread",
  "hostile_ws_halfopen",
  "hostile_http_bomb",
  "hostile_http_plain",
  "conditions",
  "record_overhead",
];

// Keeps the benchmarks working: every scenario runs once at a tiny size, gdnet and its
// anchor, and the last line is the JSON report. No speed is asserted here.
it("every benchmark scenario runs at a tiny size and the report ends with one JSON line naming them all", async () => {
  const bench = fileURLToPath(new URL("../bench/run.mjs", import.meta.url));
  const { stdout } = await run(process.execPath, [bench, "--smoke"], {
    timeout: 240_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const lines = stdout.trim().split("\n");
  const report = JSON.parse(lines.at(-1)!);
  expect(report.size).toBe("smoke");
  expect(report.versions.node).toBe(process.version);
  expect(report.machine.cores).toBeGreaterThan(0);
  expect(Object.keys(report.ratios)).toEqual(SCENARIOS);
  for (const name of SCENARIOS) {
    const figure = report.figures[name];
    if (name === "godot_echo_100" && !hasTool("godot3-server")) {
      expect(figure.skipped, name).toMatch(/godot3-server/);
      expect(report.ratios[name], name).toBeNull();
      continue;
    }
    if (name.startsWith("cluster_") && !hasTool("redis-server")) {
      expect(figure.skipped, name).toMatch(/redis-server/);
      expect(report.ratios[name], name).toBeNull();
      continue;
    }
    expect(figure.error, name).toBeUndefined();
    // A ratio that is not a positive number (null in JSON when it was NaN or infinite)
    // names its scenario and figures.
    expect(report.ratios[name], `${name}: ${JSON.stringify(figure)}`).toBeTypeOf("number");
    expect(report.ratios[name], name).toBeGreaterThan(0);
    expect(figure.unit, name).toMatch(/\//);
    expect(figure[name === "godot_echo_100" ? "godot" : "gdnet"], name).toBeGreaterThan(0);
    expect(figure.anchor, name).toBeGreaterThan(0);
  }
  // The idle figures are reported as absolute values too.
  expect(report.figures.idle_poll_10k.ns_per_call).toBeGreaterThan(0);
  expect(report.figures.idle_poll_10k.bytes_per_call).toBeGreaterThanOrEqual(0);
  expect(report.figures.idle_memory_10k.gdnet).toBeGreaterThan(0);
  expect(report.figures.idle_memory_10k.anchor).toBeGreaterThan(0);
  // With one message in flight, latency percentiles come with the rate.
  expect(report.figures.echo_100_w1.gdnet_p99_ms).toBeGreaterThan(0);
  expect(report.figures.echo_100_w1.anchor_p99_ms).toBeGreaterThan(0);
}, 300_000);
