import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runReadmeSnippets } from "./support/readme.js";
import { describeWithTool } from "./support/tools.js";

/*
 * gdnet as a stranger gets it: `npm pack`, and `npm install` of the tarball and of the
 * git repository into an empty project, then the README's snippets run from the installed
 * package (the Node server through the package's Node entry, the browser client through
 * its browser bundle in Chromium). Both are made from the last commit, in a temporary
 * clone: the repository's own dist/ is never rebuilt under the other tests' feet.
 *
 * No network (`npm install --offline`). npm's cache, which `npm ci` filled, holds the
 * dev dependencies' tarballs (a git install builds with them, from its lock file), but
 * not the registry's package documents a fresh install resolves version ranges with. So
 * gdnet's runtime dependencies, at the versions package-lock.json holds, are packed from
 * the repository's node_modules and installed beside gdnet, standing in for the
 * registry: gdnet's ranges are met by them and nothing is looked up.
 */

const repo = fileURLToPath(new URL("..", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** The child's environment without the `npm_*` variables of an enclosing `npm test`. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toLowerCase().startsWith("npm_")) env[key] = value;
  }
  return { ...env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };
}

function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd, env: cleanEnv(), timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`${command} ${args.join(" ")} failed: ${error.message}\n${stdout}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

/** gdnet's runtime dependencies (and theirs), as package-lock.json lists them (top-level only). */
function runtimeDependencies(): string[] {
  const lock = JSON.parse(readFileSync(join(repo, "package-lock.json"), "utf8")) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
  };
  const names: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    const name = path.slice("node_modules/".length);
    if (!path.startsWith("node_modules/") || name.includes("/node_modules/")) continue;
    if (!entry.dev && !entry.devOptional) names.push(name);
  }
  return names;
}

/** An empty ES-module project in `dir`. */
function emptyProject(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const project = { name: "gdnet-consumer", private: true, type: "module" };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(project, null, 2)}\n`);
  return dir;
}

/** The browser bundle of the gdnet installed in `project`, found through its exports. */
function installedBundle(project: string): string {
  const require = createRequire(join(project, "package.json"));
  return readFileSync(require.resolve("gdnet/browser-bundle"), "utf8");
}

/**
 * Installs `spec` into `project` offline, with the packed runtime dependencies beside it;
 * a failed install is a failed test, on CI as anywhere.
 */
async function install(project: string, spec: string, dependencies: string[], timeoutMs: number) {
  try {
    await run(
      npm,
      ["install", "--offline", "--no-audit", "--no-fund", spec, ...dependencies],
      project,
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`(the install reads npm's cache: run \`npm ci\` first) ${(error as Error).message}`);
  }
}

/** Runs the README's snippets from the gdnet installed in `project`, and checks what they print. */
async function expectReadmeSnippetsToWork(project: string): Promise<void> {
  const result = await runReadmeSnippets({ serverDir: project, bundle: installedBundle(project) });
  expect(result.clientLine, result.clientConsole.join("\n")).toMatch(
    /^Got: \d+ says: Hello from the browser!$/,
  );
  const id = /Got: (\d+)/.exec(result.clientLine!)![1];
  expect(result.serverBeforeClose).toContain(`Client ${id} joined`);
  expect(result.serverAfterClose).toContain(`Client ${id} left`);
}

describe("the package (npm pack and npm install)", () => {
  let work = "";
  let tarball = "";
  let packed: string[] = [];
  let dependencies: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "gdnet-package-"));
    // A clone holds the committed files only; npm pack builds dist/ in it (prepack
    // empties it, prepare builds), with the repository's dev dependencies.
    const clone = join(work, "clone");
    await run("git", ["clone", "--quiet", repo, clone], work, 30_000);
    symlinkSync(join(repo, "node_modules"), join(clone, "node_modules"), "dir");
    const out = await run(npm, ["pack", "--json", "--pack-destination", work], clone, 120_000);
    const [result] = JSON.parse(out.slice(out.indexOf("["))) as {
      filename: string;
      files: { path: string }[];
    }[];
    tarball = join(work, result!.filename);
    packed = result!.files.map((file) => file.path);
    // The runtime dependencies as the registry would hand them out (`npm pack` of the
    // installed folders; no scripts run, nothing is fetched).
    const deps = join(work, "deps");
    mkdirSync(deps);
    const folders = runtimeDependencies().map((name) => join(repo, "node_modules", name));
    const depsOut = await run(
      npm,
      ["pack", "--json", "--ignore-scripts", "--pack-destination", deps, ...folders],
      work,
      60_000,
    );
    dependencies = (JSON.parse(depsOut.slice(depsOut.indexOf("["))) as { filename: string }[]).map((entry) =>
      join(deps, entry.filename),
    );
    expect(dependencies.length).toBe(folders.length);
  }, 150_000);

  afterAll(() => {
    if (work !== "") rmSync(work, { recursive: true, force: true });
  });

  it("the tarball holds the build, its sources, README and LICENSE, and no tests or fixtures", () => {
    expect(packed).toEqual(
      expect.arrayContaining([
        "package.json",
        "README.md",
        "LICENSE",
        "dist/index.js",
        "dist/index.d.ts",
        "dist/index.browser.js",
        "dist/browser/gdnet.js",
        "src/index.ts",
      ]),
    );
    expect(packed.filter((path) => /(^|\/)(test|tests|fixtures|__tests__)\//.test(path))).toEqual([]);
    expect(packed.filter((path) => /\.test\.[cm]?[jt]s$/.test(path))).toEqual([]);
    // Every source map either carries its sources or points at files the package ships.
    const maps = packed.filter((path) => path.endsWith(".map"));
    expect(maps.length).toBeGreaterThan(10);
    const unshipped: string[] = [];
    for (const path of maps) {
      const map = JSON.parse(readFileSync(join(work, "clone", path), "utf8")) as {
        sources: string[];
        sourcesContent?: unknown[];
      };
      if (map.sourcesContent?.length === map.sources.length) continue;
      for (const source of map.sources) {
        const target = posix.join(posix.dirname(path), source);
        if (!packed.includes(target)) unshipped.push(`${path} → ${target}`);
      }
    }
    expect(unshipped).toEqual([]);
  });

  describeWithTool("chromium", "installed", () => {
    it("from the tarball (offline): the README's server and browser client run from the installed package", async () => {
      const project = emptyProject(join(work, "from-tarball"));
      await install(project, tarball, dependencies, 60_000);
      await expectReadmeSnippetsToWork(project);
    }, 90_000);

    it("from a git+file:// URL (prepare builds it): the README's server and browser client run from the installed package", async () => {
      // A second, untouched clone: npm clones it again, installs the dev dependencies
      // there (from the cache) and runs prepare, which builds dist/.
      const origin = join(work, "origin");
      await run("git", ["clone", "--quiet", "--no-local", repo, origin], work, 30_000);
      const project = emptyProject(join(work, "from-git"));
      await install(project, `git+${pathToFileURL(origin).href}`, dependencies, 180_000);
      const installed = JSON.parse(readFileSync(join(project, "node_modules/gdnet/package.json"), "utf8"));
      expect(installed.name).toBe("gdnet");
      await expectReadmeSnippetsToWork(project);
    }, 240_000);
  });
});
