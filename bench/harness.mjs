// The benchmark harness. Each scenario runs gdnet and its anchor (raw ws or node:net)
// in the same invocation, in rounds whose order alternates (gdnet, anchor, anchor, gdnet,
// …), each run with the server in one process and the clients in another, and reports
// medians and the ratio gdnet/anchor.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

/** How long a process may take to print a line the harness waits for. */
const LINE_TIMEOUT_MS = 60_000;

/** Median of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A percentile (0–100) of numbers, by the nearest-rank method. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Whether an executable is on PATH. */
export function hasCommand(command) {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** The machine, for the report. */
export function machine() {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? "unknown",
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform} ${process.arch}`,
  };
}

/** Versions of everything measured, for the report. */
export function versions() {
  const out = {
    node: process.version,
    v8: process.versions.v8,
    gdnet: require("../package.json").version,
    ws: require("ws/package.json").version,
  };
  if (hasCommand("godot3-server")) {
    // Godot prints its version and exits with a non-zero status.
    const run = spawnSync("godot3-server", ["--version"], {
      encoding: "utf8",
      timeout: 10_000,
      env: { ...process.env, LANG: "C.UTF-8", LC_ALL: "C.UTF-8" },
    });
    out.godot = run.stdout?.trim().split("\n").at(-1) || "unknown";
  }
  return out;
}

/**
 * Starts a process and collects its stdout lines. `line(prefix)` resolves with the rest
 * of the first line that starts with `prefix`.
 */
export function startProcess(command, args, label, { env = process.env, stderr = "inherit" } = {}) {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", stderr], env });
  let buffer = "";
  const lines = [];
  const waiters = new Set();
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk) => {
    buffer += chunk;
    for (let i = buffer.indexOf("\n"); i >= 0; i = buffer.indexOf("\n")) {
      const line = buffer.slice(0, i).replace(/\r$/, "");
      buffer = buffer.slice(i + 1);
      lines.push(line);
      for (const waiter of [...waiters]) waiter(line);
    }
  });
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
  return {
    child,
    line(prefix, timeoutMs = LINE_TIMEOUT_MS) {
      const seen = lines.find((l) => l.startsWith(prefix));
      if (seen !== undefined) return Promise.resolve(seen.slice(prefix.length).trim());
      return new Promise((resolve, reject) => {
        const finish = (error, value) => {
          clearTimeout(timer);
          waiters.delete(waiter);
          if (error) reject(error);
          else resolve(value);
        };
        const timer = setTimeout(
          () => finish(new Error(`${label}: no "${prefix}" line within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const waiter = (line) => {
          if (line.startsWith(prefix)) finish(null, line.slice(prefix.length).trim());
        };
        waiters.add(waiter);
        exited.then((how) => {
          if (waiters.has(waiter)) finish(new Error(`${label} exited (${how}) before printing "${prefix}"`));
        });
      });
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

/** `node <scenario file> <role> <variant> <params>`. */
function startRole(file, role, variant, params) {
  const args = ["--expose-gc", fileURLToPath(file), role, variant, JSON.stringify(params)];
  return startProcess(process.execPath, args, `${role} ${variant}`);
}

/**
 * One run of one variant: a server process, then a client process; returns the client's
 * result (with the server's report when the scenario asks for one). A scenario may start
 * its server another way (`scenario.startServer`) or use another variant's clients
 * (`scenario.clientVariant`).
 */
export async function runOnce(scenario, variant, params) {
  const server =
    (await scenario.startServer?.(variant, params)) ?? startRole(scenario.file, "server", variant, params);
  try {
    const port = Number(await server.line("READY"));
    const clientVariant = scenario.clientVariant?.(variant) ?? variant;
    const client = startRole(scenario.file, "client", clientVariant, { ...params, port });
    try {
      const result = JSON.parse(await client.line("RESULT"));
      if (!scenario.serverReport) return result;
      return { ...result, server: JSON.parse(await server.line("REPORT")) };
    } finally {
      client.kill();
    }
  } finally {
    server.kill();
    await server.cleanup?.();
  }
}

/**
 * Runs a scenario: `rounds` rounds, each running every variant once, the order reversed
 * every other round (A B, B A, A B, …), and returns `scenario.summarize(samples)`.
 */
export async function runScenario(scenario, { rounds, size }) {
  // A smoke run checks that every figure comes out, not its size: its tiny measurement
  // windows stay open until they have counted something (see measurementWindow).
  const params = { ...scenario.params[size], ...(size === "smoke" ? { untilFirstEvent: true } : {}) };
  const variants = scenario.variants ?? ["gdnet", "anchor"];
  const samples = Object.fromEntries(variants.map((variant) => [variant, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of order) samples[variant].push(await runOnce(scenario, variant, params));
  }
  return scenario.summarize(samples, params);
}
