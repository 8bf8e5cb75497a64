import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { browserBundle } from "../support/browser.js";

/** Every module reachable from `entry` through relative imports, in dist/. */
function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    const source = readFileSync(file, "utf8");
    const specifiers = [
      ...source.matchAll(
        /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|import\s*["']([^"']+)["']/g,
      ),
    ].map((m) => m[1] ?? m[2] ?? m[3]!);
    seen.set(file, specifiers);
    for (const specifier of specifiers) {
      if (specifier.startsWith(".")) stack.push(join(file, "..", specifier));
    }
  }
  return seen;
}

/** The packages the browser build may import: synchronous, browser-safe (SPEC §2). */
const BROWSER_SAFE = new Set(["@noble/hashes", "fflate"]);

/** The package a bare specifier imports from (`@scope/name/sub.js` → `@scope/name`). */
const packageOf = (specifier: string) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

describe("the browser build", () => {
  const dist = fileURLToPath(new URL("../../dist/", import.meta.url));

  it("imports neither ws nor any node: module, from the browser entry of dist/", () => {
    const graph = reachable(join(dist, "index.browser.js"));
    expect(graph.size).toBeGreaterThan(10);
    const bare = [...graph.values()].flat().filter((s) => !s.startsWith("."));
    expect(bare.filter((s) => !BROWSER_SAFE.has(packageOf(s)))).toEqual([]);
  });

  it("the single-file bundle contains no import of ws or node: modules", () => {
    const bundle = browserBundle();
    expect(bundle).not.toMatch(/from\s*["'](ws|node:[^"']*)["']/);
    expect(bundle).not.toMatch(/require\(\s*["'](ws|node:[^"']*)["']\s*\)/);
    expect(bundle).not.toMatch(/import\(\s*["'](ws|node:[^"']*)["']\s*\)/);
    expect(bundle).toMatch(/StreamPeerTCP/);
  });

  it("the Node entry does reach node:net (the check above can fail)", () => {
    const graph = reachable(join(dist, "index.js"));
    const bare = [...graph.values()].flat().filter((s) => !s.startsWith("."));
    expect(bare).toContain("node:net");
    expect(statSync(join(dist, "index.js")).isFile()).toBe(true);
    expect(readdirSync(dist)).toContain("index.browser.js");
  });
});
