import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

/*
 * `npm run docs` builds the API reference with the guides of docs/ included, and typedoc
 * is set to treat every warning as an error. This runs the same build into a scratch
 * folder and checks that it exits 0 and prints no warning at all.
 */

const root = fileURLToPath(new URL("..", import.meta.url));
const out = mkdtempSync(join(tmpdir(), "gdnet-docs-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

it("typedoc builds the API reference and the guides with no warning", () => {
  const run = spawnSync(process.execPath, [join(root, "node_modules/typedoc/bin/typedoc"), "--out", out], {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
  });
  const output = `${run.stdout}\n${run.stderr}`;
  expect(output).not.toMatch(/\[warning\]|\[error\]/);
  expect(run.status, output).toBe(0);
  const pages = readdirSync(out, { recursive: true }).map(String);
  // The guides are part of the site, and so is a page per ported class.
  for (const guide of ["getting-started", "porting", "testing", "values", "benchmarks", "multiplayer"]) {
    expect(pages.some((page) => page.includes(guide))).toBe(true);
  }
  expect(pages.some((page) => page.includes("WebSocketServer"))).toBe(true);
}, 150_000);
