import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as gdnet from "../../src/index.js";
import { HTTPRequest } from "../../src/index.js";
import { runHttpScenarios, type ScenarioOutcome } from "../fixtures/http-browser-scenarios.mjs";
import { browserBundle, CHROMIUM, launchChromium } from "../support/browser.js";
import { describeWithTool } from "../support/tools.js";

/*
 * HTTPRequest in headless Chromium, through the browser bundle (fetch), and the same
 * scenarios in Node (node:http), against one server that also serves the page, so
 * there is no cross-origin request. Run `npm run build` first: the page loads
 * dist/browser/gdnet.js.
 */

const DOWNLOAD_SIZE = 256 * 1024;
const PIECE = 16 * 1024;

function downloadBody(): Uint8Array {
  const body = new Uint8Array(DOWNLOAD_SIZE);
  for (let i = 0; i < body.length; i++) body[i] = (i * 7 + (i >> 10)) & 0xff;
  return body;
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>gdnet HTTPRequest</title>
<script type="module">
import * as gdnet from "/gdnet.js";
import { runHttpScenarios } from "/scenarios.mjs";
window.results = await runHttpScenarios(gdnet, location.origin, () => new Promise((r) => setTimeout(r, 10)));
</script>`;

describeWithTool("chromium", "HTTPRequest in a browser", () => {
  let server: http.Server;
  let base: string;
  let browser: Browser;
  const silent = new Set<http.ServerResponse>();

  beforeAll(async () => {
    expect(CHROMIUM).toBe("/usr/bin/chromium");
    const bundle = browserBundle();
    const scenarios = readFileSync(
      new URL("../fixtures/http-browser-scenarios.mjs", import.meta.url),
      "utf8",
    );
    const body = downloadBody();
    server = http.createServer((req, res) => {
      res.sendDate = false;
      const path = (req.url ?? "/").split("?")[0];
      if (path === "/gdnet.js" || path === "/scenarios.mjs") {
        res
          .writeHead(200, { "Content-Type": "text/javascript" })
          .end(path === "/gdnet.js" ? bundle : scenarios);
      } else if (path === "/page.html") {
        res.writeHead(200, { "Content-Type": "text/html" }).end(PAGE);
      } else if (path === "/download") {
        // Sent in pieces a few milliseconds apart, so progress is visible over several frames.
        res.writeHead(200, {
          "Content-Type": "application/octet-stream",
          "Content-Length": String(DOWNLOAD_SIZE),
          "X-Game": "demo",
        });
        let at = 0;
        const next = () => {
          if (res.destroyed) return;
          res.write(body.subarray(at, at + PIECE));
          at += PIECE;
          if (at < DOWNLOAD_SIZE) setTimeout(next, 15);
          else res.end();
        };
        next();
      } else if (path === "/echo") {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          res
            .writeHead(201, { "Content-Type": "text/plain" })
            .end(`${req.method} ${req.headers["content-type"]} ${text}`);
        });
      } else if (path === "/silent") {
        silent.add(res);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function inBrowser(): Promise<Record<string, ScenarioOutcome>> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${base}/page.html`);
    await page.waitForFunction(
      () => (window as unknown as { results?: unknown }).results !== undefined,
      null,
      {
        timeout: 20_000,
      },
    );
    const results = await page.evaluate(
      () => (window as unknown as { results: Record<string, ScenarioOutcome> }).results,
    );
    await page.close();
    expect(errors).toEqual([]);
    return results;
  }

  const inNode = () => runHttpScenarios(gdnet, base, () => new Promise((resolve) => setTimeout(resolve, 10)));

  it("a page using the browser build does a GET with progress, a POST, a timeout and a cancel, as Node does", async () => {
    const browserResults = await inBrowser();
    const nodeResults = await inNode();
    const expected = downloadBody();
    let sum = 0;
    for (const byte of expected) sum = (sum * 31 + byte) >>> 0;

    for (const results of [browserResults, nodeResults]) {
      const { get, post, timeout, cancel } = results as Awaited<ReturnType<typeof inNode>>;
      expect(get).toMatchObject({
        result: HTTPRequest.RESULT_SUCCESS,
        code: 200,
        bodyLength: DOWNLOAD_SIZE,
        checksum: sum,
        status: 0,
      });
      expect(get.headers).toContain("x-game: demo");
      // Progress seen frame by frame: several partial counts, with the announced size.
      const partial = get.progress!.filter(([downloaded]) => downloaded > 0 && downloaded < DOWNLOAD_SIZE);
      expect(partial.length).toBeGreaterThanOrEqual(3);
      for (const [, bodySize] of get.progress!) expect(bodySize).toBe(DOWNLOAD_SIZE);
      expect(get.progress!.at(-1)![0]).toBe(DOWNLOAD_SIZE);
      expect(post).toMatchObject({
        result: HTTPRequest.RESULT_SUCCESS,
        code: 201,
        text: 'POST application/json {"player":"ada","score":1234}',
      });
      expect(timeout).toMatchObject({
        result: HTTPRequest.RESULT_TIMEOUT,
        code: 0,
        bodyLength: 0,
        headers: [],
      });
      expect(cancel).toEqual({ cancelled: true, emitted: false, status: 0 });
    }

    // The same reports, once header spelling and frame timing are set aside.
    const comparable = (results: Record<string, ScenarioOutcome>) =>
      Object.fromEntries(
        Object.entries(results).map(([name, outcome]) => {
          const { progress: _progress, headers, ...rest } = outcome;
          return [name, { ...rest, headers: headers?.filter((line) => line.startsWith("x-game")) }];
        }),
      );
    expect(comparable(browserResults)).toEqual(comparable(nodeResults));
  }, 60_000);

  it("in a browser, a download file cannot be opened and a GET with a body is refused", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/page.html`);
    await page.waitForFunction(() => (window as unknown as { results?: unknown }).results !== undefined);
    // A plain string, so the test runner does not rewrite the page's dynamic import.
    const outcome = (await page.evaluate(`(async () => {
      const gd = await import("/gdnet.js");
      const run = (setup) => new Promise((resolve) => {
        const request = new gd.HTTPRequest();
        request.requestCompleted.connect((result, code) => resolve([result, code]));
        const error = setup(request);
        if (error !== 0) resolve([-1, error]);
        const tick = () => { request.poll(); setTimeout(tick, 10); };
        tick();
      });
      const file = await run((request) => {
        request.downloadFile = "/tmp/x";
        return request.request(location.origin + "/echo", [], gd.HTTPClient.METHOD_POST, "x");
      });
      const getWithBody = await run((request) =>
        request.request(location.origin + "/echo", [], gd.HTTPClient.METHOD_GET, "body"));
      return { file, getWithBody };
    })()`)) as { file: number[]; getWithBody: number[] };
    await page.close();
    expect(outcome.file).toEqual([HTTPRequest.RESULT_DOWNLOAD_FILE_CANT_OPEN, 201]);
    expect(outcome.getWithBody).toEqual([HTTPRequest.RESULT_REQUEST_FAILED, 0]);
  }, 30_000);
});
