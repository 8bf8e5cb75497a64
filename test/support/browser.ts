import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { type Browser, chromium, type Page } from "playwright-core";

/** Debian's Chromium, driven headless (browser downloads do not work here). */
export const CHROMIUM = "/usr/bin/chromium";

/** Starts headless Chromium with the flags this machine needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      // A page's timers must not be slowed when Chromium thinks it is in the background:
      // the tests' frame loops run on setTimeout.
      "--disable-background-timer-throttling",
      "--disable-renderer-backgrounding",
      "--disable-backgrounding-occluded-windows",
    ],
  });
}

/** The browser bundle built by `npm run build` (dist/browser/gdnet.js). */
export function browserBundle(): string {
  return readFileSync(new URL("../../dist/browser/gdnet.js", import.meta.url), "utf8");
}

/**
 * Serves pages on 127.0.0.1: `/gdnet.js` is the browser bundle, other paths come from
 * `pages` (path → HTML or JS text). Returns the base URL and a close function.
 */
export async function servePages(
  pages: Record<string, string>,
): Promise<{ url: string; close(): Promise<void> }> {
  // Read on first request, so pages that serve a bundle of their own need no build here.
  let bundle: string | undefined;
  const server = http.createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0]!;
    if (path === "/gdnet.js") bundle ??= browserBundle();
    const body = path === "/gdnet.js" ? bundle : pages[path];
    if (body === undefined) {
      response.writeHead(404).end();
      return;
    }
    const type = path.endsWith(".js") ? "text/javascript" : "text/html";
    response.writeHead(200, { "content-type": `${type}; charset=utf-8` }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A server a page talks to: polled by {@link pageBesideServer} every millisecond. */
interface PolledServer {
  poll(): void;
  getLocalPort(): number;
  stop(): void;
}

/**
 * Headless Chromium with one page of `html` served at `/page.html` (and the bundle at
 * `/gdnet.js`), beside a listening `server` polled every millisecond. `open()` loads the
 * page in a new tab once the server has its port and the page's script has set
 * `window.ready`; `close()` stops the polling, the server, the browser and the pages.
 */
export async function pageBesideServer(
  server: PolledServer,
  html: string,
): Promise<{ open(): Promise<Page>; close(): Promise<void> }> {
  const polling = setInterval(() => server.poll(), 1);
  const pages = await servePages({ "/page.html": html });
  const browser = await launchChromium().catch(async (error: unknown) => {
    clearInterval(polling);
    await pages.close();
    throw error;
  });
  return {
    async open() {
      while (server.getLocalPort() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const page = await browser.newPage();
      await page.goto(`${pages.url}/page.html`);
      await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
      return page;
    },
    async close() {
      clearInterval(polling);
      server.stop();
      await browser.close();
      await pages.close();
    },
  };
}
