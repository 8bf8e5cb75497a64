import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import net, { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HTTPClient, HTTPRequest, OK, TLSOptions } from "../src/index.js";

/*
 * HTTPRequest on Node only: TLS, download files, proxies and connection handling, all
 * against servers on loopback. The behaviour shared with the memory network is in
 * test/contract/http.contract.ts.
 */

const key = readFileSync(new URL("./fixtures/tls/localhost.key", import.meta.url), "utf8");
const certificate = readFileSync(new URL("./fixtures/tls/localhost.crt", import.meta.url), "utf8");

interface Completion {
  result: number;
  code: number;
  headers: string[];
  body: Uint8Array;
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const frame = () => new Promise((resolve) => setTimeout(resolve, 1));

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** Starts `url` on `request` and polls until it completes. */
async function complete(request: HTTPRequest, start: () => number, limitMs = 5000): Promise<Completion> {
  const completions: Completion[] = [];
  const listener = (result: number, code: number, headers: string[], body: Uint8Array) => {
    completions.push({ result, code, headers, body });
  };
  request.requestCompleted.connect(listener);
  expect(start()).toBe(OK);
  const began = performance.now();
  while (completions.length === 0) {
    if (performance.now() - began > limitMs) throw new Error("the request did not complete");
    await frame();
    request.poll();
  }
  request.requestCompleted.disconnect(listener);
  expect(completions).toHaveLength(1);
  return completions[0]!;
}

describe("HTTPRequest over HTTPS (Node)", () => {
  let server: https.Server;
  let base: string;

  beforeEach(async () => {
    server = https.createServer({ key, cert: certificate }, (req, res) => res.end(`secure ${req.url}`));
    base = `https://127.0.0.1:${await listen(server)}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("a self-signed certificate trusted through TLSOptions.client(certificate) succeeds", async () => {
    const request = new HTTPRequest();
    expect(request.setTlsOptions(TLSOptions.client(certificate))).toBe(OK);
    const done = await complete(request, () => request.request(`${base}/a`));
    expect(done).toMatchObject({ result: HTTPRequest.RESULT_SUCCESS, code: 200 });
    expect(text(done.body)).toBe("secure /a");
  });

  it("without TLS options the same server is refused with RESULT_TLS_HANDSHAKE_ERROR", async () => {
    const request = new HTTPRequest();
    const done = await complete(request, () => request.request(`${base}/b`));
    expect(done).toEqual({
      result: HTTPRequest.RESULT_TLS_HANDSHAKE_ERROR,
      code: 0,
      headers: [],
      body: new Uint8Array(0),
    });
  });

  it("the certificate is checked against the common-name override when one is given", async () => {
    const wrong = new HTTPRequest();
    wrong.setTlsOptions(TLSOptions.client(certificate, "example.com"));
    expect((await complete(wrong, () => wrong.request(`${base}/c`))).result).toBe(
      HTTPRequest.RESULT_TLS_HANDSHAKE_ERROR,
    );
    const right = new HTTPRequest();
    right.setTlsOptions(TLSOptions.client(certificate, "localhost"));
    expect((await complete(right, () => right.request(`${base}/c`))).result).toBe(HTTPRequest.RESULT_SUCCESS);
  });

  it("TLSOptions.clientUnsafe() skips verification", async () => {
    const request = new HTTPRequest();
    request.setTlsOptions(TLSOptions.clientUnsafe());
    expect((await complete(request, () => request.request(`${base}/d`))).result).toBe(
      HTTPRequest.RESULT_SUCCESS,
    );
  });

  it("https:// to a plain HTTP server fails the handshake", async () => {
    const plain = http.createServer((_req, res) => res.end("plain"));
    const port = await listen(plain);
    const request = new HTTPRequest();
    const done = await complete(request, () => request.request(`https://127.0.0.1:${port}/`));
    expect(done.result).toBe(HTTPRequest.RESULT_TLS_HANDSHAKE_ERROR);
    plain.closeAllConnections();
    plain.close();
  });

  it("setTlsOptions refuses server options and null, keeping the previous options", async () => {
    const request = new HTTPRequest();
    expect(request.setTlsOptions(TLSOptions.client(certificate))).toBe(OK);
    expect(request.setTlsOptions(TLSOptions.server(key, certificate))).toBe(31);
    expect(request.setTlsOptions(null)).toBe(31);
    expect((await complete(request, () => request.request(`${base}/e`))).result).toBe(
      HTTPRequest.RESULT_SUCCESS,
    );
  });
});

describe("HTTPRequest download files and connections (Node)", () => {
  let server: http.Server;
  let base: string;
  let dir: string;
  const sockets = new Set<net.Socket>();
  const plain = "line of the download\n".repeat(5000);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "gdnet-http-"));
    sockets.clear();
    server = http.createServer((req, res) => {
      if (req.url === "/gzip") {
        res.writeHead(200, { "Content-Encoding": "gzip" }).end(gzipSync(plain));
      } else if (req.url === "/redirect") {
        res.writeHead(302, { Location: "/file" }).end();
      } else if (req.url === "/stall") {
        res.writeHead(200, { "Content-Length": "100" }).flushHeaders();
      } else {
        res
          .writeHead(200, {
            "Content-Type": "text/plain",
            "Content-Length": Buffer.byteLength(plain),
            "X-File": "yes",
          })
          .end(plain);
      }
    });
    server.on("connection", (socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    base = `http://127.0.0.1:${await listen(server)}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it("downloadFile receives the body and the signal's body is empty", async () => {
    const request = new HTTPRequest();
    request.downloadFile = join(dir, "out.txt");
    const done = await complete(request, () => request.request(`${base}/file`));
    expect(done).toMatchObject({ result: HTTPRequest.RESULT_SUCCESS, code: 200 });
    expect(done.body.byteLength).toBe(0);
    expect(done.headers).toContain("X-File: yes");
    expect(readFileSync(join(dir, "out.txt"), "utf8")).toBe(plain);
    expect(request.getDownloadedBytes()).toBe(Buffer.byteLength(plain));
  });

  it("a gzip download is written decoded", async () => {
    const request = new HTTPRequest();
    request.downloadFile = join(dir, "decoded.txt");
    const done = await complete(request, () => request.request(`${base}/gzip`));
    expect(done.result).toBe(HTTPRequest.RESULT_SUCCESS);
    expect(readFileSync(join(dir, "decoded.txt"), "utf8")).toBe(plain);
    expect(request.getDownloadedBytes()).toBe(gzipSync(plain).byteLength);
  });

  it("a download file that cannot be opened is RESULT_DOWNLOAD_FILE_CANT_OPEN with the code and headers", async () => {
    const request = new HTTPRequest();
    request.downloadFile = join(dir, "missing-folder", "out.txt");
    const done = await complete(request, () => request.request(`${base}/file`));
    expect(done).toMatchObject({ result: HTTPRequest.RESULT_DOWNLOAD_FILE_CANT_OPEN, code: 200 });
    expect(done.headers).toContain("X-File: yes");
  });

  it("a response refused at its headers never creates the download file", async () => {
    const request = new HTTPRequest();
    request.downloadFile = join(dir, "never.txt");
    request.maxRedirects = 0;
    expect((await complete(request, () => request.request(`${base}/redirect`))).result).toBe(
      HTTPRequest.RESULT_REDIRECT_LIMIT_REACHED,
    );
    request.maxRedirects = 8;
    request.bodySizeLimit = 10;
    const limited = await complete(request, () => request.request(`${base}/file`));
    expect(limited.result).toBe(HTTPRequest.RESULT_BODY_SIZE_LIMIT_EXCEEDED);
    expect(existsSync(join(dir, "never.txt"))).toBe(false);
  });

  it("downloadFile, bodySizeLimit and downloadChunkSize cannot change while a request runs", async () => {
    const request = new HTTPRequest();
    request.downloadChunkSize = 4096;
    expect(request.request(`${base}/stall`)).toBe(OK);
    request.downloadFile = join(dir, "late.txt");
    request.bodySizeLimit = 5;
    request.downloadChunkSize = 1024;
    expect(request.downloadFile).toBe("");
    expect(request.bodySizeLimit).toBe(-1);
    expect(request.downloadChunkSize).toBe(4096);
    request.cancelRequest();
    request.bodySizeLimit = 5;
    expect(request.bodySizeLimit).toBe(5);
  });

  it("each request has its own connection, closed when the request ends", async () => {
    const request = new HTTPRequest();
    for (let i = 0; i < 3; i++) {
      expect((await complete(request, () => request.request(`${base}/file`))).result).toBe(0);
    }
    const began = performance.now();
    while (sockets.size > 0 && performance.now() - began < 2000) await frame();
    expect(sockets.size).toBe(0);
  });

  it("cancelRequest() closes the connection at once", async () => {
    const request = new HTTPRequest();
    expect(request.request(`${base}/stall`)).toBe(OK);
    while (request.getHttpClientStatus() !== HTTPClient.STATUS_BODY) {
      await frame();
      request.poll();
    }
    expect(sockets.size).toBe(1);
    request.cancelRequest();
    const began = performance.now();
    while (sockets.size > 0 && performance.now() - began < 2000) await frame();
    expect(sockets.size).toBe(0);
  });

  it("a host name is RESOLVING right after request(), an IP address CONNECTING", async () => {
    const request = new HTTPRequest();
    expect(request.request(base.replace("127.0.0.1", "localhost"))).toBe(OK);
    expect(request.getHttpClientStatus()).toBe(HTTPClient.STATUS_RESOLVING);
    request.cancelRequest();
    expect(request.request(`${base}/file`)).toBe(OK);
    expect(request.getHttpClientStatus()).toBe(HTTPClient.STATUS_CONNECTING);
    request.cancelRequest();
  });

  it("a server that closes without answering is RESULT_CONNECTION_ERROR", async () => {
    const rude = net.createServer((socket) => socket.once("data", () => socket.end()));
    const port = await listen(rude);
    const request = new HTTPRequest();
    const done = await complete(request, () => request.request(`http://127.0.0.1:${port}/`));
    expect(done).toMatchObject({ result: HTTPRequest.RESULT_CONNECTION_ERROR, code: 0 });
    rude.close();
  });

  it("a chunked body cut before its last chunk is RESULT_CONNECTION_ERROR, not a short success", async () => {
    const cut = net.createServer((socket) =>
      socket.once("data", () =>
        socket.end("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"),
      ),
    );
    const port = await listen(cut);
    const request = new HTTPRequest();
    const done = await complete(request, () => request.request(`http://127.0.0.1:${port}/`));
    expect(done).toMatchObject({ result: HTTPRequest.RESULT_CONNECTION_ERROR, code: 0 });
    cut.close();
  });

  it("an empty POST goes out with Content-Length: 0 and no chunked framing", async () => {
    let seen: http.IncomingHttpHeaders = {};
    const echo = http.createServer((req, res) => {
      seen = req.headers;
      req.resume();
      res.end();
    });
    const port = await listen(echo);
    const request = new HTTPRequest();
    await complete(request, () => request.request(`http://127.0.0.1:${port}/`, [], HTTPClient.METHOD_POST));
    expect(seen["content-length"]).toBe("0");
    expect(seen["transfer-encoding"]).toBeUndefined();
    echo.closeAllConnections();
    echo.close();
  });
});

describe("HTTPRequest through proxies (Node)", () => {
  const closers: (() => void)[] = [];
  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });

  async function serve(server: http.Server | https.Server): Promise<number> {
    const port = await listen(server);
    closers.push(() => {
      server.closeAllConnections();
      server.close();
    });
    return port;
  }

  it("setHttpProxy sends http:// requests to the proxy in absolute form", async () => {
    const seen: string[] = [];
    const proxyPort = await serve(
      http.createServer((req, res) => {
        seen.push(`${req.method} ${req.url} host=${req.headers.host}`);
        res.end("from the proxy");
      }),
    );
    const request = new HTTPRequest();
    request.setHttpProxy("127.0.0.1", proxyPort);
    const done = await complete(request, () => request.request("http://game.example:8080/scores?top=3"));
    expect(text(done.body)).toBe("from the proxy");
    expect(seen).toEqual(["GET http://game.example:8080/scores?top=3 host=game.example:8080"]);
  });

  it("setHttpsProxy tunnels https:// requests through CONNECT, and ('', -1) unsets it", async () => {
    const target = await serve(
      https.createServer({ key, cert: certificate }, (req, res) => res.end(`tls ${req.url}`)),
    );
    const tunnels: string[] = [];
    const proxy = http.createServer();
    proxy.on("connect", (req: http.IncomingMessage, client: net.Socket) => {
      tunnels.push(req.url ?? "");
      const [host, port] = (req.url ?? "").split(":");
      const upstream = net.connect(Number(port), host === "localhost" ? "127.0.0.1" : host!, () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
    const proxyPort = await serve(proxy);
    const request = new HTTPRequest();
    request.setTlsOptions(TLSOptions.client(certificate));
    request.setHttpsProxy("127.0.0.1", proxyPort);
    const done = await complete(request, () => request.request(`https://localhost:${target}/via`));
    expect(done).toMatchObject({ result: HTTPRequest.RESULT_SUCCESS, code: 200 });
    expect(text(done.body)).toBe("tls /via");
    expect(tunnels).toEqual([`localhost:${target}`]);
    request.setHttpsProxy("", -1);
    const direct = await complete(request, () => request.request(`https://localhost:${target}/direct`));
    expect(text(direct.body)).toBe("tls /direct");
    expect(tunnels).toHaveLength(1);
  });

  it("a proxy that refuses the tunnel ends in RESULT_CANT_CONNECT", async () => {
    const proxy = http.createServer();
    proxy.on("connect", (_req: http.IncomingMessage, client: net.Socket) => {
      client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
    });
    const proxyPort = await serve(proxy);
    const request = new HTTPRequest();
    request.setHttpsProxy("127.0.0.1", proxyPort);
    const done = await complete(request, () => request.request("https://localhost:1/"));
    expect(done).toMatchObject({ result: HTTPRequest.RESULT_CANT_CONNECT, code: 0 });
  });
});
