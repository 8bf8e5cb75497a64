// The benchmark harness: runs each scenario's gdnet variant and its anchor (raw ws or
// node:net) in the same invocation, alternating A/B/A/B, with the server and the
// clients in separate processes, and reports medians and the ratio gdnet/anchor.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

/** Median of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A percentile (0–100) of numbers. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The machine and versions, for the report. */
export function machine() {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? "unknown",
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform} ${process.arch}`,
  };
}

export function versions() {
  return {
    node: process.version,
    gdnet: require("../package.json").version,
    ws: require("ws/package.json").version,
  };
}

/**
 * Starts `node <scenario file> <role> <variant> <params>` and resolves with the
 * process and the first line it prints that starts with `prefix`.
 */
function startRole(file, role, variant, params, { expose = false } = {}) {
  const args = [
    ...(expose ? ["--expose-gc"] : []),
    fileURLToPath(file),
    role,
    variant,
    JSON.stringify(params),
  ];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  let buffer = "";
  const lines = [];
  const waiters = [];
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk) => {
    buffer += chunk;
    let i = buffer.indexOf("\n");
    while (i >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      lines.push(line);
      for (const w of [...waiters]) w(line);
      i = buffer.indexOf("\n");
    }
  });
  const exited = new Promise((resolve) => child.on("exit", resolve));
  return {
    child,
    exited,
    line(prefix, timeoutMs = 120_000) {
      const seen = lines.find((l) => l.startsWith(prefix));
      if (seen) return Promise.resolve(seen.slice(prefix.length).trim());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${role} ${variant}: no "${prefix}" line`)),
          timeoutMs,
        );
        const w = (line) => {
          if (!line.startsWith(prefix)) return;
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(w), 1);
          resolve(line.slice(prefix.length).trim());
        };
        waiters.push(w);
        exited.then(() => {
          if (!waiters.includes(w)) return;
          clearTimeout(timer);
          reject(new Error(`${role} ${variant} exited before printing "${prefix}"`));
        });
      });
    },
    kill() {
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

/** One run of one variant: a server process, then a client process; returns the client's result. */
export async function runOnce(file, variant, params) {
  const server = startRole(file, "server", variant, params, { expose: true });
  try {
    const port = Number(await server.line("READY"));
    const client = startRole(file, "client", variant, { ...params, port }, { expose: true });
    try {
      const result = JSON.parse(await client.line("RESULT"));
      const serverReport = params.serverReport ? JSON.parse(await server.line("REPORT")) : undefined;
      return serverReport ? { ...result, server: serverReport } : result;
    } finally {
      client.kill();
    }
  } finally {
    server.kill();
  }
}

/**
 * Runs a scenario: `rounds` rounds, each running gdnet and the anchor (the order
 * alternating), and returns per-variant samples, medians and the ratio.
 */
export async function runScenario(scenario, { rounds, size }) {
  const params = { ...scenario.params[size], serverReport: scenario.serverReport ?? false };
  const samples = { gdnet: [], anchor: [] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ["gdnet", "anchor"] : ["anchor", "gdnet"];
    for (const variant of order) samples[variant].push(await runOnce(scenario.file, variant, params));
  }
  return scenario.summarize(samples);
}
