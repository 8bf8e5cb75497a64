import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { browserBundle } from "./support/browser.js";
import { readmeSnippets, runReadmeSnippets } from "./support/readme.js";
import { describeWithTool } from "./support/tools.js";

/*
 * Every snippet of the README runs here as written, on the repository's build: the Node
 * server snippet in a child process (the port replaced by a free one), the browser client
 * snippet in headless Chromium against it. test/package.test.ts runs them again on the
 * installed package.
 */

it("the README has the browser client and Node server snippets, and each has about 15 lines", () => {
  const found = readmeSnippets();
  expect([...found.keys()].sort()).toEqual(["browser-client", "node-server"]);
  for (const [name, code] of found) {
    const lines = code.trim().split("\n").length;
    expect(lines, name).toBeGreaterThanOrEqual(8);
    expect(lines, name).toBeLessThanOrEqual(22);
  }
});

describeWithTool("chromium", "the README snippets", () => {
  it("the browser client talks to the Node server: both print what the README says", async () => {
    // Inside the repository, so that the server's `import "gdnet"` is the package itself.
    const dir = new URL("../test/.tmp/", import.meta.url);
    mkdirSync(dir, { recursive: true });
    const run = await runReadmeSnippets({ serverDir: fileURLToPath(dir), bundle: browserBundle() });
    expect(run.clientLine, run.clientConsole.join("\n")).toMatch(/^Got: \d+ says: Hello from the browser!$/);
    const id = /Got: (\d+)/.exec(run.clientLine!)![1];
    expect(run.serverBeforeClose).toContain(`Client ${id} joined`);
    expect(run.serverAfterClose).toContain(`Client ${id} left`);
  });
});
