// npm run bench               every scenario, full size
// npm run bench -- --quick    every scenario, small (under two minutes)
// npm run bench -- --smoke    every scenario once at a tiny size (used by the tests)
// npm run bench -- --only tcp_bulk,echo_1
// Prints a table and, last, one line of JSON with the machine, versions, ratios and figures.
import { machine, runScenario, versions } from "./harness.mjs";
import { scenario as broadcast } from "./scenarios/broadcast.mjs";
import { scenarios as echo } from "./scenarios/echo.mjs";
import { scenario as idle } from "./scenarios/idle.mjs";
import { scenario as tcpBulk } from "./scenarios/tcp_bulk.mjs";
import { scenario as tcpSmall } from "./scenarios/tcp_small_100.mjs";
import { runVariantBench } from "./variant.mjs";

const args = process.argv.slice(2);
const size = args.includes("--smoke") ? "smoke" : args.includes("--quick") ? "quick" : "full";
const rounds = { smoke: 1, quick: 3, full: 5 }[size];
const onlyIndex = args.indexOf("--only");
const only = onlyIndex >= 0 ? new Set(args[onlyIndex + 1].split(",")) : null;

const scenarios = [...echo, broadcast, idle, tcpBulk, tcpSmall].filter(
  (s) =>
    only === null ||
    only.has(s.name) ||
    (s.name === "idle_10k" && (only.has("idle_poll_10k") || only.has("idle_memory_10k"))),
);

const ratios = {};
const figures = {};
for (const scenario of scenarios) {
  const started = performance.now();
  const summary = await runScenario(scenario, { rounds, size });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const parts = summary.figures ?? { [scenario.name]: summary };
  for (const [name, figure] of Object.entries(parts)) {
    ratios[name] = round(figure.ratio);
    figures[name] = figure;
    console.log(
      `${name.padEnd(16)} gdnet ${fmt(figure.gdnet)} ${figure.unit}  anchor ${fmt(figure.anchor)}  ratio ×${figure.ratio.toFixed(2)}  (${seconds} s)`,
    );
  }
}

// Variant encoding runs in this process: there is no server, only encode and decode
// against JSON.stringify/JSON.parse of the same data, alternated inside the function.
if (only === null || only.has("variant")) {
  const started = performance.now();
  const variant = await runVariantBench({ quick: size !== "full" });
  for (const [name, figure] of Object.entries(variant)) {
    ratios[name] = figure.ratio;
    const { anchor: anchorName, ...rest } = figure;
    figures[name] = { ...rest, unit: "ops/s", gdnet: figure.ops, anchor: figure.anchor_ops, anchorName };
    console.log(
      `${name.padEnd(16)} gdnet ${fmt(figure.ops)} ops/s  anchor ${fmt(figure.anchor_ops)}  ratio ×${figure.ratio.toFixed(2)}`,
    );
  }
  console.log(`${"".padEnd(16)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

console.log(JSON.stringify({ machine: machine(), versions: versions(), size, rounds, ratios, figures }));

function fmt(value) {
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(2);
}

function round(value) {
  return Math.round(value * 1000) / 1000;
}
