import { gzipSync } from "node:zlib";
import { HTTPClient } from "../../src/index.js";
import type { TestHttpHandler } from "./handler.js";

/*
 * The scenarios run through Godot 3.2.3's HTTPRequest and through gdnet's against one
 * server, and the server's routes. Every response says `Connection: close`, so node:http
 * adds no keep-alive headers for one client and not the other.
 */

/** One request, with the settings both sides apply. */
export interface ParityScenario {
  name: string;
  /** Path on the server, or a whole URL (`{closed}` is replaced by a port nothing listens on). */
  path: string;
  method: number;
  headers: string[];
  body: string;
  maxRedirects: number;
  bodySizeLimit: number;
  /** Seconds; 0 for none. */
  timeout: number;
  /** Cancel the request after this many frames (0: never) and watch for an emission. */
  cancelAfterFrames: number;
  /** gdnet only: `acceptGzip` (Godot 3.2.3 has no such property and never decodes). */
  acceptGzip: boolean;
}

const defaults: Omit<ParityScenario, "name" | "path"> = {
  method: HTTPClient.METHOD_GET,
  headers: [],
  body: "",
  maxRedirects: 8,
  bodySizeLimit: -1,
  timeout: 0,
  cancelAfterFrames: 0,
  acceptGzip: true,
};

const scenario = (name: string, path: string, rest: Partial<ParityScenario> = {}): ParityScenario => ({
  ...defaults,
  name,
  path,
  ...rest,
});

const POST = HTTPClient.METHOD_POST;

export const PARITY_SCENARIOS: ParityScenario[] = [
  scenario("get with headers", "/hello"),
  scenario("404", "/status/404"),
  scenario("500", "/status/500"),
  scenario("redirect chain", "/redirect/3"),
  scenario("redirect limit", "/redirect/3", { maxRedirects: 1 }),
  scenario("redirect limit 0", "/redirect/1", { maxRedirects: 0 }),
  scenario("absolute redirect", "/absolute"),
  scenario("303 after POST", "/see-other", { method: POST, body: "form" }),
  scenario("307 after POST", "/temporary", { method: POST, body: "form" }),
  scenario("302 after POST", "/found", { method: POST, body: "form" }),
  scenario("Location and Content-Location", "/location-trap"),
  scenario("body limit by Content-Length", "/big-length", { bodySizeLimit: 1000 }),
  scenario("body limit while chunked", "/big-chunked", { bodySizeLimit: 1000 }),
  scenario("gzip, acceptGzip off", "/gzip", { acceptGzip: false }),
  scenario("gzip, acceptGzip on", "/gzip"),
  scenario("HEAD", "/head", { method: HTTPClient.METHOD_HEAD }),
  scenario("POST with body and headers", "/echo", {
    method: POST,
    headers: ["X-Custom: one", "Content-Type: text/plain"],
    body: "payload",
  }),
  scenario("PUT", "/echo", { method: HTTPClient.METHOD_PUT, headers: ["X-Custom: two"], body: "put-body" }),
  scenario("PATCH", "/echo", {
    method: HTTPClient.METHOD_PATCH,
    headers: ["X-Custom: three"],
    body: "patch",
  }),
  scenario("DELETE", "/echo", { method: HTTPClient.METHOD_DELETE, headers: ["X-Custom: four"] }),
  scenario("empty POST", "/echo", { method: POST }),
  scenario("truncated body", "/truncated"),
  scenario("close-delimited body", "/close-delimited"),
  scenario("204", "/no-content"),
  scenario("timeout, no answer", "/silent", { timeout: 1 }),
  scenario("timeout, stalled body", "/stall", { timeout: 1 }),
  scenario("refused", "http://127.0.0.1:{closed}/"),
  scenario("cancel", "/silent", { cancelAfterFrames: 5 }),
];

/** What the server saw of one request. */
export interface SeenRequest {
  client: "godot" | "gdnet";
  method: string;
  target: string;
  headers: string[];
  body: string;
}

const gzipped = new Uint8Array(gzipSync("gzip text, gzip text, gzip text"));

/** The server's routes; `seen` collects every request. */
export function parityHandler(seen: SeenRequest[], ownUrl: () => string): TestHttpHandler {
  return (req, res) => {
    const body = new TextDecoder().decode(req.body);
    const agent = req.header("user-agent") ?? "";
    seen.push({
      client: agent.startsWith("GodotEngine") ? "godot" : "gdnet",
      method: req.method,
      target: req.target,
      headers: [...req.headers],
      body,
    });
    const close = "Connection: close";
    const path = req.target;
    const redirect = (status: number, location: string, extra: string[] = []) =>
      res.writeHead(status, [`Location: ${location}`, ...extra, close]).end();
    if (path === "/hello") {
      res
        .writeHead(200, [
          "Content-Type: text/plain",
          "X-Mixed-Case: Kept",
          "Set-Cookie: a=1",
          "Set-Cookie: b=2",
          close,
        ])
        .end("hello");
    } else if (path.startsWith("/status/")) {
      const status = Number(path.slice(8));
      res.writeHead(status, [close]).end(`status ${status}`);
    } else if (path.startsWith("/redirect/")) {
      const n = Number(path.slice(10));
      if (n > 0) redirect(302, `/redirect/${n - 1}`, [`X-Hop: ${n}`]);
      else res.writeHead(200, [close]).end("done");
    } else if (path === "/absolute") {
      redirect(302, `${ownUrl()}/hello`);
    } else if (path === "/see-other") {
      redirect(303, "/echo");
    } else if (path === "/temporary") {
      redirect(307, "/echo");
    } else if (path === "/found") {
      redirect(302, "/echo");
    } else if (path === "/location-trap") {
      res.writeHead(302, ["Location: /hello", "Content-Location: /wrong", close]).end();
    } else if (path === "/echo") {
      res.writeHead(200, [close]).end(`${req.method} [${body}] x-custom=${req.header("x-custom") ?? "-"}`);
    } else if (path === "/big-length") {
      res.writeHead(200, [close]).end(new Uint8Array(100_000).fill(0x61));
    } else if (path === "/big-chunked") {
      res.writeHead(200, ["Transfer-Encoding: chunked", close]);
      for (let i = 0; i < 20; i++) res.write(new Uint8Array(1000).fill(0x62));
      res.end();
    } else if (path === "/gzip") {
      res.writeHead(200, ["Content-Encoding: gzip", close]).end(gzipped);
    } else if (path === "/head") {
      res.writeHead(200, ["Content-Length: 1000", close]).end();
    } else if (path === "/truncated") {
      res.writeHead(200, ["Content-Length: 1000", close]);
      res.write(new Uint8Array(10).fill(0x63));
      res.end();
    } else if (path === "/close-delimited") {
      res.writeHead(200, [close]);
      res.write("first part, ");
      res.end("second part");
    } else if (path === "/no-content") {
      res.writeHead(204, [close]).end();
    } else if (path === "/stall") {
      res.writeHead(200, ["Content-Length: 1000", close]);
      res.write(new Uint8Array(10).fill(0x64));
    } else if (path === "/silent") {
      // Never answers.
    } else {
      res.writeHead(404, [close]).end("no route");
    }
  };
}
