import type { StagedEventTarget, StagingQueue } from "../../core/StagingQueue.js";
import {
  HTTP_DONE,
  HTTP_HEADERS,
  HTTP_REQUESTING,
  type HttpExchange,
  type HttpExchangeRequest,
  type HttpResponseHead,
  type HttpTransport,
} from "../http.js";
import { StagedHttpExchange } from "../http-exchange.js";

/*
 * fetch behind the HTTP transport interface. What the browser decides, not gdnet:
 * - redirects are followed by the browser, up to its own limit (20 in Chromium and
 *   Firefox); the owner only sees the final response. With a redirect limit of 0 the
 *   request is made with `redirect: "manual"` and a redirect ends it;
 * - compression is negotiated and decoded by the browser whatever `decompress` says,
 *   and the byte counts are of the decoded body the browser hands over;
 * - header names come lower case, repeated headers joined with ", ", `Set-Cookie`
 *   is never visible, and a cross-origin response shows only CORS-exposed headers;
 * - headers a page may not set (`Host`, `Content-Length`, `Accept-Encoding`,
 *   `Connection`, …) are dropped by the browser;
 * - TLS is the browser's (its trust store); TLS options and proxies are ignored;
 * - a failed fetch does not say why: refused, unresolved, TLS and CORS failures all
 *   count as `refused`;
 * - there is no file system: a download file cannot be opened.
 * The body is read one chunk at a time, and only while the staging budget allows: a
 * page that stops polling stops reading, and the browser pushes back on the server.
 */

class BrowserHttpExchange extends StagedHttpExchange {
  readonly #controller = new AbortController();
  #response: Response | null = null;
  #reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  readonly #downloadFile: string;
  /** A `read()` is under way. */
  #reading = false;

  constructor(request: HttpExchangeRequest, queue: StagingQueue, target: StagedEventTarget) {
    super(queue, target, request.bodySizeLimit);
    this.#downloadFile = request.downloadFile;
    this.#start(request);
  }

  #start(request: HttpExchangeRequest): void {
    const bodyless = request.method === "GET" || request.method === "HEAD";
    if (bodyless && request.body.byteLength > 0) {
      this.fail("request", `fetch cannot send a body with ${request.method}`);
      return;
    }
    let init: RequestInit;
    try {
      const headers = new Headers();
      for (const line of request.headers) {
        const colon = line.indexOf(":");
        headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      init = {
        method: request.method,
        headers,
        signal: this.#controller.signal,
        redirect: request.followRedirects ? "follow" : "manual",
        cache: "no-store",
      };
      if (!bodyless) init.body = request.body.slice();
    } catch (error) {
      this.fail("request", (error as Error).message);
      return;
    }
    const host = request.host.includes(":") ? `[${request.host}]` : request.host;
    const url = `${request.scheme}://${host}:${request.port}${request.target}`;
    this.stage(HTTP_REQUESTING);
    fetch(url, init).then(
      (response) => this.#onResponse(response),
      (error: unknown) => this.fail("refused", String(error)),
    );
  }

  #onResponse(response: Response): void {
    if (this.released) {
      void response.body?.cancel().catch(() => {});
      return;
    }
    if (response.type === "opaqueredirect") {
      this.fail("redirect-limit", "the response is a redirect and redirects are not allowed");
      return;
    }
    this.#response = response;
    const headers: string[] = [];
    response.headers.forEach((value, name) => {
      headers.push(`${name}: ${value}`);
    });
    const length = response.headers.get("content-length");
    const head: HttpResponseHead = {
      status: response.status,
      headers,
      contentLength: length !== null && /^\d+$/.test(length) ? Number(length) : -1,
    };
    this.stage(HTTP_HEADERS, head);
  }

  receiveBody(): void {
    const response = this.#response;
    if (this.released || response === null || this.#reader !== null) return;
    if (this.#downloadFile !== "") {
      this.fail("file-open", "browsers have no file system for a download file");
      return;
    }
    if (response.body === null) {
      this.stage(HTTP_DONE);
      this.#release();
      return;
    }
    this.#reader = response.body.getReader();
    this.#pump();
  }

  /** Reads the next chunk, unless a read is under way or the staging budget holds. */
  #pump(): void {
    const reader = this.#reader;
    if (reader === null || this.#reading || this.holding) return;
    this.#reading = true;
    reader.read().then(
      ({ done, value }) => {
        this.#reading = false;
        if (this.released) return;
        if (done) {
          this.stage(HTTP_DONE);
          this.#release();
          return;
        }
        if (this.stageBody(value, value.byteLength)) this.#pump();
      },
      (error: unknown) => {
        this.#reading = false;
        this.fail("connection", String(error));
      },
    );
  }

  /** @internal The owner polled: read on; a hold simply stops the pump after its read. */
  holdForDrain(held: boolean): void {
    if (!held && !this.released) this.#pump();
  }

  abort(): void {
    if (this.released) return;
    this.#release();
    this.#controller.abort();
  }

  #release(): void {
    this.silence();
    this.#response = null;
    this.#reader = null;
  }
}

/** The HTTP capability of the browser transport: fetch. */
export function createBrowserHttpTransport(): HttpTransport {
  return {
    start(request: HttpExchangeRequest, queue: StagingQueue, target: StagedEventTarget): HttpExchange {
      return new BrowserHttpExchange(request, queue, target);
    },
  };
}
