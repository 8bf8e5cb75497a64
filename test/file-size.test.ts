import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/*
 * STYLE.md: a source file past ~400 lines is usually two things. One that is longer says
 * why at its top, in a first line starting "// Why this file is long:".
 */

const SRC = fileURLToPath(new URL("../src/", import.meta.url));
const LIMIT = 420;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

describe("source file sizes", () => {
  it("finds the sources (the check below is over a real list)", () => {
    expect(sources(SRC).length).toBeGreaterThan(50);
  });

  it("every file over 420 lines says at its top why it is long", () => {
    const unexplained = sources(SRC)
      .filter((path) => {
        const text = readFileSync(path, "utf8");
        return text.split("\n").length > LIMIT && !text.startsWith("// Why this file is long:");
      })
      .map((path) => relative(SRC, path));
    expect(unexplained).toEqual([]);
  });
});
