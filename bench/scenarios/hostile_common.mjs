// What the hostile attack parts (hostile_http.mjs, hostile_ws.mjs) share: rounds of gdnet
// and its anchor, alternating, and the figures every attack reports.
import { median } from "../harness.mjs";

/** Runs `rounds` rounds of `runOne(variant)` for gdnet and the anchor, alternating which goes first. */
export async function alternateRounds(rounds, runOne) {
  const samples = { gdnet: [], anchor: [] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ["gdnet", "anchor"] : ["anchor", "gdnet"];
    for (const variant of order) samples[variant].push(await runOne(variant));
  }
  return samples;
}

/** The median of `key` over a side's samples. */
export function medianOf(samples, variant, key) {
  return median(samples[variant].map((sample) => sample[key]));
}

/**
 * The figures of every attack: peak RSS growth (the figure and its ratio; growths under
 * 1 MB are noise at this scale and count as 1 MB), the longest poll and event-loop stall,
 * and what stays after a forced GC.
 */
export function attackFigures(samples) {
  const m = (variant, key) => medianOf(samples, variant, key);
  const gdnetGrowth = m("gdnet", "peakGrowthMB");
  const anchorGrowth = m("anchor", "peakGrowthMB");
  const gdnetFigure = Math.max(gdnetGrowth, 1);
  const anchorFigure = Math.max(anchorGrowth, 1);
  return {
    unit: "MB peak RSS growth/attack",
    gdnet: gdnetFigure,
    anchor: anchorFigure,
    ratio: anchorFigure / gdnetFigure,
    gdnet_peak_growth_MB: gdnetGrowth,
    anchor_peak_growth_MB: anchorGrowth,
    gdnet_longest_poll_ms: m("gdnet", "longestPollMs"),
    gdnet_longest_stall_ms: m("gdnet", "longestStallMs"),
    anchor_longest_stall_ms: m("anchor", "longestStallMs"),
    gdnet_after_gc_MB: m("gdnet", "afterGrowthMB"),
    anchor_after_gc_MB: m("anchor", "afterGrowthMB"),
    gdnet_heap_after_gc_MB: m("gdnet", "heapAfterGrowthMB"),
    anchor_heap_after_gc_MB: m("anchor", "heapAfterGrowthMB"),
    samples: {
      gdnet: samples.gdnet.map((sample) => sample.peakGrowthMB),
      anchor: samples.anchor.map((sample) => sample.peakGrowthMB),
    },
  };
}
