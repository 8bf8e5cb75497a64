import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { GODOT4_DIR, godot4Present } from "../../../scripts/fetch-godot4.mjs";
import { HOST_PAGE, RUN_PAGE } from "./pages.js";
import { godotProject, type PackFiles, writePck } from "./pck.js";
import { type Godot4Run, RunRecord } from "./run.js";

export type { Godot4Exit, Godot4Run, LineMatch } from "./run.js";

/**
 * Runs GDScript in a real Godot Engine v4.6 (the official web export template, fetched by
 * `scripts/fetch-godot4.mjs`) inside headless Chromium. This file is the one crossing
 * between the tests and Chromium/Godot: tests speak in scripts, printed lines and exit
 * codes. See /work/shared/reference/godot4-web-engine.md for how the engine is driven.
 */

/** Debian's Chromium (browser downloads do not work here). */
export const CHROMIUM = "/usr/bin/chromium";

/** The flags of the reference: no sandbox or GPU, and no throttling of a page nobody looks at. */
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-background-timer-throttling",
  "--disable-renderer-backgrounding",
  "--disable-backgrounding-occluded-windows",
];

/** Exit code reported when the page itself failed (index.js threw, the pack did not load). */
export const HARNESS_FAILURE = -1000;

export interface Godot4RunOptions {
  /** More files for the pack (`res://` paths or paths without it): scripts, resources. */
  files?: PackFiles;
  /** User arguments, read in GDScript with `OS.get_cmdline_user_args()`. Avoid `%`. */
  args?: string[];
  /** The run is ended after this long (default 20 s); its exit then has `timedOut`. */
  timeoutMs?: number;
  /** Called with each `print()` line as it arrives. */
  onLine?: (line: string) => void;
}

/** The functions the run pages call, exposed by Playwright on every frame of the page. */
interface HarnessWindow {
  gdnetGodot4Module: Promise<unknown>;
  gdnetGodot4Start(id: number, query: string): void;
  gdnetGodot4Stop(id: number): void;
}

/**
 * One headless Chromium with one host page: many runs, one after another or several at
 * once (each an iframe with its own engine). Share one per test file.
 */
export class Godot4Browser {
  readonly #browser: Browser;
  readonly #page: Page;
  readonly #server: http.Server;
  /** Packs waiting for their run's page to fetch them, by run id. */
  readonly #packs: Map<number, Uint8Array>;
  readonly #runs = new Map<number, RunRecord>();
  #nextId = 1;

  private constructor(browser: Browser, page: Page, server: http.Server, packs: Map<number, Uint8Array>) {
    this.#packs = packs;
    this.#browser = browser;
    this.#page = page;
    this.#server = server;
  }

  /** Starts Chromium on the engine files in `engineDir` and waits until the wasm is compiled. */
  static async launch(engineDir = GODOT4_DIR): Promise<Godot4Browser> {
    const engineJs = readFileSync(join(engineDir, "index.js"));
    const engineWasm = readFileSync(join(engineDir, "index.wasm"));
    const packs = new Map<number, Uint8Array>();
    const server = http.createServer((request, response) => {
      const path = (request.url ?? "/").split("?")[0]!;
      const send = (type: string, body: string | Uint8Array) =>
        response
          .writeHead(200, {
            "content-type": type,
            "cross-origin-opener-policy": "same-origin",
            "cross-origin-embedder-policy": "require-corp",
          })
          .end(body);
      if (path === "/") return send("text/html; charset=utf-8", HOST_PAGE);
      if (path === "/run.html") return send("text/html; charset=utf-8", RUN_PAGE);
      if (path === "/index.js") return send("text/javascript", engineJs);
      if (path === "/index.wasm") return send("application/wasm", engineWasm);
      const id = path.startsWith("/pck/") ? Number(path.slice("/pck/".length)) : Number.NaN;
      const pack = packs.get(id);
      if (pack === undefined) return response.writeHead(404).end();
      packs.delete(id);
      send("application/octet-stream", pack);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
      const page = await browser.newPage({ viewport: { width: 640, height: 480 } });
      const godot = new Godot4Browser(browser, page, server, packs);
      await godot.#bridge();
      await page.goto(`${url}/`);
      await page.evaluate(() => (window as unknown as HarnessWindow).gdnetGodot4Module);
      return godot;
    } catch (error) {
      await browser?.close();
      server.closeAllConnections();
      server.close();
      throw error;
    }
  }

  async #bridge(): Promise<void> {
    const page = this.#page;
    await page.exposeFunction("gdnetGodot4Print", (id: number, line: string) =>
      this.#runs.get(id)?.print(line),
    );
    await page.exposeFunction("gdnetGodot4PrintError", (id: number, line: string) =>
      this.#runs.get(id)?.printError(line),
    );
    await page.exposeFunction("gdnetGodot4Exit", (id: number, code: number) =>
      this.#runs.get(id)?.finish(code, false),
    );
  }

  /**
   * Runs `script` (GDScript that `extends SceneTree`, the pack's `res://main.gd`) in a
   * fresh engine. Lines stream in as the engine prints them; the run ends on
   * `quit(code)`, on its timeout or on `stop()`.
   */
  run(script: string, options: Godot4RunOptions = {}): Godot4Run {
    return this.runPack(writePck(godotProject(script, options.files)), options);
  }

  /** Runs a `.pck` made by the caller (see `pck.ts`); `run()` is this with a pack of one script. */
  runPack(pack: Uint8Array, options: Omit<Godot4RunOptions, "files"> = {}): Godot4Run {
    const id = this.#nextId++;
    const run = new RunRecord(options.timeoutMs ?? 20_000, options.onLine, () => {
      this.#runs.delete(id);
      this.#packs.delete(id);
      // After quit() the engine's loop has stopped; removing the frame frees its memory.
      this.#page
        .evaluate((frameId) => (window as unknown as HarnessWindow).gdnetGodot4Stop(frameId), id)
        .catch(() => {});
    });
    this.#runs.set(id, run);
    this.#packs.set(id, pack);
    const query = new URLSearchParams({
      id: String(id),
      args: JSON.stringify(options.args ?? []),
    }).toString();
    this.#page
      .evaluate(
        ([frameId, frameQuery]) => (window as unknown as HarnessWindow).gdnetGodot4Start(frameId, frameQuery),
        [id, query] as [number, string],
      )
      .catch((error: unknown) => {
        run.printError(`harness: ${String(error)}`);
        run.finish(HARNESS_FAILURE, false);
      });
    return run;
  }

  /** Ends every run and closes Chromium and the file server. */
  async close(): Promise<void> {
    for (const run of [...this.#runs.values()]) run.finish(null, false);
    await this.#browser.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** Why the Godot 4.6 tests cannot run here, or `undefined` when they can. */
export function godot4Missing(engineDir = GODOT4_DIR): string | undefined {
  if (!existsSync(CHROMIUM)) return `Chromium is not installed at ${CHROMIUM}`;
  if (!godot4Present(engineDir))
    return "the Godot 4.6 web engine is not fetched (run node scripts/fetch-godot4.mjs)";
  return undefined;
}
