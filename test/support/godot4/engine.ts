import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { GODOT4_DIR, godot4Present } from "../../../scripts/fetch-godot4.mjs";
import { HOST_PAGE, RUN_PAGE } from "./pages.js";
import { godotProject, type PackFiles, writePck } from "./pck.js";

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

/** What a script run ended with. */
export interface Godot4Exit {
  /** The `quit(code)` value; `null` when the run timed out or was stopped. */
  code: number | null;
  timedOut: boolean;
  /** Every `print()` line, in order. */
  lines: string[];
  /** Every `printerr()` line and engine error, in order. */
  errors: string[];
}

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

/** A GDScript running in the engine. */
export interface Godot4Run {
  /** Every `print()` line so far. */
  readonly lines: string[];
  /** Every `printerr()` line and engine error so far. */
  readonly errors: string[];
  /** Resolves with the first line (already printed or later) that matches; rejects when the run ends first or after `timeoutMs`. */
  waitForLine(match: string | RegExp | ((line: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Resolves when the script quits, times out or is stopped. */
  readonly exited: Promise<Godot4Exit>;
  /** Ends the run now (its exit has `code: null`). */
  stop(): Promise<void>;
}

type LineMatch = string | RegExp | ((line: string) => boolean);

function matcher(match: LineMatch): (line: string) => boolean {
  if (typeof match === "function") return match;
  if (typeof match === "string") return (line) => line.includes(match);
  return (line) => match.test(line);
}

interface RunState {
  lines: string[];
  errors: string[];
  onLine?: (line: string) => void;
  lineWaiters: Set<(line: string) => void>;
  endWaiters: Set<() => void>;
  finish(code: number | null, timedOut: boolean): void;
}

/**
 * One headless Chromium with one host page: many runs, one after another or several at
 * once (each an iframe with its own engine). Share one per test file.
 */
export class Godot4Browser {
  #browser: Browser;
  #page: Page;
  #server: http.Server;
  #url: string;
  #packs = new Map<number, Uint8Array>();
  #runs = new Map<number, RunState>();
  #nextId = 1;

  private constructor(browser: Browser, page: Page, server: http.Server, url: string) {
    this.#browser = browser;
    this.#page = page;
    this.#server = server;
    this.#url = url;
  }

  /** Starts Chromium on the engine files in `engineDir` and waits until the wasm is compiled. */
  static async launch(engineDir = GODOT4_DIR): Promise<Godot4Browser> {
    const engineJs = readFileSync(join(engineDir, "index.js"));
    const engineWasm = readFileSync(join(engineDir, "index.wasm"));
    let self: Godot4Browser | undefined;
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
      const pack = path.startsWith("/pck/") ? self?.takePack(Number(path.slice(5))) : undefined;
      if (pack) return send("application/octet-stream", pack);
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
      const page = await browser.newPage({ viewport: { width: 640, height: 480 } });
      self = new Godot4Browser(browser, page, server, url);
      await self.#bridge();
      await page.goto(`${url}/`);
      await page.evaluate(
        () => (window as unknown as { gdnetGodot4Module: Promise<unknown> }).gdnetGodot4Module,
      );
      return self;
    } catch (error) {
      await browser?.close();
      server.closeAllConnections();
      server.close();
      throw error;
    }
  }

  private takePack(id: number): Uint8Array | undefined {
    const pack = this.#packs.get(id);
    this.#packs.delete(id);
    return pack;
  }

  async #bridge(): Promise<void> {
    const page = this.#page;
    await page.exposeFunction("gdnetGodot4Print", (id: number, line: string) => {
      const run = this.#runs.get(id);
      if (!run) return;
      run.lines.push(line);
      run.onLine?.(line);
      for (const waiter of [...run.lineWaiters]) waiter(line);
    });
    await page.exposeFunction("gdnetGodot4PrintError", (id: number, line: string) => {
      this.#runs.get(id)?.errors.push(line);
    });
    await page.exposeFunction("gdnetGodot4Exit", (id: number, code: number) => {
      this.#runs.get(id)?.finish(code, false);
    });
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
    const lines: string[] = [];
    const errors: string[] = [];
    const lineWaiters = new Set<(line: string) => void>();
    const endWaiters = new Set<() => void>();
    let resolveExit!: (exit: Godot4Exit) => void;
    const exited = new Promise<Godot4Exit>((resolve) => {
      resolveExit = resolve;
    });
    let ended = false;
    const stopFrame = () =>
      this.#page
        .evaluate(
          (frameId) => (window as unknown as { gdnetGodot4Stop(id: number): void }).gdnetGodot4Stop(frameId),
          id,
        )
        .catch(() => {});
    const finish = (code: number | null, timedOut: boolean) => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      this.#runs.delete(id);
      this.#packs.delete(id);
      // The engine has stopped its loop at quit(); removing the frame frees its memory.
      void stopFrame();
      for (const waiter of [...endWaiters]) waiter();
      resolveExit({ code, timedOut, lines, errors });
    };
    const timer = setTimeout(() => finish(null, true), options.timeoutMs ?? 20_000);
    this.#runs.set(id, { lines, errors, onLine: options.onLine, lineWaiters, endWaiters, finish });
    this.#packs.set(id, pack);
    const query = new URLSearchParams({
      id: String(id),
      args: JSON.stringify(options.args ?? []),
    }).toString();
    this.#page
      .evaluate(
        ([frameId, frameQuery]) =>
          (window as unknown as { gdnetGodot4Start(id: number, query: string): void }).gdnetGodot4Start(
            frameId,
            frameQuery,
          ),
        [id, query] as [number, string],
      )
      .catch((error: unknown) => {
        errors.push(`harness: ${String(error)}`);
        finish(HARNESS_FAILURE, false);
      });
    return {
      lines,
      errors,
      exited,
      stop: async () => {
        finish(null, false);
        await exited;
      },
      waitForLine(match, timeoutMs = 15_000) {
        const test = matcher(match);
        const seen = lines.find(test);
        if (seen !== undefined) return Promise.resolve(seen);
        return new Promise<string>((resolve, reject) => {
          const done = () => {
            clearTimeout(guard);
            lineWaiters.delete(onLine);
            endWaiters.delete(onEnd);
          };
          const onLine = (line: string) => {
            if (!test(line)) return;
            done();
            resolve(line);
          };
          const onEnd = () => {
            done();
            reject(
              new Error(
                `Godot run ended before a line matched ${String(match)}; errors:\n${errors.join("\n")}`,
              ),
            );
          };
          const guard = setTimeout(() => {
            done();
            reject(
              new Error(
                `no Godot line matched ${String(match)} in ${timeoutMs} ms; lines:\n${lines.join("\n")}`,
              ),
            );
          }, timeoutMs);
          if (ended) return onEnd();
          lineWaiters.add(onLine);
          endWaiters.add(onEnd);
        });
      },
    };
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
