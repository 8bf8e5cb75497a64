import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./support/browser.js";
import { describeWithTool } from "./support/tools.js";

const root = new URL("..", import.meta.url);

describeWithTool("chromium", "the chat demo (npm run demo)", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("the browser page sends a chat line, shows it relayed and shows the bots talking; a screenshot is saved", async () => {
    const { startChatDemo } = await import("../examples/chat/main.mjs");
    const demo = await startChatDemo({ httpPort: 0, wsPort: 0, botIntervalMs: 300 });
    cleanups.push(() => demo.stop());
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 800, height: 560 } });
    await page.goto(demo.url);
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "connected");
    await page.fill("#message", "/name Tester");
    await page.click("button");
    await page.fill("#message", "Hello from the browser test!");
    await page.click("button");
    await page.waitForFunction(
      () => {
        const text = document.getElementById("log")?.textContent ?? "";
        return (
          text.includes("Tester: Hello from the browser test!") && /Ada: /.test(text) && /Bob: /.test(text)
        );
      },
      undefined,
      { timeout: 15_000 },
    );
    const log = (await page.textContent("#log")) ?? "";
    expect(log).toMatch(/Peer \d+ is now Tester\./);
    expect(log).toContain("Tester: Hello from the browser test!");
    // The bots speak lines from their scripts (which ones depends on when the page joined).
    expect(log).toMatch(/Ada: (Hello, everyone!|Anyone up for a match\?|I'll take the left flank\.|GG!)/);
    expect(log).toMatch(/Bob: (Hi Ada!|Sure, count me in\.|Right flank it is\.|Well played\.)/);
    const dir = new URL("test-results/", root);
    mkdirSync(dir, { recursive: true });
    const screenshot = fileURLToPath(new URL("chat-demo.png", dir));
    await page.screenshot({ path: screenshot });
  });
});

it("npm run demo prints the URL to open and Ctrl-C stops everything cleanly", async () => {
  const demo = spawn(
    process.execPath,
    [fileURLToPath(new URL("examples/demo.mjs", root)), "--port", "0", "--ws-port", "0"],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let out = "";
  demo.stdout!.setEncoding("utf8");
  demo.stdout!.on("data", (chunk: string) => {
    out += chunk;
  });
  const deadline = Date.now() + 10_000;
  while (!/open http:\/\/127\.0\.0\.1:\d+\//.test(out) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(out).toMatch(/open http:\/\/127\.0\.0\.1:\d+\//);
  // Let the bots join and talk for a moment.
  await new Promise((resolve) => setTimeout(resolve, 800));
  const exited = new Promise<number | null>((resolve) => demo.on("exit", (code) => resolve(code)));
  demo.kill("SIGINT");
  const timeout = setTimeout(() => demo.kill("SIGKILL"), 10_000);
  const code = await exited;
  clearTimeout(timeout);
  expect(code).toBe(0);
  expect(out).toMatch(/\[chat\] Peer \d+ joined\./);
  expect(out).toContain("Chat demo stopped.");
});

/** Runs the demo with `args` until it exits (at most 10 s); its exit code and output. */
function runDemo(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const demo = spawn(process.execPath, [fileURLToPath(new URL("examples/demo.mjs", root)), ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    demo.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    demo.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const guard = setTimeout(() => demo.kill("SIGKILL"), 10_000);
    demo.on("close", (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("npm run demo with a port taken", () => {
  let taken: net.Server;
  let port = 0;
  beforeAll(async () => {
    taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    port = (taken.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  it("the page's port: one line naming --port, exit code 1, no stack", async () => {
    const { code, stdout, stderr } = await runDemo(["--port", String(port), "--ws-port", "0"]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(`gdnet demo: port ${port} is in use; choose another with --port <n>\n`);
  });

  it("the WebSocket port: one line naming --ws-port, exit code 1, no stack", async () => {
    const { code, stdout, stderr } = await runDemo(["--port", "0", "--ws-port", String(port)]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(`gdnet demo: WebSocket port ${port} is in use; choose another with --ws-port <n>\n`);
  });

  it("a port that is not a number: one line saying so, exit code 1", async () => {
    const { code, stderr } = await runDemo(["--port", "eighty"]);
    expect(code).toBe(1);
    expect(stderr).toBe('gdnet demo: --port needs a port number from 0 to 65535, not "eighty"\n');
  });
});
