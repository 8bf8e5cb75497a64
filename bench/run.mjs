// npm run bench               every scenario, full size (several minutes)
// npm run bench -- --quick    every scenario, small (under two minutes)
// npm run bench -- --smoke    every scenario once at a tiny size (used by the tests)
// npm run bench -- --only echo_1,tcp_bulk   (any of the names in the report)
//
// Prints one line per figure and, last, one line of JSON:
// {"machine", "versions", "size", "ratios": {name: gdnet/anchor}, "figures": {name: {...}}}.
// Every ratio is "higher is better for gdnet" (godot_echo_100: Godot/ws, for the record).
import { machine, runScenario, versions } from "./harness.mjs";
import { scenario as broadcast } from "./scenarios/broadcast.mjs";
import { scenario as cluster } from "./scenarios/cluster.mjs";
import { scenario as conditions } from "./scenarios/conditions.mjs";
import { scenarios as echo } from "./scenarios/echo.mjs";
import { scenario as godotEcho } from "./scenarios/godot_echo.mjs";
import { hostileHttpParts, hostileScenario } from "./scenarios/hostile_http.mjs";
import { hostileWsParts } from "./scenarios/hostile_ws.mjs";
import { scenario as idle } from "./scenarios/idle.mjs";
import { scenario as recordOverhead } from "./scenarios/record_overhead.mjs";
import { scenario as rpc } from "./scenarios/rpc.mjs";
import { scenario as tcpBulk } from "./scenarios/tcp_bulk.mjs";
import { scenario as tcpSmall } from "./scenarios/tcp_small_100.mjs";
import { runVariantBench } from "./variant.mjs";

const args = process.argv.slice(2);
const size = args.includes("--smoke") ? "smoke" : args.includes("--quick") ? "quick" : "full";
const defaultRounds = { smoke: 1, quick: 2, full: 9 }[size];
const onlyIndex = args.indexOf("--only");
const only = onlyIndex >= 0 ? new Set(args[onlyIndex + 1].split(",")) : null;

// Variant encoding runs in this process: no server, only encode and decode against
// JSON.stringify/JSON.parse of the same data, alternated inside runVariantBench.
const variant = {
  name: "variant",
  parts: ["variant_encode", "variant_decode"],
  async run() {
    const figures = await runVariantBench({ quick: size !== "full" });
    return Object.fromEntries(
      Object.entries(figures).map(([name, f]) => [
        name,
        {
          unit: "ops/s",
          gdnet: f.ops,
          anchor: f.anchor_ops,
          ratio: f.ratio,
          anchorName: f.anchor,
          bytes: f.bytes,
          anchor_bytes: f.anchor_bytes,
        },
      ]),
    );
  },
};
// Hostile load: the WebSocket attacks and the HTTP ones, one scenario, one table.
const hostile = hostileScenario([...hostileWsParts, ...hostileHttpParts]);
const scenarios = [
  ...echo,
  broadcast,
  idle,
  tcpBulk,
  tcpSmall,
  variant,
  godotEcho,
  rpc,
  cluster,
  hostile,
  conditions,
  recordOverhead,
].filter((s) => only === null || only.has(s.name) || (s.parts ?? []).some((part) => only.has(part)));

const ratios = {};
const figures = {};
let failed = false;
const started = performance.now();
for (const scenario of scenarios) {
  const names = scenario.parts ?? [scenario.name];
  if (scenario.available !== undefined && !scenario.available()) {
    for (const name of names) {
      ratios[name] = null;
      figures[name] = { skipped: `${scenario.requires ?? "godot3-server"} is not on PATH` };
      console.log(`${name.padEnd(16)} skipped: ${scenario.requires ?? "godot3-server"} is not on PATH`);
    }
    continue;
  }
  const scenarioStarted = performance.now();
  let summary;
  try {
    summary =
      scenario.run !== undefined
        ? await scenario.run({ size })
        : await runScenario(scenario, { rounds: scenario.rounds?.[size] ?? defaultRounds, size });
  } catch (error) {
    failed = true;
    for (const name of names) {
      ratios[name] = null;
      figures[name] = { error: String(error?.message ?? error) };
      console.log(`${name.padEnd(16)} FAILED: ${figures[name].error}`);
    }
    continue;
  }
  const seconds = ((performance.now() - scenarioStarted) / 1000).toFixed(1);
  const parts = scenario.parts === undefined ? { [scenario.name]: summary } : summary;
  for (const [name, figure] of Object.entries(parts)) {
    ratios[name] = round(figure.ratio);
    figures[name] = figure;
    console.log(`${name.padEnd(16)} ${describe(figure)}  (${seconds} s)`);
  }
}
const total = ((performance.now() - started) / 1000).toFixed(1);
console.log(`${"total".padEnd(16)} ${total} s`);
console.log(JSON.stringify({ machine: machine(), versions: versions(), size, ratios, figures }));
if (failed) process.exitCode = 1;

/** One human-readable line for a figure. */
function describe(figure) {
  if (figure.anchorName !== undefined) {
    return `gdnet ${fmt(figure.gdnet)} ops/s  anchor ${fmt(figure.anchor)} (${figure.anchorName})  ratio ×${figure.ratio.toFixed(2)}`;
  }
  if (figure.unit === "ns/poll") {
    return `${figure.ns_per_call.toFixed(1)} ns and ${figure.bytes_per_call.toFixed(3)} bytes per poll with ${figure.connections} idle peers (${figure.empty_ns_per_call.toFixed(1)} ns with none)  ratio ×${figure.ratio.toFixed(2)}`;
  }
  if (figure.unit === "heap bytes/connection") {
    return `gdnet ${fmt(figure.gdnet)} heap bytes/connection  ws ${fmt(figure.anchor)} (${sign(figure.gdnet_minus_anchor_bytes)})  RSS ${fmt(figure.gdnet_rss_per_connection)} vs ${fmt(figure.anchor_rss_per_connection)}  ratio ×${figure.ratio.toFixed(2)}`;
  }
  if (figure.unit === "MB peak RSS growth/attack") {
    // A hostile-load part: memory, frame time and the good client's latency side by side.
    const p99 =
      figure.gdnet_p99_ms === undefined
        ? ""
        : `  good p99 ${ms(figure.gdnet_p99_ms)}/${ms(figure.anchor_p99_ms)} ms`;
    return (
      `peak RSS ${mb(figure.gdnet_peak_growth_MB)}/${mb(figure.anchor_peak_growth_MB)} MB  ` +
      `after GC ${mb(figure.gdnet_after_gc_MB)}/${mb(figure.anchor_after_gc_MB)} MB ` +
      `(heap+buffers ${mb(figure.gdnet_heap_after_gc_MB)}/${mb(figure.anchor_heap_after_gc_MB)})  ` +
      `longest poll ${ms(figure.gdnet_longest_poll_ms)} ms  stall ${ms(figure.gdnet_longest_stall_ms)}/${ms(figure.anchor_longest_stall_ms)} ms` +
      `${p99}  (gdnet/anchor)  ratio ×${figure.ratio.toFixed(2)}`
    );
  }
  const [a, b] = Object.keys(figure.samples);
  let line = `${a} ${fmt(figure[a])} ${figure.unit}  ${b} ${fmt(figure[b])}  ratio ×${figure.ratio.toFixed(2)}`;
  if (figure.floor !== undefined)
    line += `  floor ${fmt(figure.floor)} (gdnet ×${figure.ratio_to_floor.toFixed(2)})`;
  if (figure[`${a}_p50_ms`] !== undefined) {
    line += `  p50 ${figure[`${a}_p50_ms`].toFixed(2)}/${figure[`${b}_p50_ms`].toFixed(2)} ms  p99 ${figure[`${a}_p99_ms`].toFixed(2)}/${figure[`${b}_p99_ms`].toFixed(2)} ms`;
  }
  if (figure.note !== undefined) line += `  ${figure.note}`;
  return line;
}

function fmt(value) {
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(2);
}

function ms(value) {
  return value.toFixed(1);
}

/** Megabytes with their sign: "+3.2", "-0.3". */
function mb(value) {
  return `${value >= 0 ? "+" : ""}${value.toFixed(1)}`;
}

function sign(value) {
  return `${value >= 0 ? "+" : ""}${Math.round(value)}`;
}

function round(value) {
  return Math.round(value * 1000) / 1000;
}
