import { execFileSync } from "node:child_process";
import { describe, it } from "vitest";

/** Whether an executable is on PATH. */
export function hasTool(command: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const onCi = process.env.CI === "true" || process.env.CI === "1";

/**
 * `describe` for a suite that needs a system tool. Without the tool the suite is
 * skipped with a printed notice, except on CI (`CI=true`), where a missing tool is a
 * failing test: CI installs every tool, so a missing one is a broken CI.
 */
export function describeWithTool(command: string, name: string, body: () => void): void {
  if (hasTool(command)) {
    describe(name, body);
    return;
  }
  if (onCi) {
    describe(name, () => {
      it(`needs ${command}, which CI must install`, () => {
        throw new Error(`${command} is not installed (CI=true makes a missing tool a failure)`);
      });
    });
    return;
  }
  // Conditional: reached only when the tool is missing and this is not CI, and said aloud.
  console.warn(`[gdnet tests] skipping "${name}": ${command} is not installed`);
  describe.skip(name, body);
}
