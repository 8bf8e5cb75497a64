import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StreamPeerTCP, TCPServer } from "../../src/index.js";

/** The Godot 3.2.3 headless binary from Debian's `godot3-server` package. */
export const GODOT = "godot3-server";

/** A running GDScript (`extends SceneTree`) in a real Godot engine. */
export interface GodotProcess {
  readonly child: ChildProcess;
  /** Every line Godot printed to stdout so far. */
  readonly lines: string[];
  /** Resolves with the first stdout line that satisfies `match` (already printed or later). */
  waitForLine(match: string | RegExp | ((line: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Resolves when the process exits, with its exit code and everything printed. */
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Kills the engine at once (SIGKILL) and removes its project folder. */
  kill(): void;
}

/**
 * Starts `godot3-server` on a throwaway project holding `script` (GDScript that
 * `extends SceneTree`). Extra `args` reach the script through `OS.get_cmdline_args()`.
 */
export function startGodot(script: string, args: string[] = []): GodotProcess {
  const dir = mkdtempSync(join(tmpdir(), "gdnet-godot-"));
  writeFileSync(join(dir, "project.godot"), "");
  writeFileSync(join(dir, "main.gd"), script);
  const child = spawn(GODOT, ["--path", dir, "--script", "main.gd", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LANG: "C.UTF-8", LC_ALL: "C.UTF-8" },
  });
  const lines: string[] = [];
  let stdout = "";
  let stderr = "";
  let partial = "";
  const waiters = new Set<(line: string) => void>();
  child.stdout!.setEncoding("utf8");
  child.stderr!.setEncoding("utf8");
  child.stdout!.on("data", (chunk: string) => {
    stdout += chunk;
    partial += chunk;
    let newline = partial.indexOf("\n");
    while (newline >= 0) {
      const line = partial.slice(0, newline).replace(/\r$/, "");
      partial = partial.slice(newline + 1);
      lines.push(line);
      for (const waiter of [...waiters]) waiter(line);
      newline = partial.indexOf("\n");
    }
  });
  child.stderr!.on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on("exit", (code) => {
      if (partial) lines.push(partial);
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, stdout, stderr });
    });
  });
  return {
    child,
    lines,
    exited,
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
    waitForLine(match, timeoutMs = 15000) {
      const test =
        typeof match === "function"
          ? match
          : typeof match === "string"
            ? (line: string) => line.includes(match)
            : (line: string) => match.test(line);
      const seen = lines.find(test);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(
              `Godot did not print a matching line within ${timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`,
            ),
          );
        }, timeoutMs);
        const waiter = (line: string) => {
          if (!test(line)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(line);
        };
        waiters.add(waiter);
        void exited.then(() => {
          if (!waiters.has(waiter)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          reject(
            new Error(
              `Godot exited before printing a matching line.\nstdout:\n${stdout}\nstderr:\n${stderr}`,
            ),
          );
        });
      });
    },
  };
}

/** Runs a GDScript to completion and returns what it printed. Rejects after `timeoutMs`. */
export async function runGodot(
  script: string,
  args: string[] = [],
  timeoutMs = 30000,
): Promise<{ code: number | null; stdout: string; stderr: string; lines: string[] }> {
  const godot = startGodot(script, args);
  const timer = setTimeout(() => godot.kill(), timeoutMs);
  const result = await godot.exited;
  clearTimeout(timer);
  return { ...result, lines: godot.lines };
}

/**
 * Polls `server` every 2 ms of real time until a connection is available (a Godot
 * process connecting to it), then takes it; `null` after `timeoutMs`.
 */
export async function takeGodotConnection(
  server: TCPServer,
  timeoutMs = 10_000,
): Promise<StreamPeerTCP | null> {
  const deadline = performance.now() + timeoutMs;
  while (!server.isConnectionAvailable() && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 2));
    server.poll();
  }
  return server.takeConnection();
}
