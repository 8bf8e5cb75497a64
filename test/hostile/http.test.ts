import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { monotonicClock } from "../../src/core/Clock.js";
import { RandomSource } from "../../src/core/Random.js";
import { STAGING_BYTES_LIMIT, STAGING_MESSAGES_LIMIT } from "../../src/core/StagingBudget.js";
import { OK } from "../../src/ErrorCode.js";
import { HTTPClient } from "../../src/HTTPClient.js";
import { HTTPRequest, resultName } from "../../src/HTTPRequest.js";
import type { HttpExchange, HttpTransport } from "../../src/transport/http.js";
import type { NodeHttpExchange } from "../../src/transport/node/http.js";
import { createNodeHttpTransport } from "../../src/transport/node/http.js";
import type { Transport } from "../../src/transport/Transport.js";

/*
 * HTTPRequest against hostile servers (test/hostile/servers/http-hostile.mjs, a child
 * process on loopback). Each test checks that the request survives with the right
 * result, and that what gdnet holds stays within its bound, read on gdnet's own
 * counters (bytes and events an exchange staged since the owner's last poll, bytes
 * waiting in node:http and zlib), never on RSS.
 */

const MIB = 1024 * 1024;
const CHUNK = 65536;
const SERVER = fileURLToPath(new URL("./servers/http-hostile.mjs", import.meta.url));

interface ServerEvent {
  event: "listening" | "request" | "closed";
  path?: string;
  target?: string;
  port?: number;
  written?: number;
}

let server: ChildProcess;
let port = 0;
const events: ServerEvent[] = [];

beforeAll(async () => {
  server = spawn(process.execPath, [SERVER], { stdio: ["pipe", "pipe", "inherit"] });
  let pending = "";
  server.stdout!.on("data", (data: Buffer) => {
    pending += data.toString();
    let newline = pending.indexOf("\n");
    while (newline >= 0) {
      events.push(JSON.parse(pending.slice(0, newline)) as ServerEvent);
      pending = pending.slice(newline + 1);
      newline = pending.indexOf("\n");
    }
  });
  await waitFor(() => events.some((event) => event.event === "listening"), 10_000);
  port = events.find((event) => event.event === "listening")!.port!;
});

afterAll(() => {
  server.kill();
});

const requests: HTTPRequest[] = [];
afterEach(() => {
  for (const request of requests.splice(0)) request.cancelRequest();
  events.splice(1);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (without polling anything) until `done()` holds; fails after `limitMs`. */
async function waitFor(done: () => boolean, limitMs = 10_000): Promise<void> {
  const end = performance.now() + limitMs;
  while (!done()) {
    if (performance.now() > end) throw new Error(`condition not reached within ${limitMs} ms`);
    await sleep(2);
  }
}

/** Polls `request` every millisecond until `done()` holds; fails after `limitMs`. */
async function pollUntil(request: HTTPRequest, done: () => boolean, limitMs = 10_000): Promise<void> {
  const end = performance.now() + limitMs;
  for (;;) {
    request.poll();
    if (done()) return;
    if (performance.now() > end) throw new Error(`condition not reached within ${limitMs} ms`);
    await sleep(1);
  }
}

interface Completion {
  result: number;
  code: number;
  headers: string[];
  body: Uint8Array;
}

const nodeHttp = createNodeHttpTransport();

/**
 * An HTTPRequest on node:http whose exchanges the test can inspect. Only the HTTP part
 * of the Node transport is loaded: this suite is about it alone.
 */
function hostileRequest(options: { clock?: () => number } = {}) {
  const exchanges: NodeHttpExchange[] = [];
  const http: HttpTransport = {
    start(request, queue, target): HttpExchange {
      const exchange = nodeHttp.start(request, queue, target) as NodeHttpExchange;
      exchanges.push(exchange);
      return exchange;
    },
  };
  const network: Transport = {
    platform: "node",
    now: monotonicClock,
    random: new RandomSource(),
    tcp: null,
    webSocket: null as unknown as Transport["webSocket"],
    http,
  };
  const request = new HTTPRequest({ ...options, network });
  requests.push(request);
  const completions: Completion[] = [];
  request.requestCompleted.connect((result, code, headers, body) => {
    completions.push({ result, code, headers, body });
  });
  return {
    request,
    completions,
    /** Every exchange (one per hop) started so far. */
    exchanges,
    /** The exchange of the current hop. */
    get exchange(): NodeHttpExchange {
      return exchanges.at(-1)!;
    },
    async completion(limitMs?: number): Promise<Completion> {
      await pollUntil(request, () => completions.length > 0, limitMs);
      expect(completions).toHaveLength(1);
      return completions[0]!;
    },
  };
}

let requestCount = 0;
/** The URL of `target` on the hostile server, tagged so that its events are told apart. */
const url = (target: string) =>
  `http://127.0.0.1:${port}${target}${target.includes("?") ? "&" : "?"}tag=${++requestCount}`;
const requestsFor = (path: string) => events.filter((e) => e.event === "request" && e.path === path);
/** The close of this test's latest connection to `path`. */
const closedFor = (path: string) =>
  events.find((e) => e.event === "closed" && e.path === path && e.target?.endsWith(`tag=${requestCount}`));

/** The body of /plain: the server's xorshift pattern. */
function pattern(size: number): Uint8Array {
  const body = new Uint8Array(size);
  let value = 2463534242;
  for (let i = 0; i < size; i++) {
    value ^= value << 13;
    value ^= value >>> 17;
    value ^= value << 5;
    body[i] = value & 0xff;
  }
  return body;
}

describe("HTTPRequest against hostile servers", () => {
  it("a redirect loop ends with RESULT_REDIRECT_LIMIT_REACHED after maxRedirects hops", async () => {
    const { request, completion, exchanges } = hostileRequest();
    request.maxRedirects = 5;
    expect(request.request(url("/redirect-loop"))).toBe(OK);
    const done = await completion();
    expect(resultName(done.result)).toBe("RESULT_REDIRECT_LIMIT_REACHED");
    expect(done.code).toBe(302);
    // One exchange per hop, each ended, none of which read a body.
    expect(exchanges).toHaveLength(6);
    expect(exchanges.every((exchange) => exchange.released && exchange.stagedBodyEvents === 0)).toBe(true);
    // The first request and five redirects, then nothing more.
    await waitFor(() => events.filter((e) => e.event === "closed").length >= 6);
    expect(requestsFor("/redirect-loop")).toHaveLength(6);
  });

  it("a 10 MB header line fails with RESULT_CONNECTION_ERROR before any header is staged", async () => {
    const hostile = hostileRequest();
    const { request, completion, completions } = hostile;
    expect(request.request(url("/huge-header?mb=10"))).toBe(OK);
    const done = await completion();
    expect(resultName(done.result)).toBe("RESULT_CONNECTION_ERROR");
    expect(done.code).toBe(0);
    expect(hostile.exchange.released).toBe(true);
    expect(hostile.exchange.stagedBodyEvents).toBe(0);
    expect(done.headers).toEqual([]);
    expect(completions).toHaveLength(1);
    await waitFor(() => closedFor("/huge-header") !== undefined);
  });

  for (const withLength of [true, false]) {
    const framing = withLength ? "with Content-Length" : "without Content-Length";

    it(`a gzip bomb ${framing} stops at bodySizeLimit while the owner does not poll`, async () => {
      const hostile = hostileRequest();
      const { request, completion, completions } = hostile;
      request.bodySizeLimit = MIB;
      // Without a length, 32 GiB once inflated: the server writes all of its 32 MB at
      // once. With one, 960 MiB: its 1 MB of compressed length stays under the limit,
      // which a larger Content-Length would fail at the headers.
      const mib = withLength ? 960 : 32768;
      expect(request.request(url(`/gzip-bomb?mib=${mib}&length=${withLength ? 1 : 0}`))).toBe(OK);
      await pollUntil(request, () => request.getHttpClientStatus() === HTTPClient.STATUS_BODY);
      // No poll from here: the exchange itself must notice the limit and stop.
      await waitFor(() => hostile.exchange.released);
      expect(hostile.exchange.stagedBodyBytes).toBeLessThanOrEqual(MIB);
      expect(hostile.exchange.bufferedBodyBytes).toBe(0);
      expect(completions).toHaveLength(0);
      const done = await completion();
      expect(resultName(done.result)).toBe("RESULT_BODY_SIZE_LIMIT_EXCEEDED");
      expect(done.code).toBe(200);
      expect(done.body.byteLength).toBe(0);
      await waitFor(() => closedFor("/gzip-bomb") !== undefined);
    });

    it(`a gzip bomb ${framing} and no limit is decoded only up to the staging budget between two polls`, async () => {
      const hostile = hostileRequest();
      const { request, completion } = hostile;
      expect(request.request(url(`/gzip-bomb?mib=64&end=1&length=${withLength ? 1 : 0}`))).toBe(OK);
      await pollUntil(request, () => request.getHttpClientStatus() === HTTPClient.STATUS_BODY);
      await waitFor(() => hostile.exchange.holding);
      // Let the network and zlib run on while the owner does not poll.
      for (let i = 0; i < 20; i++) await sleep(5);
      expect(hostile.exchange.holding).toBe(true);
      expect(hostile.exchange.stagedBodyBytes).toBeLessThanOrEqual(STAGING_BYTES_LIMIT + CHUNK);
      // zlib stopped inflating: about one output chunk waits in it, plus its input buffer.
      expect(hostile.exchange.bufferedBodyBytes).toBeLessThanOrEqual(4 * CHUNK);
      // Polling again lets it go on, and the whole body arrives.
      const done = await completion(20_000);
      expect(resultName(done.result)).toBe("RESULT_SUCCESS");
      expect(done.body.byteLength).toBe(64 * MIB);
      expect(done.body.every((byte) => byte === 0)).toBe(true);
    });
  }

  it("a 32 GiB gzip bomb and no limit: each poll lets at most the staging budget through", async () => {
    const hostile = hostileRequest();
    const { request, completions } = hostile;
    expect(request.request(url("/gzip-bomb?mib=32768"))).toBe(OK);
    await pollUntil(request, () => request.getHttpClientStatus() === HTTPClient.STATUS_BODY);
    let decoded = 0;
    for (let cycle = 0; cycle < 5; cycle++) {
      await waitFor(() => hostile.exchange.holding);
      for (let i = 0; i < 10; i++) await sleep(5);
      expect(hostile.exchange.stagedBodyBytes).toBeLessThanOrEqual(STAGING_BYTES_LIMIT + CHUNK);
      expect(hostile.exchange.bufferedBodyBytes).toBeLessThanOrEqual(4 * CHUNK);
      decoded += hostile.exchange.stagedBodyBytes;
      request.poll();
      expect(hostile.exchange.holding).toBe(false);
    }
    expect(decoded).toBeGreaterThanOrEqual(5 * STAGING_BYTES_LIMIT);
    expect(completions).toHaveLength(0);
    request.cancelRequest();
    await waitFor(() => closedFor("/gzip-bomb") !== undefined);
  });

  it("a large plain body is read only up to the staging budget between two polls, and nothing is lost", async () => {
    const hostile = hostileRequest();
    const { request, completion } = hostile;
    expect(request.request(url("/plain?mib=24&length=1"))).toBe(OK);
    await pollUntil(request, () => request.getHttpClientStatus() === HTTPClient.STATUS_BODY);
    await waitFor(() => hostile.exchange.holding);
    for (let i = 0; i < 20; i++) await sleep(5);
    expect(hostile.exchange.stagedBodyBytes).toBeLessThanOrEqual(STAGING_BYTES_LIMIT + CHUNK);
    // node:http keeps at most its read buffer's worth; the rest waits in the kernel and the server.
    expect(hostile.exchange.bufferedBodyBytes).toBeLessThanOrEqual(4 * CHUNK);
    const done = await completion(20_000);
    expect(resultName(done.result)).toBe("RESULT_SUCCESS");
    expect(Buffer.compare(done.body, pattern(24 * MIB))).toBe(0);
  });

  it("a gzip bomb written to the download file stages at most the budget's events between two polls", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gdnet-hostile-"));
    try {
      const hostile = hostileRequest();
      const { request } = hostile;
      request.downloadFile = path.join(dir, "bomb.bin");
      request.downloadChunkSize = 256;
      expect(request.request(url("/gzip-bomb?mib=64"))).toBe(OK);
      await pollUntil(request, () => request.getHttpClientStatus() === HTTPClient.STATUS_BODY);
      await waitFor(() => hostile.exchange.holding);
      for (let i = 0; i < 20; i++) await sleep(5);
      expect(hostile.exchange.stagedBodyEvents).toBeLessThanOrEqual(STAGING_MESSAGES_LIMIT + 1);
      expect(hostile.exchange.stagedBodyBytes).toBe(0);
      request.cancelRequest();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a chunk size that is not hexadecimal fails with RESULT_CONNECTION_ERROR", async () => {
    const hostile = hostileRequest();
    const { request, completion } = hostile;
    expect(request.request(url("/bad-chunked"))).toBe(OK);
    const done = await completion();
    expect(resultName(done.result)).toBe("RESULT_CONNECTION_ERROR");
    expect(done.body.byteLength).toBe(0);
    expect(hostile.exchange.released).toBe(true);
    expect(hostile.exchange.stagedBodyBytes).toBe(0);
  });

  it("a never-ending chunk stops at bodySizeLimit while the owner does not poll", async () => {
    const hostile = hostileRequest();
    const { request, completion } = hostile;
    request.bodySizeLimit = MIB;
    expect(request.request(url("/endless-chunk"))).toBe(OK);
    await pollUntil(request, () => request.getHttpClientStatus() === HTTPClient.STATUS_BODY);
    await waitFor(() => hostile.exchange.released);
    expect(hostile.exchange.stagedBodyBytes).toBeLessThanOrEqual(MIB);
    const done = await completion();
    expect(resultName(done.result)).toBe("RESULT_BODY_SIZE_LIMIT_EXCEEDED");
    // The connection is closed, so the server stops writing.
    await waitFor(() => closedFor("/endless-chunk") !== undefined);
  });

  it("a body dripping one byte at a time ends with RESULT_TIMEOUT on the poll clock, and the connection is closed", async () => {
    let offset = 0;
    const hostile = hostileRequest({ clock: () => performance.now() + offset });
    const { request, completion, completions } = hostile;
    request.timeout = 2;
    expect(request.request(url("/drip?ms=50"))).toBe(OK);
    await pollUntil(request, () => request.getDownloadedBytes() >= 2);
    expect(completions).toHaveLength(0);
    offset += 2000;
    const done = await completion();
    expect(resultName(done.result)).toBe("RESULT_TIMEOUT");
    // The timeout ended the exchange: nothing more is read or staged.
    expect(hostile.exchange.released).toBe(true);
    await waitFor(() => closedFor("/drip") !== undefined);
  });

  it("a body longer than its Content-Length gives Content-Length bytes and success, as Godot 4", async () => {
    const hostile = hostileRequest();
    const { request, completion } = hostile;
    expect(request.request(url("/longer-than-length"))).toBe(OK);
    await pollUntil(request, () => request.getHttpClientStatus() === HTTPClient.STATUS_BODY);
    // Without a poll: the exchange ends having staged exactly Content-Length bytes.
    await waitFor(() => hostile.exchange.released);
    expect(hostile.exchange.stagedBodyBytes).toBe(5);
    const done = await completion();
    expect(resultName(done.result)).toBe("RESULT_SUCCESS");
    expect(done.code).toBe(200);
    expect(new TextDecoder().decode(done.body)).toBe("hello");
    expect(request.getBodySize()).toBe(5);
    expect(hostile.exchange.released).toBe(true);
  });

  it("a body cut short of its Content-Length fails with RESULT_CONNECTION_ERROR", async () => {
    const hostile = hostileRequest();
    const { request, completion } = hostile;
    expect(request.request(url("/shorter-than-length"))).toBe(OK);
    const done = await completion();
    expect(resultName(done.result)).toBe("RESULT_CONNECTION_ERROR");
    expect(done.body.byteLength).toBe(0);
    expect(hostile.exchange.released).toBe(true);
  });

  it("a body that stops short of its Content-Length on an open connection ends with RESULT_TIMEOUT", async () => {
    let offset = 0;
    const { request, completion } = hostileRequest({ clock: () => performance.now() + offset });
    request.timeout = 5;
    expect(request.request(url("/shorter-than-length?hang=1"))).toBe(OK);
    await pollUntil(request, () => request.getDownloadedBytes() === 5);
    offset += 5000;
    const done = await completion();
    expect(resultName(done.result)).toBe("RESULT_TIMEOUT");
    await waitFor(() => closedFor("/shorter-than-length") !== undefined);
  });
});
