import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { STAGING_BYTES_LIMIT } from "../src/core/StagingBudget.js";
import { browserBundle, launchChromium } from "./support/browser.js";
import { describeWithTool } from "./support/tools.js";

/*
 * In a browser, HTTPRequest reads the fetch body only while the staging budget allows:
 * a page that stops polling stops reading, and reads on when it polls again. The page
 * counts the bytes every `ReadableStreamDefaultReader.read()` hands over (all of which
 * gdnet stages), so the bound is read on what gdnet pulled, not on memory. Run
 * `npm run build` first: the page loads dist/browser/gdnet.js.
 */

const MIB = 1024 * 1024;
const BODY_SIZE = 32 * MIB;

const PAGE = `<!doctype html><meta charset="utf-8"><title>gdnet HTTPRequest bound</title>
<script type="module">
import * as gdnet from "/gdnet.js";
let pulled = 0;
const read = ReadableStreamDefaultReader.prototype.read;
ReadableStreamDefaultReader.prototype.read = function () {
  return read.call(this).then((chunk) => {
    if (!chunk.done) pulled += chunk.value.byteLength;
    return chunk;
  });
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(done, limitMs, poll) {
  const end = performance.now() + limitMs;
  while (!done()) {
    if (performance.now() > end) throw new Error("condition not reached within " + limitMs + " ms");
    poll?.();
    await sleep(5);
  }
}
window.unpolledDownload = async () => {
  const request = new gdnet.HTTPRequest();
  let completion = null;
  request.requestCompleted.connect((result, code, _headers, body) => {
    completion = { result: gdnet.resultName(result), code, size: body.byteLength, last: body[body.byteLength - 1] };
  });
  request.request(location.origin + "/big");
  await until(() => request.getHttpClientStatus() === gdnet.HTTPClient.STATUS_BODY, 10000, () => request.poll());
  // No poll from here: gdnet reads up to its budget, then waits.
  await until(() => pulled >= ${STAGING_BYTES_LIMIT}, 10000);
  for (let i = 0; i < 20; i++) await sleep(10);
  const pulledWhileUnpolled = pulled;
  await until(() => completion !== null, 20000, () => request.poll());
  return { pulledWhileUnpolled, completion };
};
window.ready = true;
</script>`;

describeWithTool("chromium", "HTTPRequest in a browser that stops polling", () => {
  let server: http.Server;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    const bundle = browserBundle();
    const piece = new Uint8Array(64 * 1024).fill(7);
    server = http.createServer((req, res) => {
      if (req.url === "/gdnet.js") {
        res.writeHead(200, { "Content-Type": "text/javascript" }).end(bundle);
      } else if (req.url === "/page.html") {
        res.writeHead(200, { "Content-Type": "text/html" }).end(PAGE);
      } else if (req.url === "/big") {
        res.writeHead(200, {
          "Content-Type": "application/octet-stream",
          "Content-Length": String(BODY_SIZE),
        });
        let sent = 0;
        const more = () => {
          while (sent < BODY_SIZE) {
            sent += piece.byteLength;
            if (sent >= BODY_SIZE) {
              res.end(piece);
              return;
            }
            if (!res.write(piece)) return;
          }
        };
        res.on("drain", more);
        more();
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
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  it("the fetch body is read only up to the staging budget between two polls, and all of it arrives", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/page.html`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    const outcome = await page.evaluate(() =>
      (
        window as unknown as {
          unpolledDownload(): Promise<{
            pulledWhileUnpolled: number;
            completion: { result: string; code: number; size: number; last: number };
          }>;
        }
      ).unpolledDownload(),
    );
    expect(outcome.pulledWhileUnpolled).toBeGreaterThanOrEqual(STAGING_BYTES_LIMIT);
    // One read past the budget at most (Chromium hands over at most a few hundred KiB per read).
    expect(outcome.pulledWhileUnpolled).toBeLessThanOrEqual(STAGING_BYTES_LIMIT + MIB);
    expect(outcome.completion).toEqual({ result: "RESULT_SUCCESS", code: 200, size: BODY_SIZE, last: 7 });
  });
});
