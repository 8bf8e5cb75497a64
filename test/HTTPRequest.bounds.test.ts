import { deflateRawSync, constants as zlibConstants } from "node:zlib";
import { describe, expect, it } from "vitest";
import { HTTPClient, HTTPRequest, MemoryNetwork, OK, resultName, type Transport } from "../src/index.js";
import type { HttpExchange, HttpTransport } from "../src/transport/http.js";
import type { StagedHttpExchange } from "../src/transport/http-exchange.js";
import { RECEIVE_WINDOW } from "../src/transport/memory/link.js";

/*
 * What an HTTP response can make gdnet hold between two polls on a MemoryNetwork
 * (deterministic; the same bounds on real sockets are in test/hostile/http.test.ts):
 * at most one receive window of body for an owner that does not poll, nothing past
 * bodySizeLimit, and a compressed body never inflated whole past the limit. Read on the
 * exchange's own counters of staged bytes.
 */

const MIB = 1024 * 1024;

/** A request on `network` whose exchanges the test can inspect. */
function inspectedRequest(network: MemoryNetwork) {
  const exchanges: StagedHttpExchange[] = [];
  const http: HttpTransport = {
    start(request, queue, target): HttpExchange {
      const exchange = network.http.start(request, queue, target) as StagedHttpExchange;
      exchanges.push(exchange);
      return exchange;
    },
  };
  const transport: Transport = {
    platform: "memory",
    now: () => network.now(),
    random: network.random,
    tcp: network.tcp,
    webSocket: network.webSocket,
    http,
  };
  const request = new HTTPRequest({ network: transport });
  const results: number[] = [];
  let body: Uint8Array = new Uint8Array(0);
  request.requestCompleted.connect((result, _code, _headers, received) => {
    results.push(result);
    body = received;
  });
  return {
    request,
    results,
    get body() {
      return body;
    },
    get exchange() {
      return exchanges.at(-1)!;
    },
    /** Runs 16 ms frames, polling, until `done()` (at most `frames`). */
    frames(done: () => boolean, frames = 10_000) {
      for (let i = 0; i < frames && !done(); i++) {
        network.advance(16);
        request.poll();
      }
      expect(done()).toBe(true);
    },
  };
}

/** `mib` MiB of zeros as gzip, about 1 KiB per MiB, without its end (a "bomb"). */
function gzipBomb(mib: number): Uint8Array {
  const perMib = deflateRawSync(new Uint8Array(MIB), { level: 9, finishFlush: zlibConstants.Z_FULL_FLUSH });
  const parts = [Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])];
  for (let i = 0; i < mib; i++) parts.push(perMib);
  return Buffer.concat(parts);
}

describe("HTTPRequest holds a bounded body between polls on a MemoryNetwork", () => {
  it("an owner that stops polling is delivered at most one receive window of body, and nothing is lost", () => {
    // 4 MiB/s, so that the owner sees the headers before the body has arrived.
    const network = new MemoryNetwork({ seed: 1, bandwidth: 4 * MIB });
    network.serveHttp(80, (_request, response) => {
      response.writeHead(200, [`Content-Length: ${16 * MIB}`]);
      for (let i = 0; i < 256; i++) response.write(new Uint8Array(65536).fill(i));
      response.end();
    });
    const inspected = inspectedRequest(network);
    expect(inspected.request.request("http://127.0.0.1/")).toBe(OK);
    inspected.frames(() => inspected.request.getHttpClientStatus() === HTTPClient.STATUS_BODY);
    // Ten seconds of virtual time without a poll.
    for (let i = 0; i < 10; i++) network.advance(1000);
    expect(inspected.exchange.stagedBodyBytes).toBeGreaterThan(0);
    expect(inspected.exchange.stagedBodyBytes).toBeLessThanOrEqual(RECEIVE_WINDOW);
    inspected.frames(() => inspected.results.length > 0);
    expect(resultName(inspected.results[0]!)).toBe("RESULT_SUCCESS");
    expect(inspected.body.byteLength).toBe(16 * MIB);
    for (let i = 0; i < 256; i++) expect(inspected.body[i * 65536 + 65535]).toBe(i);
  });

  it("a chunked body past bodySizeLimit ends the exchange as it arrives, without a poll", () => {
    // 1 MiB/s, so that the owner sees the headers before the body has arrived.
    const network = new MemoryNetwork({ seed: 1, bandwidth: MIB });
    network.serveHttp(80, (_request, response) => {
      response.writeHead(200, ["Transfer-Encoding: chunked"]);
      for (let i = 0; i < 128; i++) response.write(new Uint8Array(65536));
      response.end();
    });
    const inspected = inspectedRequest(network);
    inspected.request.bodySizeLimit = MIB;
    expect(inspected.request.request("http://127.0.0.1/")).toBe(OK);
    inspected.frames(() => inspected.request.getHttpClientStatus() === HTTPClient.STATUS_BODY);
    for (let i = 0; i < 10; i++) network.advance(1000);
    expect(inspected.exchange.released).toBe(true);
    expect(inspected.exchange.stagedBodyBytes).toBeLessThanOrEqual(MIB);
    inspected.frames(() => inspected.results.length > 0);
    expect(resultName(inspected.results[0]!)).toBe("RESULT_BODY_SIZE_LIMIT_EXCEEDED");
  });

  it("a gzip bomb stops at bodySizeLimit: it is never inflated past the limit", () => {
    const network = new MemoryNetwork({ seed: 1 });
    // 512 MiB once inflated, and no end: inflated whole, it would be corrupt.
    const bomb = gzipBomb(512);
    network.serveHttp(80, (_request, response) => {
      response.writeHead(200, ["Content-Encoding: gzip", `Content-Length: ${bomb.byteLength}`]);
      response.end(bomb);
    });
    const inspected = inspectedRequest(network);
    inspected.request.bodySizeLimit = MIB;
    expect(inspected.request.request("http://127.0.0.1/")).toBe(OK);
    inspected.frames(() => inspected.results.length > 0);
    expect(resultName(inspected.results[0]!)).toBe("RESULT_BODY_SIZE_LIMIT_EXCEEDED");
    expect(inspected.request.getDownloadedBytes()).toBe(bomb.byteLength);
  });
});
