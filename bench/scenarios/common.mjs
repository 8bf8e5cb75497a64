// Shared pieces of the scenario processes.
import { median } from "../harness.mjs";

export const tick = () => new Promise((resolve) => setImmediate(resolve));

/** gdnet from the build (the bench measures what users import). */
export async function gdnet() {
  return import("../../dist/index.js");
}

/** Entry point of a scenario process: `node file role variant params`. */
export async function main(roles) {
  const [role, variant, json] = process.argv.slice(2);
  const params = JSON.parse(json);
  const run = roles[`${role}:${variant}`];
  if (!run) throw new Error(`no role ${role}:${variant}`);
  await run(params);
}

export function ready(port) {
  console.log(`READY ${port}`);
}

export function result(value) {
  console.log(`RESULT ${JSON.stringify(value)}`);
}

/** Summary for a throughput scenario whose samples carry `rate`. */
export function throughputSummary(unit) {
  return (samples) => {
    const gdnetRate = median(samples.gdnet.map((s) => s.rate));
    const anchorRate = median(samples.anchor.map((s) => s.rate));
    return {
      unit,
      gdnet: gdnetRate,
      anchor: anchorRate,
      ratio: gdnetRate / anchorRate,
      samples: { gdnet: samples.gdnet.map((s) => s.rate), anchor: samples.anchor.map((s) => s.rate) },
    };
  };
}
