import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";
import { afterEach, expect, it } from "vitest";
import { launchChromium, servePages } from "./support/browser.js";
import { describeWithTool } from "./support/tools.js";

/*
 * Every snippet of the README runs here as written: the Node server snippet in a child
 * process (the port replaced by a free one), the browser client snippet in headless
 * Chromium against it.
 */

const root = new URL("..", import.meta.url);

/** The README's snippets by name (`<!-- snippet: name -->` before a ```ts block). */
function snippets(): Map<string, string> {
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

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

it("the README has the browser client and Node server snippets, and each has about 15 lines", () => {
  const found = snippets();
  expect([...found.keys()].sort()).toEqual(["browser-client", "node-server"]);
  for (const [name, code] of found) {
    const lines = code.trim().split("\n").length;
    expect(lines, name).toBeGreaterThanOrEqual(8);
    expect(lines, name).toBeLessThanOrEqual(22);
  }
});

describeWithTool("chromium", "the README snippets", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("the browser client talks to the Node server: both print what the README says", async () => {
    const found = snippets();
    const port = await freePort();
    // The Node server, as written, on a free port.
    const serverJs = (await toJs(found.get("node-server")!)).replaceAll("9080", String(port));
    const dir = new URL("test/.tmp/", root);
    mkdirSync(dir, { recursive: true });
    const serverFile = fileURLToPath(new URL("readme-node-server.mjs", dir));
    writeFileSync(serverFile, serverJs);
    const server = spawn(process.execPath, [serverFile], { stdio: ["ignore", "pipe", "inherit"] });
    cleanups.push(() => {
      server.kill("SIGKILL");
    });
    let serverOut = "";
    server.stdout!.setEncoding("utf8");
    server.stdout!.on("data", (chunk: string) => {
      serverOut += chunk;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));

    // The browser client, as written, pointed at that port.
    const clientJs = (await toJs(found.get("browser-client")!))
      .replaceAll("ws://localhost:9080", `ws://127.0.0.1:${port}`)
      .replace(/from\s*"gdnet"/, 'from "/gdnet.js"');
    const pages = await servePages({
      "/": '<!doctype html><title>readme</title><script type="module" src="/client.js"></script>',
      "/client.js": clientJs,
    });
    cleanups.push(() => pages.close());
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const page = await browser.newPage();
    const consoleLines: string[] = [];
    page.on("console", (message) => consoleLines.push(message.text()));
    await page.goto(`${pages.url}/`);
    const deadline = Date.now() + 10_000;
    while (!consoleLines.some((l) => l.startsWith("Got:")) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const got = consoleLines.find((l) => l.startsWith("Got:"));
    expect(got).toMatch(/^Got: \d+ says: Hello from the browser!$/);
    const id = /Got: (\d+)/.exec(got!)![1];
    expect(serverOut).toContain(`Client ${id} joined`);
    await page.close();
    const leftBy = Date.now() + 10_000;
    while (!serverOut.includes(`Client ${id} left`) && Date.now() < leftBy) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(serverOut).toContain(`Client ${id} left`);
  });
});
