// Variant encoding throughput: gdnet's varToBytes/bytesToVar on a typical game-state
// message (a Dictionary of 20 entities with Vector2/Vector3/ints/strings), beside
// JSON.stringify/JSON.parse of the same data as plain objects, in the same run.
// Both sides produce and consume bytes: the JSON anchor includes the UTF-8 step
// (TextEncoder/TextDecoder) that sending it over a socket needs.
//
//   npm run build && node bench/variant.mjs [--quick]
//
// Prints {"variant_encode": {ops, anchor_ops, ratio}, "variant_decode": {...}}, where
// ops are operations per second (median of the rounds) and ratio = ops / anchor_ops.
import { fileURLToPath } from "node:url";
import { bytesToVar, Vector2, Vector3, varToBytes } from "../dist/variant/index.js";

const ENTITIES = 20;

/** The message both ways: gdnet's Variant values and the equivalent plain JSON data. */
export function gameState(entities = ENTITIES) {
  const variant = new Map([
    ["tick", 48213],
    ["map", "arena_02"],
  ]);
  const json = { tick: 48213, map: "arena_02" };
  const variantEntities = [];
  const jsonEntities = [];
  for (let i = 0; i < entities; i++) {
    const x = 100.5 + i * 3.25;
    const y = -20.75 + i;
    const velocity = [i * 0.5, -1.25, 2];
    variantEntities.push(
      new Map([
        ["id", 1000 + i],
        ["name", `player_${i}`],
        ["pos", new Vector2(x, y)],
        ["vel", new Vector3(...velocity)],
        ["hp", 100 - i],
        ["team", i % 2],
      ]),
    );
    jsonEntities.push({
      id: 1000 + i,
      name: `player_${i}`,
      pos: { x, y },
      vel: { x: velocity[0], y: velocity[1], z: velocity[2] },
      hp: 100 - i,
      team: i % 2,
    });
  }
  variant.set("entities", variantEntities);
  json.entities = jsonEntities;
  return { variant, json };
}

/** Operations per second of `fn`, run in batches for about `ms` milliseconds. */
function opsPerSecond(fn, ms) {
  let sink = 0;
  let operations = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 200; i++) sink += fn();
    operations += 200;
    elapsed = performance.now() - started;
  }
  if (sink === -1) console.log(sink);
  return (operations * 1000) / elapsed;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs gdnet and the anchor alternately for `rounds` rounds and reports the medians. */
function compare(gdnet, anchor, rounds, ms) {
  const samples = { gdnet: [], anchor: [] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ["gdnet", "anchor"] : ["anchor", "gdnet"];
    for (const side of order) samples[side].push(opsPerSecond(side === "gdnet" ? gdnet : anchor, ms));
  }
  const ops = median(samples.gdnet);
  const anchorOps = median(samples.anchor);
  return {
    ops: Math.round(ops),
    anchor_ops: Math.round(anchorOps),
    ratio: Number((ops / anchorOps).toFixed(3)),
  };
}

/**
 * Measures Variant encode and decode throughput against JSON in the same run.
 * `quick` runs fewer, shorter rounds (for smoke tests).
 */
export async function runVariantBench({ quick = false } = {}) {
  const rounds = quick ? 3 : 9;
  const ms = quick ? 100 : 400;
  const { variant, json } = gameState();
  const textEncoder = new TextEncoder();
  const textDecoder = new TextDecoder();
  const variantBytes = varToBytes(variant);
  const jsonBytes = textEncoder.encode(JSON.stringify(json));

  // Warm up both paths so the first round does not measure the JIT.
  compare(
    () => varToBytes(variant).length,
    () => textEncoder.encode(JSON.stringify(json)).length,
    2,
    50,
  );

  const encode = compare(
    () => varToBytes(variant).length,
    () => textEncoder.encode(JSON.stringify(json)).length,
    rounds,
    ms,
  );
  const decode = compare(
    () => (bytesToVar(variantBytes) === null ? 0 : 1),
    () => (JSON.parse(textDecoder.decode(jsonBytes)) === null ? 0 : 1),
    rounds,
    ms,
  );
  return {
    variant_encode: {
      ...encode,
      anchor: "JSON.stringify + TextEncoder",
      bytes: variantBytes.length,
      anchor_bytes: jsonBytes.length,
    },
    variant_decode: {
      ...decode,
      anchor: "TextDecoder + JSON.parse",
      bytes: variantBytes.length,
      anchor_bytes: jsonBytes.length,
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runVariantBench({ quick: process.argv.includes("--quick") });
  console.log(JSON.stringify(result, null, 2));
}
