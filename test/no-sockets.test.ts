import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { describeWithTool } from "./support/tools.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));

describeWithTool("unshare", "the memory contract suite without a network", () => {
  it("passes inside a network namespace whose only interface is down (no socket could work)", async () => {
    const vitest = fileURLToPath(new URL("../node_modules/vitest/vitest.mjs", import.meta.url));
    // Not even loopback is brought up here: any socket the suite opened would fail.
    const script = `ip -o link | grep -q 'state UP' && echo HAS_INTERFACE; exec "${process.execPath}" "${vitest}" run test/contract/memory.test.ts`;
    const { stdout } = await run("unshare", ["-rn", "sh", "-c", script], {
      cwd: root,
      timeout: 120_000,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    });
    expect(stdout).not.toContain("HAS_INTERFACE");
    expect(stdout).toMatch(/Tests\s+\S*\s*\d+ passed/);
    expect(stdout).not.toMatch(/failed/);
    expect(stdout).toMatch(/contract tests: memory \d+\/\d+ passed/);
  }, 180_000);
});
