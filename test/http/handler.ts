import http from "node:http";
import type { AddressInfo } from "node:net";

/*
 * One handler shape for test HTTP servers on both worlds: node:http on loopback and
 * MemoryNetwork.serveHttp. MemoryHttpRequest and MemoryHttpResponse have this shape; a
 * node:http request is adapted to it here, with the same framing rules, so a handler
 * produces the same response on both.
 */

/** A request as a test handler sees it. */
export interface TestHttpRequest {
  readonly method: string;
  readonly target: string;
  readonly headers: readonly string[];
  readonly body: Uint8Array;
  header(name: string): string | null;
}

/** How a test handler answers (node:http's ServerResponse shape). */
export interface TestHttpResponse {
  writeHead(status: number, headers?: readonly string[]): TestHttpResponse;
  write(chunk: Uint8Array | string): void;
  end(chunk?: Uint8Array | string): void;
  /** Resets the connection. */
  destroy(): void;
}

export type TestHttpHandler = (request: TestHttpRequest, response: TestHttpResponse) => void;

/** A node:http server on 127.0.0.1 running `handler`. */
export interface NodeTestServer {
  readonly server: http.Server;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

function headerOf(lines: readonly string[], name: string): string | null {
  const wanted = name.toLowerCase();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === wanted)
      return line.slice(colon + 1).trim();
  }
  return null;
}

/** Adapts node:http's response to {@link TestHttpResponse}, deciding framing as MemoryHttpResponse does. */
function adapt(res: http.ServerResponse): TestHttpResponse {
  let status = 200;
  let headers: string[] = [];
  let headSent = false;
  const sendHead = (wholeBodyLength: number) => {
    headSent = true;
    const hasLength = headerOf(headers, "content-length") !== null;
    const hasEncoding = headerOf(headers, "transfer-encoding") !== null;
    if (!hasLength && !hasEncoding && wholeBodyLength >= 0 && status !== 204 && status !== 304) {
      headers.push(`Content-Length: ${wholeBodyLength}`);
    } else if (!hasLength && !hasEncoding && /^close$/i.test(headerOf(headers, "connection") ?? "")) {
      res.useChunkedEncodingByDefault = false;
    }
    const flat: string[] = [];
    for (const line of headers) {
      const colon = line.indexOf(":");
      flat.push(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    }
    res.writeHead(status, flat);
  };
  return {
    writeHead(code, lines = []) {
      if (!headSent) {
        status = code;
        headers = [...lines];
      }
      return this;
    },
    write(chunk) {
      if (!headSent) sendHead(-1);
      res.write(chunk);
    },
    end(chunk) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      if (!headSent) sendHead(bytes?.byteLength ?? 0);
      res.end(bytes);
    },
    destroy() {
      res.socket?.resetAndDestroy();
    },
  };
}

/** Starts a node:http server on a free loopback port that answers with `handler`. */
export async function startNodeTestServer(handler: TestHttpHandler): Promise<NodeTestServer> {
  const server = http.createServer((req, res) => {
    res.sendDate = false;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const lines: string[] = [];
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      handler(
        {
          method: req.method ?? "",
          target: req.url ?? "",
          headers: lines,
          body: new Uint8Array(Buffer.concat(chunks)),
          header: (name) => headerOf(lines, name),
        },
        adapt(res),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
