import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { transform } from "esbuild";
import { launchChromium, servePages } from "./browser.js";

/*
 * The README's two snippets, run as written: the Node server in a child process, the
 * browser client in headless Chromium against it. test/readme.test.ts runs them on the
 * repository's build, test/package.test.ts on installed copies of the package.
 */

const root = new URL("../../", import.meta.url);

/** The README's snippets by name (`<!-- snippet: name -->` before a ```ts block). */
export function readmeSnippets(): Map<string, string> {
  const readme = readFileSync(new URL("README.md", root), "utf8");
  const found = new Map<string, string>();
  for (const match of readme.matchAll(/<!-- snippet: ([\w-]+) -->\s*```ts\n([\s\S]*?)```/g)) {
    found.set(match[1]!, match[2]!);
  }
  return found;
}

async function toJs(source: string): Promise<string> {
  return (await transform(source, { loader: "ts", format: "esm", target: "es2022" })).code;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once something accepts TCP connections on the port, or rejects at the deadline. */
async function waitForListener(port: number, timeoutMs: number, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !exited()) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listened on port ${port} within ${timeoutMs} ms`);
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** What the two snippets printed. */
export interface ReadmeRun {
  /** The client's `Got: …` console line, if it printed one. */
  clientLine: string | undefined;
  /** Everything the page printed, its errors included (for a failure's message). */
  clientConsole: string[];
  /** The server's output when the client had its answer. */
  serverBeforeClose: string;
  /** The server's output after the page was closed (and it said the client left, or 10 s passed). */
  serverAfterClose: string;
}

/**
 * Runs the Node server snippet with `node` from `serverDir`, where `import "gdnet"` must
 * resolve to the package under test, and the browser client in Chromium with `"gdnet"`
 * replaced by `bundle` (the text of a browser bundle). Each wait is bounded (about 10 s).
 */
export async function runReadmeSnippets(options: { serverDir: string; bundle: string }): Promise<ReadmeRun> {
  const found = readmeSnippets();
  const cleanups: (() => Promise<void> | void)[] = [];
  try {
    const port = await freePort();
    const serverJs = (await toJs(found.get("node-server")!)).replaceAll("9080", String(port));
    const serverFile = join(options.serverDir, "readme-node-server.mjs");
    writeFileSync(serverFile, serverJs);
    const server = spawn(process.execPath, [serverFile], {
      cwd: options.serverDir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let exited = false;
    server.once("exit", () => {
      exited = true;
    });
    cleanups.push(() => {
      server.kill("SIGKILL");
    });
    let serverOut = "";
    server.stdout!.setEncoding("utf8");
    server.stdout!.on("data", (chunk: string) => {
      serverOut += chunk;
    });
    server.stderr!.setEncoding("utf8");
    server.stderr!.on("data", (chunk: string) => {
      serverOut += chunk;
    });
    await waitForListener(port, 10_000, () => exited).catch((error: Error) => {
      throw new Error(`${error.message}; the server printed: ${serverOut}`);
    });

    const clientJs = (await toJs(found.get("browser-client")!))
      .replaceAll("ws://localhost:9080", `ws://127.0.0.1:${port}`)
      .replace(/from\s*"gdnet"/, 'from "/bundle/gdnet.js"');
    const pages = await servePages({
      "/": '<!doctype html><title>readme</title><script type="module" src="/client.js"></script>',
      "/client.js": clientJs,
      "/bundle/gdnet.js": options.bundle,
    });
    cleanups.push(() => pages.close());
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const page = await browser.newPage();
    const consoleLines: string[] = [];
    page.on("console", (message) => consoleLines.push(message.text()));
    page.on("pageerror", (error) => consoleLines.push(`pageerror: ${error.message}`));
    await page.goto(`${pages.url}/`);
    await waitUntil(() => consoleLines.some((line) => line.startsWith("Got:")), 10_000);
    const clientLine = consoleLines.find((line) => line.startsWith("Got:"));
    const serverBeforeClose = serverOut;
    await page.close();
    const id = /Got: (\d+)/.exec(clientLine ?? "")?.[1];
    if (id !== undefined) await waitUntil(() => serverOut.includes(`Client ${id} left`), 10_000);
    return { clientLine, clientConsole: consoleLines, serverBeforeClose, serverAfterClose: serverOut };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}
