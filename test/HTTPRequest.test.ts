import { describe, expect, it } from "vitest";
import {
  ERR_INVALID_PARAMETER,
  HTTPClient,
  HTTPRequest,
  type MemoryHttpHandler,
  MemoryNetwork,
  type NetworkOptions,
  OK,
  resultName,
  TCPServer,
  TLSOptions,
} from "../src/index.js";

/*
 * HTTPRequest's API surface and what only the in-memory network can show: virtual
 * latency and bandwidth, partitions, resets and silent drops, several hosts, and
 * determinism. The behaviour shared with real sockets is in test/contract/.
 */

interface Completion {
  result: number;
  code: number;
  headers: string[];
  body: string;
  at: number;
}

/** Requests `url` and runs 16 ms frames on `network` until completion (or `limitMs` of virtual time). */
function run(
  network: MemoryNetwork,
  url: string,
  setup: (request: HTTPRequest) => void = () => {},
  options: NetworkOptions = { network },
  limitMs = 60_000,
): { completion: Completion | null; request: HTTPRequest } {
  const request = new HTTPRequest(options);
  setup(request);
  let completion: Completion | null = null;
  request.requestCompleted.connect((result, code, headers, body) => {
    completion = { result, code, headers, body: new TextDecoder().decode(body), at: network.now() };
  });
  expect(request.request(url)).toBe(OK);
  const start = network.now();
  while (completion === null && network.now() - start < limitMs) {
    network.advance(16);
    request.poll();
  }
  return { completion, request };
}

const hello: MemoryHttpHandler = (request, response) => response.end(`hello ${request.target}`);

describe("HTTPRequest constants and properties", () => {
  it("RESULT_* have Godot 4's numbers", () => {
    expect([
      HTTPRequest.RESULT_SUCCESS,
      HTTPRequest.RESULT_CHUNKED_BODY_SIZE_MISMATCH,
      HTTPRequest.RESULT_CANT_CONNECT,
      HTTPRequest.RESULT_CANT_RESOLVE,
      HTTPRequest.RESULT_CONNECTION_ERROR,
      HTTPRequest.RESULT_TLS_HANDSHAKE_ERROR,
      HTTPRequest.RESULT_NO_RESPONSE,
      HTTPRequest.RESULT_BODY_SIZE_LIMIT_EXCEEDED,
      HTTPRequest.RESULT_BODY_DECOMPRESS_FAILED,
      HTTPRequest.RESULT_REQUEST_FAILED,
      HTTPRequest.RESULT_DOWNLOAD_FILE_CANT_OPEN,
      HTTPRequest.RESULT_DOWNLOAD_FILE_WRITE_ERROR,
      HTTPRequest.RESULT_REDIRECT_LIMIT_REACHED,
      HTTPRequest.RESULT_TIMEOUT,
    ]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });

  it("HTTPClient's METHOD_*, STATUS_* and RESPONSE_* have Godot's numbers", () => {
    expect([
      HTTPClient.METHOD_GET,
      HTTPClient.METHOD_HEAD,
      HTTPClient.METHOD_POST,
      HTTPClient.METHOD_PUT,
      HTTPClient.METHOD_DELETE,
      HTTPClient.METHOD_OPTIONS,
      HTTPClient.METHOD_TRACE,
      HTTPClient.METHOD_CONNECT,
      HTTPClient.METHOD_PATCH,
      HTTPClient.METHOD_MAX,
    ]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([
      HTTPClient.STATUS_DISCONNECTED,
      HTTPClient.STATUS_RESOLVING,
      HTTPClient.STATUS_CANT_RESOLVE,
      HTTPClient.STATUS_CONNECTING,
      HTTPClient.STATUS_CANT_CONNECT,
      HTTPClient.STATUS_CONNECTED,
      HTTPClient.STATUS_REQUESTING,
      HTTPClient.STATUS_BODY,
      HTTPClient.STATUS_CONNECTION_ERROR,
      HTTPClient.STATUS_TLS_HANDSHAKE_ERROR,
    ]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const responses = Object.entries(HTTPClient).filter(([name]) => name.startsWith("RESPONSE_"));
    expect(responses).toHaveLength(61);
    for (const [, code] of responses) expect(code).toBeGreaterThanOrEqual(100);
    expect(HTTPClient.RESPONSE_IM_A_TEAPOT).toBe(418);
    expect(HTTPClient.RESPONSE_NETWORK_AUTH_REQUIRED).toBe(511);
    expect(HTTPClient.RESPONSE_SWITCH_PROXY).toBe(306);
    expect(HTTPClient.RESPONSE_IM_USED).toBe(226);
  });

  it("a new HTTPRequest has Godot's defaults and is idle", () => {
    const request = new HTTPRequest({ network: new MemoryNetwork() });
    expect(request.acceptGzip).toBe(true);
    expect(request.bodySizeLimit).toBe(-1);
    expect(request.downloadChunkSize).toBe(65536);
    expect(request.downloadFile).toBe("");
    expect(request.maxRedirects).toBe(8);
    expect(request.timeout).toBe(0);
    expect(request.getHttpClientStatus()).toBe(HTTPClient.STATUS_DISCONNECTED);
    expect(request.getBodySize()).toBe(-1);
    expect(request.getDownloadedBytes()).toBe(0);
    request.poll();
    request.cancelRequest();
    expect(request.getHttpClientStatus()).toBe(HTTPClient.STATUS_DISCONNECTED);
  });

  it("downloadChunkSize outside 256–16777216 is ignored", () => {
    const request = new HTTPRequest({ network: new MemoryNetwork() });
    request.downloadChunkSize = 255;
    request.downloadChunkSize = 16 * 1024 * 1024 + 1;
    request.downloadChunkSize = 1.5;
    expect(request.downloadChunkSize).toBe(65536);
    request.downloadChunkSize = 256;
    expect(request.downloadChunkSize).toBe(256);
  });

  it("setTlsOptions accepts client options only", () => {
    const request = new HTTPRequest({ network: new MemoryNetwork() });
    expect(request.setTlsOptions(TLSOptions.client())).toBe(OK);
    expect(request.setTlsOptions(TLSOptions.clientUnsafe())).toBe(OK);
    expect(request.setTlsOptions(TLSOptions.server("key", "cert"))).toBe(ERR_INVALID_PARAMETER);
    expect(request.setTlsOptions(null)).toBe(ERR_INVALID_PARAMETER);
  });

  it("resultName names every RESULT_* and says when a code is unknown", () => {
    const names = Object.getOwnPropertyNames(HTTPRequest).filter((name) => name.startsWith("RESULT_"));
    expect(names).toHaveLength(14);
    for (const name of names) {
      expect(resultName((HTTPRequest as unknown as Record<string, number>)[name]!)).toBe(name);
    }
    expect(resultName(HTTPRequest.RESULT_TIMEOUT)).toBe("RESULT_TIMEOUT");
    expect(resultName(0)).toBe("RESULT_SUCCESS");
    expect(resultName(14)).toBe("RESULT_UNKNOWN(14)");
    expect(resultName(-1)).toBe("RESULT_UNKNOWN(-1)");
    expect(resultName(1.5)).toBe("RESULT_UNKNOWN(1.5)");
  });

  it("disposing a request cancels it: no signal, idle, its connection gone, ready for the next", () => {
    const network = new MemoryNetwork({ seed: 1, latency: 20 });
    network.serveHttp(80, (_request, response) => {
      response.writeHead(200, ["Content-Length: 10"]);
      response.write("12345");
    });
    const request = new HTTPRequest({ network });
    const results: number[] = [];
    request.requestCompleted.connect((result) => results.push(result));
    expect(request.request("http://127.0.0.1/")).toBe(OK);
    for (let i = 0; i < 20 && request.getDownloadedBytes() < 5; i++) {
      network.advance(16);
      request.poll();
    }
    expect(request.getHttpClientStatus()).toBe(HTTPClient.STATUS_BODY);
    expect(network.connections("127.0.0.1", 80)).toHaveLength(1);
    request[Symbol.dispose]();
    expect(request.getHttpClientStatus()).toBe(HTTPClient.STATUS_DISCONNECTED);
    for (let i = 0; i < 20; i++) {
      network.advance(16);
      request.poll();
    }
    expect(results).toEqual([]);
    expect(network.connections("127.0.0.1", 80)).toHaveLength(0);
    expect(request.request("http://127.0.0.1/")).toBe(OK);
  });

  it("`using` a request cancels it at the end of the scope", () => {
    const network = new MemoryNetwork({ seed: 1 });
    network.serveHttp(80, (_request, response) => {
      response.writeHead(200, ["Content-Length: 10"]);
      response.write("12345");
    });
    const results: number[] = [];
    let escaped: HTTPRequest | null = null;
    {
      using request = new HTTPRequest({ network });
      escaped = request;
      request.requestCompleted.connect((result) => results.push(result));
      expect(request.request("http://127.0.0.1/")).toBe(OK);
      for (let i = 0; i < 20 && request.getDownloadedBytes() < 5; i++) {
        network.advance(16);
        request.poll();
      }
      expect(request.getHttpClientStatus()).toBe(HTTPClient.STATUS_BODY);
    }
    expect(escaped.getHttpClientStatus()).toBe(HTTPClient.STATUS_DISCONNECTED);
    expect(network.connections("127.0.0.1", 80)).toHaveLength(0);
    expect(results).toEqual([]);
  });

  it("a body that is not bytes is a TypeError, as wrong types are", () => {
    const request = new HTTPRequest({ network: new MemoryNetwork() });
    expect(() => request.requestRaw("http://127.0.0.1/", [], 0, "text" as unknown as Uint8Array)).toThrow(
      TypeError,
    );
    expect(request.getHttpClientStatus()).toBe(HTTPClient.STATUS_DISCONNECTED);
  });
});

describe("HTTPRequest on a MemoryNetwork", () => {
  it("a request to another host is answered by the handler registered there", () => {
    const network = new MemoryNetwork({ seed: 1 });
    const seen: string[] = [];
    network.host("api.test").serveHttp(8080, (request, response) => {
      seen.push(`${request.remoteAddress} ${request.method} ${request.target} ${request.header("host")}`);
      response.writeHead(200, ["Content-Type: text/plain"]).end("from api.test");
    });
    const { completion } = run(network, "http://api.test:8080/v1/status", () => {}, {
      network: network.host("game-client"),
    });
    expect(completion).toMatchObject({
      result: HTTPRequest.RESULT_SUCCESS,
      code: 200,
      body: "from api.test",
    });
    expect(seen).toEqual(["game-client GET /v1/status api.test:8080"]);
  });

  it("latency delays the answer by two round trips (connect, then request) of virtual time", () => {
    const network = new MemoryNetwork({ seed: 1, latency: 50 });
    network.serveHttp(80, hello);
    const { completion } = run(network, "http://127.0.0.1/");
    expect(completion!.result).toBe(HTTPRequest.RESULT_SUCCESS);
    // 4 × 50 ms, seen at the first 16 ms frame after it.
    expect(completion!.at).toBe(208);
  });

  it("bandwidth paces the body, and the progress is visible poll by poll", () => {
    const network = new MemoryNetwork({ seed: 1, bandwidth: 10_000 });
    network.serveHttp(80, (_request, response) => {
      response.writeHead(200, ["Content-Length: 5000"]);
      for (let i = 0; i < 10; i++) response.write(new Uint8Array(500).fill(i));
      response.end();
    });
    const progress = new Set<number>();
    const { completion } = run(network, "http://127.0.0.1/", (request) => {
      request.requestCompleted.connect(() => progress.add(request.getDownloadedBytes()));
      const poll = request.poll.bind(request);
      request.poll = () => {
        poll();
        progress.add(request.getDownloadedBytes());
      };
    });
    expect(completion!.result).toBe(HTTPRequest.RESULT_SUCCESS);
    expect(completion!.at).toBeGreaterThanOrEqual(500);
    expect([...progress].filter((n) => n > 0 && n < 5000).length).toBeGreaterThanOrEqual(5);
  });

  it("a partition stalls the response until it heals", () => {
    const network = new MemoryNetwork({ seed: 1 });
    network.host("api.test").serveHttp(80, hello);
    const client = network.host("player");
    network.partition("player", "api.test");
    const request = new HTTPRequest({ network: client });
    let done: number | null = null;
    request.requestCompleted.connect((result) => {
      done = result;
    });
    expect(request.request("http://api.test/")).toBe(OK);
    for (let i = 0; i < 100; i++) {
      network.advance(16);
      request.poll();
    }
    expect(done).toBeNull();
    network.heal("player", "api.test");
    for (let i = 0; i < 5 && done === null; i++) {
      network.advance(16);
      request.poll();
    }
    expect(done).toBe(HTTPRequest.RESULT_SUCCESS);
  });

  it("a connection reset mid-body is RESULT_CONNECTION_ERROR; a silent drop ends only by timeout", () => {
    const network = new MemoryNetwork({ seed: 1 });
    network.serveHttp(80, (_request, response) => {
      response.writeHead(200, ["Content-Length: 100"]);
      response.write("0123456789");
    });
    const reset = new HTTPRequest({ network });
    const results: number[] = [];
    reset.requestCompleted.connect((result) => results.push(result));
    reset.request("http://127.0.0.1/");
    while (reset.getDownloadedBytes() < 10) {
      network.advance(16);
      reset.poll();
    }
    network.resetConnections("127.0.0.1", 80);
    reset.poll();
    expect(results).toEqual([HTTPRequest.RESULT_CONNECTION_ERROR]);

    const { completion } = run(network, "http://127.0.0.1/", (request) => {
      request.timeout = 3;
      request.requestCompleted.connect(() => {});
      const poll = request.poll.bind(request);
      request.poll = () => {
        if (request.getDownloadedBytes() === 10) network.dropHost("127.0.0.1");
        poll();
      };
    });
    expect(completion).toMatchObject({ result: HTTPRequest.RESULT_TIMEOUT, code: 0 });
    expect(completion!.at).toBeGreaterThanOrEqual(3000);
  });

  it("an address no host has is silent: only the timeout ends the request", () => {
    const network = new MemoryNetwork({ seed: 1 });
    const { completion } = run(network, "http://10.9.8.7/", (request) => {
      request.timeout = 2;
    });
    expect(completion).toMatchObject({ result: HTTPRequest.RESULT_TIMEOUT, code: 0 });
    expect(completion!.at).toBeGreaterThanOrEqual(2000);
    expect(completion!.at).toBeLessThan(2100);
  });

  it("https:// is served by the same handler (no TLS in memory), TLS options ignored", () => {
    const network = new MemoryNetwork({ seed: 1 });
    network.serveHttp(443, hello);
    const { completion } = run(network, "https://127.0.0.1/secure", (request) => {
      request.setTlsOptions(TLSOptions.client("not a certificate"));
    });
    expect(completion).toMatchObject({ result: HTTPRequest.RESULT_SUCCESS, body: "hello /secure" });
  });

  it("a download file cannot be opened on a MemoryNetwork (no file system)", () => {
    const network = new MemoryNetwork({ seed: 1 });
    network.serveHttp(80, (_request, response) => response.writeHead(200, ["X-A: b"]).end("data"));
    const { completion } = run(network, "http://127.0.0.1/", (request) => {
      request.downloadFile = "/tmp/never-written";
    });
    expect(completion).toMatchObject({ result: HTTPRequest.RESULT_DOWNLOAD_FILE_CANT_OPEN, code: 200 });
    expect(completion!.headers).toContain("X-A: b");
  });

  it("a port served by a TCP listener, not an HTTP handler, is RESULT_CONNECTION_ERROR", () => {
    const network = new MemoryNetwork({ seed: 1 });
    const server = new TCPServer({ network });
    expect(server.listen(7000)).toBe(OK);
    const { completion } = run(network, "http://127.0.0.1:7000/");
    expect(completion!.result).toBe(HTTPRequest.RESULT_CONNECTION_ERROR);
    server.stop();
  });

  it("serveHttp refuses a port in use; after close() requests are refused", () => {
    const network = new MemoryNetwork({ seed: 1 });
    const server = network.serveHttp(8080, hello);
    expect(server.port).toBe(8080);
    expect(() => network.serveHttp(8080, hello)).toThrow(/in use/);
    server.close();
    const { completion } = run(network, "http://127.0.0.1:8080/");
    expect(completion!.result).toBe(HTTPRequest.RESULT_CANT_CONNECT);
    expect(network.serveHttp(8080, hello).isOpen).toBe(true);
  });

  it("refuseConnections makes a served port refuse", () => {
    const network = new MemoryNetwork({ seed: 1 });
    network.serveHttp(80, hello);
    network.refuseConnections("127.0.0.1", 80);
    expect(run(network, "http://127.0.0.1/").completion!.result).toBe(HTTPRequest.RESULT_CANT_CONNECT);
  });

  it("setHttpProxy routes the request to the proxy host with an absolute target", () => {
    const network = new MemoryNetwork({ seed: 1 });
    const seen: string[] = [];
    network.host("proxy.local").serveHttp(3128, (request, response) => {
      seen.push(request.target);
      response.end("proxied");
    });
    const { completion } = run(network, "http://api.test:8080/x?y=1", (request) => {
      request.setHttpProxy("proxy.local", 3128);
    });
    expect(completion!.body).toBe("proxied");
    expect(seen).toEqual(["http://api.test:8080/x?y=1"]);
  });

  it("the same calls on the same network give the same observations, frame by frame", () => {
    const observe = () => {
      const network = new MemoryNetwork({ seed: 9, latency: 7, bandwidth: 20_000 });
      network.serveHttp(80, (request, response) => {
        if (request.target === "/start") response.writeHead(302, ["Location: /body"]).end();
        else {
          response.writeHead(200);
          for (let i = 0; i < 8; i++) response.write(new Uint8Array(700).fill(i));
          response.end();
        }
      });
      const log: string[] = [];
      const request = new HTTPRequest({ network });
      request.requestCompleted.connect((result, code, _headers, body) =>
        log.push(`done ${result} ${code} ${body.length}`),
      );
      request.request("http://localhost/start");
      for (let i = 0; i < 60; i++) {
        network.advance(16);
        request.poll();
        log.push(`${network.now()} ${request.getHttpClientStatus()} ${request.getDownloadedBytes()}`);
      }
      return log;
    };
    const first = observe();
    expect(first).toContain("done 0 200 5600");
    expect(observe()).toEqual(first);
  });
});
