import { fileURLToPath } from "node:url";
import { deflateSync, gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as gdnet from "../../src/index.js";
import { ERR_BUSY, ERR_INVALID_PARAMETER, HTTPClient, HTTPRequest, OK } from "../../src/index.js";
import { HTTP_HEADERS } from "../../src/transport/http.js";
import { probeUnresolvableHttp } from "../fixtures/http-unresolvable.mjs";
import type { TestHttpHandler, TestHttpRequest, TestHttpResponse } from "../http/handler.js";
import { watchedHttpOptions } from "../http/watched-network.js";
import { runNodeWithLoopbackOnly } from "../support/isolated.js";
import type { ContractWorld } from "./world.js";

const {
  RESULT_SUCCESS,
  RESULT_CANT_CONNECT,
  RESULT_CONNECTION_ERROR,
  RESULT_BODY_SIZE_LIMIT_EXCEEDED,
  RESULT_BODY_DECOMPRESS_FAILED,
  RESULT_REDIRECT_LIMIT_REACHED,
  RESULT_TIMEOUT,
} = HTTPRequest;

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (value: string) => new TextEncoder().encode(value);

/** One `requestCompleted` emission. */
interface Completion {
  result: number;
  code: number;
  headers: string[];
  body: Uint8Array;
}

/** The HTTPRequest behaviour every transport must show, against a handler served by the world. */
export function defineHttpContract(makeWorld: () => ContractWorld): void {
  describe("HTTPRequest", () => {
    let world: ContractWorld;
    let request: HTTPRequest;
    let completions: Completion[];

    beforeEach(() => {
      world = makeWorld();
      request = new HTTPRequest(world.options);
      completions = [];
      request.requestCompleted.connect((result, code, headers, body) => {
        completions.push({ result, code, headers, body });
      });
    });

    afterEach(async () => {
      request.cancelRequest();
      await world.dispose();
    });

    /** Runs frames until the request completes; returns the one completion. */
    async function completion(limitMs?: number): Promise<Completion> {
      await world.until([request], () => completions.length > 0, limitMs);
      expect(completions).toHaveLength(1);
      return completions[0]!;
    }

    /** Serves `handler` and requests `path` on it with GET. */
    async function get(handler: TestHttpHandler, path = "/"): Promise<Completion> {
      const base = await world.serveHttp(handler);
      expect(request.request(`${base}${path}`)).toBe(OK);
      return completion();
    }

    /** A handler that answers with a redirect chain `/redirect/N` → … → `/redirect/0` (200 "done"). */
    function redirectChain(seen: string[]): TestHttpHandler {
      return (req, res) => {
        seen.push(req.target);
        const n = Number(req.target.split("/")[2] ?? "0");
        if (n > 0) res.writeHead(302, [`Location: /redirect/${n - 1}`, `X-Hop: ${n}`]).end();
        else res.writeHead(200, ["Content-Type: text/plain"]).end("done");
      };
    }

    it("a GET succeeds with the status, the header lines as sent, and the body", async () => {
      const done = await get((_req, res) => {
        res
          .writeHead(200, [
            "Content-Type: text/plain",
            "X-Mixed-Case: Kept",
            "Set-Cookie: a=1; Path=/",
            "Set-Cookie: b=2; Path=/",
          ])
          .end("hello, world");
      });
      expect(done.result).toBe(RESULT_SUCCESS);
      expect(done.code).toBe(200);
      expect(text(done.body)).toBe("hello, world");
      expect(done.body).toBeInstanceOf(Uint8Array);
      expect(done.headers).toContain("X-Mixed-Case: Kept");
      expect(done.headers.filter((line) => line.startsWith("Set-Cookie:"))).toEqual([
        "Set-Cookie: a=1; Path=/",
        "Set-Cookie: b=2; Path=/",
      ]);
      expect(done.headers).toContain("Content-Length: 12");
      expect(done.headers.some((line) => line.startsWith("HTTP/"))).toBe(false);
      expect(request.getBodySize()).toBe(12);
      expect(request.getDownloadedBytes()).toBe(12);
      expect(request.getHttpClientStatus()).toBe(HTTPClient.STATUS_DISCONNECTED);
    });

    it("the server receives Host, the custom headers, Accept-Encoding, User-Agent and Accept", async () => {
      let seen: TestHttpRequest | undefined;
      const base = await world.serveHttp((req, res) => {
        seen = req;
        res.end("ok");
      });
      expect(request.request(`${base}/path?q=1#fragment`, ["X-Token: abc", "x-lower: v"])).toBe(OK);
      expect((await completion()).result).toBe(RESULT_SUCCESS);
      expect(seen!.method).toBe("GET");
      expect(seen!.target).toBe("/path?q=1");
      expect(seen!.header("host")).toBe(new URL(base).host);
      expect(seen!.headers).toContain("X-Token: abc");
      expect(seen!.headers).toContain("x-lower: v");
      expect(seen!.header("accept-encoding")).toBe("gzip, deflate");
      expect(seen!.header("user-agent")).toBe("gdnet");
      expect(seen!.header("accept")).toBe("*/*");
      expect(seen!.header("content-length")).toBeNull();
    });

    it("404 and 500 are RESULT_SUCCESS with their code and body", async () => {
      for (const status of [404, 500]) {
        completions.length = 0;
        const done = await get((_req, res) => res.writeHead(status).end(`status ${status}`));
        expect(done).toMatchObject({ result: RESULT_SUCCESS, code: status });
        expect(text(done.body)).toBe(`status ${status}`);
      }
    });

    it("POST, PUT, PATCH and DELETE send their method, body and custom headers", async () => {
      const seen: { method: string; body: string; type: string | null; length: string | null }[] = [];
      const base = await world.serveHttp((req, res) => {
        seen.push({
          method: req.method,
          body: text(req.body),
          type: req.header("content-type"),
          length: req.header("content-length"),
        });
        res.writeHead(201).end(`${req.method} ok`);
      });
      const methods = [
        [HTTPClient.METHOD_POST, "POST"],
        [HTTPClient.METHOD_PUT, "PUT"],
        [HTTPClient.METHOD_PATCH, "PATCH"],
        [HTTPClient.METHOD_DELETE, "DELETE"],
      ] as const;
      for (const [method, name] of methods) {
        completions.length = 0;
        const body = JSON.stringify({ method: name, score: 42 });
        expect(request.request(`${base}/items/7`, ["Content-Type: application/json"], method, body)).toBe(OK);
        const done = await completion();
        expect(done).toMatchObject({ result: RESULT_SUCCESS, code: 201 });
        expect(text(done.body)).toBe(`${name} ok`);
        expect(seen.at(-1)).toEqual({
          method: name,
          body,
          type: "application/json",
          length: String(bytes(body).byteLength),
        });
      }
    });

    it("requestRaw sends bytes as they are", async () => {
      let received: Uint8Array | undefined;
      const base = await world.serveHttp((req, res) => {
        received = req.body;
        res.end();
      });
      const payload = new Uint8Array([0, 255, 1, 254, 0x80]);
      expect(request.requestRaw(`${base}/raw`, [], HTTPClient.METHOD_PUT, payload)).toBe(OK);
      expect((await completion()).result).toBe(RESULT_SUCCESS);
      expect([...received!]).toEqual([...payload]);
    });

    it("HEAD succeeds with the headers and an empty body", async () => {
      let method = "";
      const base = await world.serveHttp((req, res) => {
        method = req.method;
        res.writeHead(200, ["Content-Length: 1000", "X-Head: yes"]).end();
      });
      expect(request.request(`${base}/file`, [], HTTPClient.METHOD_HEAD)).toBe(OK);
      const done = await completion();
      expect(method).toBe("HEAD");
      expect(done).toMatchObject({ result: RESULT_SUCCESS, code: 200 });
      expect(done.headers).toContain("X-Head: yes");
      expect(done.body.byteLength).toBe(0);
    });

    it("a redirect chain is followed to the final response", async () => {
      const seen: string[] = [];
      const done = await get(redirectChain(seen), "/redirect/3");
      expect(done).toMatchObject({ result: RESULT_SUCCESS, code: 200 });
      expect(text(done.body)).toBe("done");
      expect(seen).toEqual(["/redirect/3", "/redirect/2", "/redirect/1", "/redirect/0"]);
    });

    it("past maxRedirects the request ends with RESULT_REDIRECT_LIMIT_REACHED, the 3xx code and its headers", async () => {
      const seen: string[] = [];
      request.maxRedirects = 1;
      const done = await get(redirectChain(seen), "/redirect/3");
      expect(done.result).toBe(RESULT_REDIRECT_LIMIT_REACHED);
      expect(done.code).toBe(302);
      expect(done.headers).toContain("Location: /redirect/1");
      expect(done.headers).toContain("X-Hop: 2");
      expect(done.body.byteLength).toBe(0);
      expect(seen).toEqual(["/redirect/3", "/redirect/2"]);
    });

    it("with maxRedirects 0 the first redirect is the limit", async () => {
      const seen: string[] = [];
      request.maxRedirects = 0;
      const done = await get(redirectChain(seen), "/redirect/2");
      expect(done).toMatchObject({ result: RESULT_REDIRECT_LIMIT_REACHED, code: 302 });
      expect(seen).toEqual(["/redirect/2"]);
    });

    it("303 turns a POST into a GET without body; 307 and 308 keep the method and body", async () => {
      const seen: { target: string; method: string; body: string; type: string | null }[] = [];
      const base = await world.serveHttp((req, res) => {
        seen.push({
          target: req.target,
          method: req.method,
          body: text(req.body),
          type: req.header("content-type"),
        });
        const status = Number(req.target.slice(1));
        if (status >= 300) res.writeHead(status, ["Location: /landed"]).end();
        else res.end(`${req.method} ${text(req.body)}`);
      });
      for (const status of [303, 307, 308, 301, 302]) {
        completions.length = 0;
        seen.length = 0;
        expect(
          request.request(`${base}/${status}`, ["Content-Type: text/plain"], HTTPClient.METHOD_POST, "data"),
        ).toBe(OK);
        const done = await completion();
        expect(done.result).toBe(RESULT_SUCCESS);
        const keeps = status === 307 || status === 308;
        expect(seen[1]).toEqual({
          target: "/landed",
          method: keeps ? "POST" : "GET",
          body: keeps ? "data" : "",
          type: keeps ? "text/plain" : null,
        });
        expect(text(done.body)).toBe(keeps ? "POST data" : "GET ");
      }
    });

    it("301 and 302 keep PUT as PUT, and a relative Location resolves against the request path", async () => {
      const seen: string[] = [];
      const base = await world.serveHttp((req, res) => {
        seen.push(`${req.method} ${req.target} ${text(req.body)}`);
        if (req.target === "/dir/start") res.writeHead(301, ["Location: next?x=1"]).end();
        else res.end("ok");
      });
      expect(request.request(`${base}/dir/start`, [], HTTPClient.METHOD_PUT, "v")).toBe(OK);
      expect((await completion()).result).toBe(RESULT_SUCCESS);
      expect(seen).toEqual(["PUT /dir/start v", "PUT /dir/next?x=1 v"]);
    });

    it("Location is read as a header: Content-Location is not it, and no space after the colon is fine", async () => {
      const seen: string[] = [];
      const base = await world.serveHttp((req, res) => {
        seen.push(req.target);
        if (req.target === "/a") res.writeHead(302, ["Content-Location: /wrong", "location:/right"]).end();
        else res.end(req.target);
      });
      expect(request.request(`${base}/a`)).toBe(OK);
      const done = await completion();
      expect(text(done.body)).toBe("/right");
      expect(seen).toEqual(["/a", "/right"]);
    });

    it("a Content-Length over bodySizeLimit fails at the headers with the code and headers", async () => {
      let wrote = false;
      request.bodySizeLimit = 1000;
      const done = await get((_req, res) => {
        wrote = true;
        res.writeHead(200, ["Content-Length: 100000", "X-Big: yes"]).end(new Uint8Array(100000));
      });
      expect(wrote).toBe(true);
      expect(done).toMatchObject({ result: RESULT_BODY_SIZE_LIMIT_EXCEEDED, code: 200 });
      expect(done.headers).toContain("X-Big: yes");
      expect(done.body.byteLength).toBe(0);
      expect(request.getBodySize()).toBe(100000);
      expect(request.getDownloadedBytes()).toBe(0);
    });

    it("a chunked body that grows past bodySizeLimit fails while streaming", async () => {
      request.bodySizeLimit = 2500;
      const done = await get((_req, res) => {
        res.writeHead(200, ["Content-Type: application/octet-stream"]);
        for (let i = 0; i < 10; i++) res.write(new Uint8Array(1000).fill(i));
        res.end();
      });
      expect(done).toMatchObject({ result: RESULT_BODY_SIZE_LIMIT_EXCEEDED, code: 200 });
      expect(done.body.byteLength).toBe(0);
      expect(request.getBodySize()).toBe(-1);
      expect(request.getDownloadedBytes()).toBeGreaterThan(2500);
    });

    it("a body at exactly bodySizeLimit is accepted", async () => {
      request.bodySizeLimit = 3000;
      const done = await get((_req, res) => {
        res.writeHead(200);
        for (let i = 0; i < 3; i++) res.write(new Uint8Array(1000).fill(7));
        res.end();
      });
      expect(done.result).toBe(RESULT_SUCCESS);
      expect(done.body.byteLength).toBe(3000);
    });

    const plain = "A compressible line of text. ".repeat(200);
    const encodings = [
      ["gzip", (data: Uint8Array) => gzipSync(data)],
      ["deflate", (data: Uint8Array) => deflateSync(data)],
    ] as const;
    for (const [encoding, compress] of encodings) {
      it(`a ${encoding} body is decoded when acceptGzip is on, counted in wire bytes`, async () => {
        const wire = new Uint8Array(compress(bytes(plain)));
        const done = await get((req, res) => {
          expect(req.header("accept-encoding")).toBe("gzip, deflate");
          res.writeHead(200, [`Content-Encoding: ${encoding}`]).end(wire);
        });
        expect(done.result).toBe(RESULT_SUCCESS);
        expect(text(done.body)).toBe(plain);
        expect(done.headers).toContain(`Content-Encoding: ${encoding}`);
        expect(request.getDownloadedBytes()).toBe(wire.byteLength);
        expect(request.getBodySize()).toBe(wire.byteLength);
      });

      it(`a ${encoding} body is passed through untouched when acceptGzip is off`, async () => {
        const wire = new Uint8Array(compress(bytes(plain)));
        let acceptEncoding: string | null = "unset";
        request.acceptGzip = false;
        const done = await get((req, res) => {
          acceptEncoding = req.header("accept-encoding");
          res.writeHead(200, [`Content-Encoding: ${encoding}`]).end(wire);
        });
        expect(acceptEncoding).toBeNull();
        expect(done.result).toBe(RESULT_SUCCESS);
        expect([...done.body]).toEqual([...wire]);
      });
    }

    it("a custom Accept-Encoding header replaces the automatic one", async () => {
      let acceptEncoding: string | null = null;
      const base = await world.serveHttp((req, res) => {
        acceptEncoding = req.header("accept-encoding");
        res.end("x");
      });
      expect(request.request(`${base}/`, ["Accept-Encoding: identity"])).toBe(OK);
      await completion();
      expect(acceptEncoding).toBe("identity");
    });

    it("a corrupt gzip body ends in RESULT_BODY_DECOMPRESS_FAILED with the code", async () => {
      const wire = new Uint8Array(gzipSync(bytes(plain)));
      wire.fill(0x55, 20, 60);
      const done = await get((_req, res) => res.writeHead(200, ["Content-Encoding: gzip"]).end(wire));
      expect(done).toMatchObject({ result: RESULT_BODY_DECOMPRESS_FAILED, code: 200 });
      expect(done.body.byteLength).toBe(0);
    });

    it("a server that never answers times out on the poll clock with RESULT_TIMEOUT", async () => {
      let answered = 0;
      const base = await world.serveHttp(() => {
        answered++;
      });
      request.timeout = 2;
      world.holdClock();
      expect(request.request(`${base}/silent`)).toBe(OK);
      await world.until([request], () => answered === 1);
      for (let i = 0; i < 5; i++) await world.frame([request]);
      expect(completions).toHaveLength(0);
      expect(request.getHttpClientStatus()).toBe(HTTPClient.STATUS_REQUESTING);
      world.advanceClock(2100);
      const done = await completion(1000);
      expect(done).toEqual({ result: RESULT_TIMEOUT, code: 0, headers: [], body: new Uint8Array(0) });
      expect(request.getHttpClientStatus()).toBe(HTTPClient.STATUS_DISCONNECTED);
    });

    it("a body that stalls shows its progress per poll, then times out", async () => {
      const base = await world.serveHttp((_req, res) => {
        res.writeHead(200, ["Content-Length: 1000"]);
        res.write(new Uint8Array(10).fill(1));
      });
      request.timeout = 1.5;
      world.holdClock();
      expect(request.request(`${base}/stall`)).toBe(OK);
      await world.until([request], () => request.getDownloadedBytes() === 10);
      expect(request.getHttpClientStatus()).toBe(HTTPClient.STATUS_BODY);
      expect(request.getBodySize()).toBe(1000);
      expect(completions).toHaveLength(0);
      world.advanceClock(1600);
      const done = await completion(1000);
      expect(done.result).toBe(RESULT_TIMEOUT);
      expect(done.code).toBe(0);
    });

    it("cancelRequest() emits nothing, leaves no timeout behind, and the object can request again", async () => {
      const base = await world.serveHttp((req, res) => {
        if (req.target !== "/stall") res.end("second");
      });
      request.timeout = 1;
      expect(request.request(`${base}/stall`)).toBe(OK);
      await world.until([request], () => request.getHttpClientStatus() === HTTPClient.STATUS_REQUESTING);
      request.cancelRequest();
      expect(request.getHttpClientStatus()).toBe(HTTPClient.STATUS_DISCONNECTED);
      world.advanceClock(5000);
      for (let i = 0; i < 5; i++) await world.frame([request]);
      expect(completions).toHaveLength(0);
      expect(request.request(`${base}/again`)).toBe(OK);
      const done = await completion();
      expect(text(done.body)).toBe("second");
    });

    it("a refused connection ends in RESULT_CANT_CONNECT with code 0", async () => {
      const port = await world.closedPort();
      expect(request.request(`http://127.0.0.1:${port}/`)).toBe(OK);
      expect(request.getHttpClientStatus()).toBe(HTTPClient.STATUS_CONNECTING);
      const done = await completion();
      expect(done).toEqual({ result: RESULT_CANT_CONNECT, code: 0, headers: [], body: new Uint8Array(0) });
    });

    it("a host name that does not resolve ends in RESULT_CANT_RESOLVE, without blocking", async () => {
      let result: Awaited<ReturnType<typeof probeUnresolvableHttp>>;
      const url = `http://${world.unresolvableHost}/`;
      if (world.name === "node") {
        const entry = new URL("../../dist/index.js", import.meta.url).href;
        const script = fileURLToPath(new URL("../fixtures/http-unresolvable.mjs", import.meta.url));
        const out = await runNodeWithLoopbackOnly([script, entry, url]);
        result = JSON.parse(out.trim().split("\n").pop()!);
      } else {
        result = await probeUnresolvableHttp(gdnet, world.options, url, () =>
          Promise.resolve(world.advanceClock(16)),
        );
      }
      expect(result.requestResult).toBe(OK);
      expect(result.statusAfterRequest).toBe(HTTPClient.STATUS_RESOLVING);
      expect(result.completions).toEqual([[HTTPRequest.RESULT_CANT_RESOLVE, 0, 0]]);
      expect(result.polls).toBeGreaterThanOrEqual(1);
    });

    it("a second request() while one runs is ERR_BUSY and does not disturb the first", async () => {
      const base = await world.serveHttp((req, res) => res.end(req.target));
      expect(request.request(`${base}/first`)).toBe(OK);
      expect(request.request(`${base}/second`)).toBe(ERR_BUSY);
      expect(request.requestRaw(`${base}/second`)).toBe(ERR_BUSY);
      const done = await completion();
      expect(text(done.body)).toBe("/first");
    });

    it("a URL without http:// or https:// is ERR_INVALID_PARAMETER, and no timeout fires later", async () => {
      request.timeout = 1;
      for (const url of ["127.0.0.1/x", "ftp://127.0.0.1/", "ws://127.0.0.1/", "", "http://"]) {
        expect(request.request(url)).toBe(ERR_INVALID_PARAMETER);
        expect(request.getHttpClientStatus()).toBe(HTTPClient.STATUS_DISCONNECTED);
      }
      world.advanceClock(3000);
      for (let i = 0; i < 5; i++) await world.frame([request]);
      expect(completions).toHaveLength(0);
      const base = await world.serveHttp((_req, res) => res.end("fine"));
      expect(request.request(`${base}/`)).toBe(OK);
      expect(text((await completion()).body)).toBe("fine");
    });

    it("a malformed header line or an unknown method is ERR_INVALID_PARAMETER and the object stays idle", async () => {
      const base = await world.serveHttp((_req, res) => res.end("ok"));
      expect(request.request(`${base}/`, ["NoColon"])).toBe(ERR_INVALID_PARAMETER);
      expect(request.request(`${base}/`, [": no name"])).toBe(ERR_INVALID_PARAMETER);
      expect(request.request(`${base}/`, ["Bad\r\nInjected: 1"])).toBe(ERR_INVALID_PARAMETER);
      expect(request.request(`${base}/`, [], 42)).toBe(ERR_INVALID_PARAMETER);
      expect(request.request(`${base}/`, [], HTTPClient.METHOD_CONNECT)).toBe(ERR_INVALID_PARAMETER);
      expect(request.getHttpClientStatus()).toBe(HTTPClient.STATUS_DISCONNECTED);
      expect(request.request(`${base}/`)).toBe(OK);
      expect((await completion()).result).toBe(RESULT_SUCCESS);
    });

    it("a body cut short of its Content-Length is RESULT_CONNECTION_ERROR", async () => {
      const done = await get((_req, res) => {
        res.writeHead(200, ["Content-Length: 1000"]);
        res.write(new Uint8Array(10));
        res.end();
      });
      expect(done).toEqual({
        result: RESULT_CONNECTION_ERROR,
        code: 0,
        headers: [],
        body: new Uint8Array(0),
      });
    });

    it("a connection reset in the middle of a chunked body is RESULT_CONNECTION_ERROR", async () => {
      let response: TestHttpResponse | undefined;
      const base = await world.serveHttp((_req, res) => {
        res.writeHead(200);
        res.write("part");
        response = res;
      });
      expect(request.request(`${base}/`)).toBe(OK);
      await world.until([request], () => request.getDownloadedBytes() === 4);
      response!.destroy();
      const done = await completion();
      expect(done.result).toBe(RESULT_CONNECTION_ERROR);
    });

    it("a close-delimited body (no length, Connection: close) is read to the end", async () => {
      const done = await get((_req, res) => {
        res.writeHead(200, ["Connection: close"]);
        res.write("first ");
        res.end("second");
      });
      expect(done.result).toBe(RESULT_SUCCESS);
      expect(text(done.body)).toBe("first second");
      expect(request.getBodySize()).toBe(-1);
    });

    it("a 204 succeeds with an empty body", async () => {
      const done = await get((_req, res) => res.writeHead(204, ["X-Empty: 1"]).end());
      expect(done).toMatchObject({ result: RESULT_SUCCESS, code: 204 });
      expect(done.headers).toContain("X-Empty: 1");
      expect(done.body.byteLength).toBe(0);
    });

    it("the status goes CONNECTING → REQUESTING → BODY, each seen at a poll", async () => {
      let respond: (() => void) | undefined;
      const base = await world.serveHttp((_req, res) => {
        respond = () => {
          res.writeHead(200, ["Content-Length: 6"]);
          res.write("abc");
        };
      });
      expect(request.request(`${base}/`)).toBe(OK);
      expect(request.getHttpClientStatus()).toBe(HTTPClient.STATUS_CONNECTING);
      await world.until([request], () => respond !== undefined);
      await world.until([request], () => request.getHttpClientStatus() === HTTPClient.STATUS_REQUESTING);
      respond!();
      await world.until([request], () => request.getDownloadedBytes() === 3);
      expect(request.getHttpClientStatus()).toBe(HTTPClient.STATUS_BODY);
      expect(completions).toHaveLength(0);
    });

    it("nothing is observed between polls: the answer waits for poll()", async () => {
      const staged: number[] = [];
      const watched = new HTTPRequest(watchedHttpOptions(world.options, staged));
      const seen: number[] = [];
      watched.requestCompleted.connect((result) => seen.push(result));
      const base = await world.serveHttp((_req, res) => res.end("late"));
      expect(watched.request(`${base}/`)).toBe(OK);
      try {
        // The network works without a poll (real time on sockets, virtual time in
        // memory) until the response's headers have been staged for the owner.
        await world.until([], () => staged.includes(HTTP_HEADERS));
        expect(watched.getHttpClientStatus()).toBe(HTTPClient.STATUS_CONNECTING);
        expect(watched.getDownloadedBytes()).toBe(0);
        expect(seen).toHaveLength(0);
        watched.poll();
        expect(watched.getHttpClientStatus()).not.toBe(HTTPClient.STATUS_CONNECTING);
        await world.until([watched], () => seen.length > 0);
        expect(seen).toEqual([RESULT_SUCCESS]);
      } finally {
        watched.cancelRequest();
      }
    });

    it("custom headers may be a plain object, for request() and requestRaw()", async () => {
      const received: (string | null)[][] = [];
      const base = await world.serveHttp((req, res) => {
        received.push([req.header("x-game"), req.header("content-type"), new TextDecoder().decode(req.body)]);
        res.end("ok");
      });
      const headers = { "X-Game": "gdnet", "Content-Type": "text/plain" };
      expect(request.request(`${base}/`, headers, HTTPClient.METHOD_POST, "one")).toBe(OK);
      await completion();
      expect(request.requestRaw(`${base}/`, headers, HTTPClient.METHOD_POST, bytes("two"))).toBe(OK);
      await world.until([request], () => completions.length === 2);
      expect(completions.map((c) => c.result)).toEqual([RESULT_SUCCESS, RESULT_SUCCESS]);
      expect(received).toEqual([
        ["gdnet", "text/plain", "one"],
        ["gdnet", "text/plain", "two"],
      ]);
    });

    it("a header object with a value that is not a string, or a name that is not a token, is ERR_INVALID_PARAMETER", async () => {
      const base = await world.serveHttp((_req, res) => res.end("ok"));
      const notString = { "X-Count": 3 } as unknown as Record<string, string>;
      expect(request.request(`${base}/`, notString)).toBe(ERR_INVALID_PARAMETER);
      expect(request.requestRaw(`${base}/`, { "Bad Name": "x" })).toBe(ERR_INVALID_PARAMETER);
      expect(request.request(`${base}/`, { "X-Split": "a\r\nInjected: yes" })).toBe(ERR_INVALID_PARAMETER);
      expect(request.getHttpClientStatus()).toBe(HTTPClient.STATUS_DISCONNECTED);
      expect(request.request(`${base}/`, { "X-Fine": "yes" })).toBe(OK);
    });

    it("a listener may start the next request from inside requestCompleted", async () => {
      const base = await world.serveHttp((req, res) => res.end(req.target));
      const order: string[] = [];
      request.requestCompleted.connect((_result, _code, _headers, body) => {
        order.push(text(body));
        if (text(body) === "/one") {
          expect(request.getHttpClientStatus()).toBe(HTTPClient.STATUS_DISCONNECTED);
          expect(request.request(`${base}/two`)).toBe(OK);
        }
      });
      expect(request.request(`${base}/one`)).toBe(OK);
      await world.until([request], () => order.length === 2);
      expect(order).toEqual(["/one", "/two"]);
      expect(completions.map((c) => text(c.body))).toEqual(["/one", "/two"]);
    });
  });
}
