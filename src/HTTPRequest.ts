// Why this file is long: it is Godot's HTTPRequest, its properties, results and redirect
// and timeout rules, each member documented where it is declared; the exchanges are in
// transport/, the header and URL rules in http/.
import type { Clock } from "./core/Clock.js";
import { type StagedEventTarget, StagingQueue } from "./core/StagingQueue.js";
import { ErrorCode } from "./ErrorCode.js";
import { HTTPClient } from "./HTTPClient.js";
import {
  type CustomHeaders,
  composeRequestHeaders,
  customHeaderLines,
  hasHeader,
  METHOD_NAMES,
} from "./http/headers.js";
import { nextHop } from "./http/redirect.js";
import { BODY_PHASE_FAILURES, FAILURE_RESULTS, hasNoBody, ResponseProgress } from "./http/response.js";
import { isIpAddress, parseRequestUrl, type RequestUrl } from "./http/url.js";
import { Signal } from "./Signal.js";
import { TLSOptions } from "./TLSOptions.js";
import { resolveNetwork } from "./transport/defaultTransport.js";
import {
  HTTP_BODY,
  HTTP_CONNECTING,
  HTTP_DONE,
  HTTP_FAILED,
  HTTP_HEADERS,
  HTTP_REQUESTING,
  type HttpExchange,
  type HttpFailure,
  type HttpProxy,
  type HttpResponseHead,
} from "./transport/http.js";
import type { NetworkOptions, Transport } from "./transport/Transport.js";

export type { CustomHeaders } from "./http/headers.js";

const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();
const MIN_CHUNK_SIZE = 256;
const MAX_CHUNK_SIZE = 16 * 1024 * 1024;

/**
 * An HTTP request driven by `poll()`: one request at a time, with redirects, a timeout,
 * a body size limit, gzip/deflate decoding and downloads straight to a file.
 *
 * Ports Godot 4's `HTTPRequest` node. Instead of processing once per frame in the scene
 * tree, it advances in {@link HTTPRequest.poll}, which a game calls from its frame loop;
 * {@link HTTPRequest.requestCompleted} is emitted inside `poll()`. Uses `node:http`/`https`
 * on Node, `fetch` in browsers, and handlers registered with `serveHttp` on a
 * `MemoryNetwork`.
 *
 * Deviations (all in docs/porting.md): redirects follow 301/302/303/307/308 as RFC 9110
 * and browsers do (Godot: 301/302 only, keeping the method); `Location` is read as a
 * header; a body cut short before its `Content-Length` ends in `RESULT_CONNECTION_ERROR`
 * (Godot: `RESULT_CANT_CONNECT`, or success with a truncated chunked body), while a body
 * longer than it gives its first `Content-Length` bytes and success, as in Godot 4; a `request()`
 * that fails leaves no timeout behind; the body is read as fast as it arrives rather
 * than one `downloadChunkSize` per frame; nothing needs a scene tree.
 */
export class HTTPRequest implements StagedEventTarget {
  /** The request succeeded (any response code, 404 and 500 included). Ports `RESULT_SUCCESS` (0). */
  static readonly RESULT_SUCCESS = 0;
  /** The body's length did not match `Content-Length`. Ports `RESULT_CHUNKED_BODY_SIZE_MISMATCH` (1). */
  static readonly RESULT_CHUNKED_BODY_SIZE_MISMATCH = 1;
  /** No connection could be made. Ports `RESULT_CANT_CONNECT` (2). */
  static readonly RESULT_CANT_CONNECT = 2;
  /** The host name did not resolve. Ports `RESULT_CANT_RESOLVE` (3). */
  static readonly RESULT_CANT_RESOLVE = 3;
  /** The connection broke, or the body ended short of its length. Ports `RESULT_CONNECTION_ERROR` (4). */
  static readonly RESULT_CONNECTION_ERROR = 4;
  /** The TLS handshake failed. Ports `RESULT_TLS_HANDSHAKE_ERROR` (5). */
  static readonly RESULT_TLS_HANDSHAKE_ERROR = 5;
  /** The response had no headers. Ports `RESULT_NO_RESPONSE` (6). */
  static readonly RESULT_NO_RESPONSE = 6;
  /** The body passed {@link HTTPRequest.bodySizeLimit}. Ports `RESULT_BODY_SIZE_LIMIT_EXCEEDED` (7). */
  static readonly RESULT_BODY_SIZE_LIMIT_EXCEEDED = 7;
  /** The compressed body could not be decoded. Ports `RESULT_BODY_DECOMPRESS_FAILED` (8). */
  static readonly RESULT_BODY_DECOMPRESS_FAILED = 8;
  /**
   * The platform refused the request as given. Ports `RESULT_REQUEST_FAILED` (9), unused
   * by Godot; gdnet uses it in browsers for a request `fetch` rejects (a GET with a body).
   */
  static readonly RESULT_REQUEST_FAILED = 9;
  /** The download file could not be opened. Ports `RESULT_DOWNLOAD_FILE_CANT_OPEN` (10). */
  static readonly RESULT_DOWNLOAD_FILE_CANT_OPEN = 10;
  /** Writing the download file failed. Ports `RESULT_DOWNLOAD_FILE_WRITE_ERROR` (11). */
  static readonly RESULT_DOWNLOAD_FILE_WRITE_ERROR = 11;
  /** {@link HTTPRequest.maxRedirects} was reached. Ports `RESULT_REDIRECT_LIMIT_REACHED` (12). */
  static readonly RESULT_REDIRECT_LIMIT_REACHED = 12;
  /** {@link HTTPRequest.timeout} passed. Ports `RESULT_TIMEOUT` (13). */
  static readonly RESULT_TIMEOUT = 13;

  /**
   * Emitted inside `poll()` when a request ends: `(result, responseCode, headers, body)`.
   * `headers` are the response's `"Name: value"` lines (no status line); `body` is empty
   * when it went to {@link HTTPRequest.downloadFile}. Transport failures give code 0 and
   * no headers. Not emitted after {@link HTTPRequest.cancelRequest}. When it is emitted the
   * object is already idle, so a listener may call `request()` again.
   * Ports the `request_completed` signal.
   */
  readonly requestCompleted = new Signal<
    [result: number, responseCode: number, headers: string[], body: Uint8Array]
  >();

  /**
   * Sends `Accept-Encoding: gzip, deflate` (unless a custom header sets it) and decodes
   * gzip and deflate bodies. Default true. Ports `accept_gzip`. In browsers the browser
   * always negotiates and decodes compression itself, whatever this says.
   */
  acceptGzip = true;

  /**
   * The most redirects to follow; -1 means no limit. Default 8. Ports `max_redirects`.
   * In browsers, any value above 0 lets the browser follow up to its own limit (20).
   */
  maxRedirects = 8;

  /**
   * Seconds the whole request (redirects and body included) may take, measured on the
   * poll clock; 0 means no limit. Default 0. Read when `request()` is called.
   * Ports `timeout`.
   */
  timeout = 0;

  readonly #transport: Transport;
  readonly #now: Clock;
  readonly #queue = new StagingQueue();
  #bodySizeLimit = -1;
  #downloadChunkSize = 65536;
  #downloadFile = "";
  #tlsOptions: TLSOptions | null = null;
  #httpProxy: HttpProxy | null = null;
  #httpsProxy: HttpProxy | null = null;

  #exchange: HttpExchange | null = null;
  #requesting = false;
  #bodyRequested = false;
  #status: number = HTTPClient.STATUS_DISCONNECTED;
  #deadline = 0;
  #url: RequestUrl | null = null;
  #method = HTTPClient.METHOD_GET;
  #customHeaders: string[] = [];
  #body: Uint8Array = EMPTY;
  #redirections = 0;
  readonly #response = new ResponseProgress();

  /** Creates an idle request object, on the default network or the one in `options`. */
  constructor(options?: NetworkOptions) {
    const { transport, now } = resolveNetwork(options, this);
    this.#transport = transport;
    this.#now = now;
  }

  /**
   * The most body bytes (after decoding) to accept; -1 means no limit. A larger
   * `Content-Length` fails at the headers, a longer body with
   * `RESULT_BODY_SIZE_LIMIT_EXCEEDED` at the next poll after it passes the limit: the
   * limit is checked as the decoded bytes arrive, between polls, and nothing past it is
   * decoded or kept (a compressed "bomb" cannot fill memory while the game does not
   * poll). Default -1. Setting it while a request runs is ignored, as in Godot. Ports
   * `body_size_limit`.
   */
  get bodySizeLimit(): number {
    return this.#bodySizeLimit;
  }
  /** Sets the limit; ignored while a request runs or for a non-integer. */
  set bodySizeLimit(bytes: number) {
    if (this.#requesting || !Number.isInteger(bytes)) return;
    this.#bodySizeLimit = bytes;
  }

  /**
   * The size of the read buffer, in bytes (256–16777216; other values are ignored).
   * Default 65536. Setting it while a request runs is ignored. Ports
   * `download_chunk_size`. Deviation: gdnet reads the body as fast as it arrives; Godot
   * without threads reads one chunk per frame.
   */
  get downloadChunkSize(): number {
    return this.#downloadChunkSize;
  }
  /** Sets the read buffer size; ignored while a request runs or outside 256–16777216. */
  set downloadChunkSize(bytes: number) {
    if (this.#requesting || !Number.isInteger(bytes) || bytes < MIN_CHUNK_SIZE || bytes > MAX_CHUNK_SIZE)
      return;
    this.#downloadChunkSize = bytes;
  }

  /**
   * A file path to write the body to as it arrives (opened and truncated when the body
   * starts), so a large download never sits in memory; the signal's body is then empty.
   * `""` (default) keeps the body in memory. Setting it while a request runs is ignored.
   * Ports `download_file`. In browsers and on a `MemoryNetwork` there is no file system:
   * a request with a download file ends in `RESULT_DOWNLOAD_FILE_CANT_OPEN`.
   */
  get downloadFile(): string {
    return this.#downloadFile;
  }
  /** Sets the path; ignored while a request runs. */
  set downloadFile(path: string) {
    if (this.#requesting || typeof path !== "string") return;
    this.#downloadFile = path;
  }

  /**
   * Starts a request; `requestData` is sent as UTF-8. `customHeaders` are
   * `"Name: value"` lines as in Godot, or (gdnet addition) a plain object of names to
   * values, `{ "Content-Type": "application/json" }`, sent in key order. Returns OK,
   * `ERR_BUSY` while another request runs, or `ERR_INVALID_PARAMETER` for a URL that
   * does not start with `http://` or `https://`, a malformed URL, header line, header
   * name or value (a non-string value included), or an unknown method
   * (`METHOD_CONNECT` included). Right after OK the client status is `STATUS_RESOLVING`
   * (or `STATUS_CONNECTING` for an IP address); the outcome arrives through
   * {@link HTTPRequest.requestCompleted} in a later `poll()`. Ports `request`.
   */
  request(
    url: string,
    customHeaders: CustomHeaders = [],
    method: number = HTTPClient.METHOD_GET,
    requestData = "",
  ): ErrorCode {
    if (typeof requestData !== "string") throw new TypeError("request expects requestData as a string");
    return this.requestRaw(url, customHeaders, method, encoder.encode(requestData));
  }

  /**
   * {@link HTTPRequest.request} with a raw byte body; `customHeaders` as there (lines or
   * a plain object). Ports `request_raw`.
   */
  requestRaw(
    url: string,
    customHeaders: CustomHeaders = [],
    method: number = HTTPClient.METHOD_GET,
    requestDataRaw: Uint8Array = EMPTY,
  ): ErrorCode {
    if (!(requestDataRaw instanceof Uint8Array)) throw new TypeError("requestRaw expects a Uint8Array body");
    if (this.#requesting) return ErrorCode.ERR_BUSY;
    const headerLines = customHeaderLines(customHeaders);
    if (headerLines === null) return ErrorCode.ERR_INVALID_PARAMETER;
    if (!Number.isInteger(method) || method < 0 || method >= HTTPClient.METHOD_MAX) {
      return ErrorCode.ERR_INVALID_PARAMETER;
    }
    if (method === HTTPClient.METHOD_CONNECT) return ErrorCode.ERR_INVALID_PARAMETER;
    const parsed = parseRequestUrl(url);
    if (parsed === null) return ErrorCode.ERR_INVALID_PARAMETER;

    this.#response.reset();
    this.#url = parsed;
    this.#method = method;
    this.#customHeaders = headerLines;
    this.#body = requestDataRaw.slice();
    this.#redirections = 0;
    this.#requesting = true;
    this.#deadline = this.timeout > 0 ? this.#now() + this.timeout * 1000 : 0;
    this.#startHop();
    return ErrorCode.OK;
  }

  /**
   * Stops the request in progress, if any. Emits nothing; the client status becomes
   * `STATUS_DISCONNECTED`. A partly written download file is left as it is.
   * Ports `cancel_request`.
   */
  cancelRequest(): void {
    this.#stop();
  }

  /**
   * {@link HTTPRequest.cancelRequest}, so `using request = new HTTPRequest()` stops the
   * request at the end of the scope (TypeScript 5.2+ or a bundler; Node 20 itself does
   * not parse `using`). gdnet addition: Godot stops the request when the node is freed.
   */
  [Symbol.dispose](): void {
    this.#stop();
  }

  /**
   * Applies what happened since the last poll (connection progress, headers, body
   * bytes, completion or failure) and checks the timeout; emits
   * {@link HTTPRequest.requestCompleted} when the request ends. gdnet addition: Godot's
   * node does this in its internal process step each frame.
   */
  poll(): void {
    this.#queue.drain();
    // A platform may hand over a body that had already arrived as soon as it is asked
    // for (the memory network does): apply it in this same poll.
    if (this.#bodyRequested) {
      this.#bodyRequested = false;
      this.#queue.drain();
    }
    if (this.#requesting && this.#deadline > 0 && this.#now() >= this.#deadline) {
      this.#finish(HTTPRequest.RESULT_TIMEOUT, 0, [], EMPTY);
    }
  }

  /** The `HTTPClient.STATUS_*` of the current request, as of the last poll. Ports `get_http_client_status`. */
  getHttpClientStatus(): number {
    return this.#status;
  }

  /**
   * The body bytes received so far for the current response, as read off the wire
   * (before decompression), as of the last poll; kept after completion until the next
   * request. In browsers, the bytes the browser hands over (already decoded).
   * Ports `get_downloaded_bytes`.
   */
  getDownloadedBytes(): number {
    return this.#response.downloaded;
  }

  /** The response's `Content-Length`, or -1 when unknown or chunked. Ports `get_body_size`. */
  getBodySize(): number {
    return this.#response.bodySize;
  }

  /**
   * Sets the TLS options for `https://` requests: client options
   * (`TLSOptions.client(trustedChain, commonNameOverride)` or `TLSOptions.clientUnsafe()`).
   * Server options and `null` are rejected with `ERR_INVALID_PARAMETER` and change
   * nothing. The default is `TLSOptions.client()` (the platform's trust store). Ports
   * `set_tls_options` (which returns nothing). Ignored in browsers and on a `MemoryNetwork`.
   */
  setTlsOptions(clientOptions: TLSOptions | null): ErrorCode {
    if (!(clientOptions instanceof TLSOptions) || clientOptions.isServer())
      return ErrorCode.ERR_INVALID_PARAMETER;
    this.#tlsOptions = clientOptions;
    return ErrorCode.OK;
  }

  /**
   * Sends `http://` requests through a proxy at `host:port` (absolute-form request
   * target). An empty host or port -1 unsets it. Applies from the next request. Ports
   * `set_http_proxy`. Browsers use their own proxy settings and ignore this.
   */
  setHttpProxy(host: string, port: number): void {
    this.#httpProxy = proxyOf(host, port);
  }

  /**
   * Sends `https://` requests through a proxy at `host:port` (a `CONNECT` tunnel on
   * Node). An empty host or port -1 unsets it. Applies from the next request. Ports
   * `set_https_proxy`. Browsers use their own proxy settings and ignore this.
   */
  setHttpsProxy(host: string, port: number): void {
    this.#httpsProxy = proxyOf(host, port);
  }

  /** @internal Applies one staged event of the current exchange. */
  applyStagedEvent(kind: number, a: unknown, b: unknown): void {
    if (!this.#requesting) return;
    switch (kind) {
      case HTTP_CONNECTING:
        if (this.#status === HTTPClient.STATUS_RESOLVING) this.#status = HTTPClient.STATUS_CONNECTING;
        return;
      case HTTP_REQUESTING:
        this.#status = HTTPClient.STATUS_REQUESTING;
        return;
      case HTTP_HEADERS:
        this.#onHeaders(a as HttpResponseHead);
        return;
      case HTTP_BODY:
        this.#onBody(a as Uint8Array | number, b as number);
        return;
      case HTTP_DONE: {
        const response = this.#response;
        const body = this.#downloadFile === "" ? response.body() : EMPTY;
        this.#finish(HTTPRequest.RESULT_SUCCESS, response.code, response.headers, body);
        return;
      }
      case HTTP_FAILED: {
        const failure = a as HttpFailure;
        const withResponse = BODY_PHASE_FAILURES.has(failure);
        this.#finish(
          FAILURE_RESULTS[failure] ?? HTTPRequest.RESULT_CONNECTION_ERROR,
          withResponse ? this.#response.code : 0,
          withResponse ? this.#response.headers : [],
          EMPTY,
        );
        return;
      }
    }
  }

  #onHeaders(head: HttpResponseHead): void {
    const url = this.#url!;
    const hop = nextHop(head, url, this.#method, this.#customHeaders, this.#body);
    if (hop !== null) {
      if (this.maxRedirects >= 0 && this.#redirections >= this.maxRedirects) {
        this.#finish(HTTPRequest.RESULT_REDIRECT_LIMIT_REACHED, head.status, head.headers, EMPTY);
        return;
      }
      this.#redirections++;
      this.#url = hop.url;
      this.#method = hop.method;
      this.#customHeaders = hop.headers;
      this.#body = hop.body;
      this.#closeExchange();
      this.#response.reset();
      this.#startHop();
      return;
    }
    this.#status = HTTPClient.STATUS_BODY;
    this.#response.code = head.status;
    this.#response.headers = head.headers;
    // As in Godot, a response without a body completes before its length is recorded.
    if (this.#method === HTTPClient.METHOD_HEAD || head.contentLength === 0 || hasNoBody(head.status)) {
      this.#finish(HTTPRequest.RESULT_SUCCESS, head.status, head.headers, EMPTY);
      return;
    }
    this.#response.bodySize = head.contentLength;
    if (this.#bodySizeLimit >= 0 && head.contentLength > this.#bodySizeLimit) {
      this.#finish(HTTPRequest.RESULT_BODY_SIZE_LIMIT_EXCEEDED, head.status, head.headers, EMPTY);
      return;
    }
    this.#bodyRequested = true;
    this.#exchange!.receiveBody();
  }

  #onBody(decoded: Uint8Array | number, raw: number): void {
    const response = this.#response;
    response.add(decoded, raw);
    if (this.#bodySizeLimit >= 0 && response.decoded > this.#bodySizeLimit) {
      this.#finish(HTTPRequest.RESULT_BODY_SIZE_LIMIT_EXCEEDED, response.code, response.headers, EMPTY);
    }
  }

  /** Starts the exchange for the current URL (the first hop or a redirect). */
  #startHop(): void {
    const url = this.#url!;
    const headers = [...this.#customHeaders];
    if (this.acceptGzip && !hasHeader(headers, "accept-encoding"))
      headers.push("Accept-Encoding: gzip, deflate");
    const proxy = url.scheme === "https" ? this.#httpsProxy : this.#httpProxy;
    this.#status = isIpAddress(proxy?.host ?? url.host)
      ? HTTPClient.STATUS_CONNECTING
      : HTTPClient.STATUS_RESOLVING;
    this.#exchange = this.#transport.http.start(
      {
        method: METHOD_NAMES[this.#method]!,
        scheme: url.scheme,
        host: url.host,
        port: url.port,
        target: url.target,
        headers: composeRequestHeaders(url.hostHeader, headers, this.#body.byteLength),
        body: this.#body,
        tls: url.scheme === "https" ? this.#tlsOptions : null,
        decompress: this.acceptGzip,
        downloadFile: this.#downloadFile,
        chunkSize: this.#downloadChunkSize,
        bodySizeLimit: this.#bodySizeLimit,
        proxy,
        followRedirects: this.maxRedirects !== 0,
      },
      this.#queue,
      this,
    );
  }

  /** Ends the request: idle first, then the signal (so a listener may start another). */
  #finish(result: number, code: number, headers: string[], body: Uint8Array): void {
    this.#stop();
    this.requestCompleted.emit(result, code, headers, body);
  }

  /** Goes idle without a signal. */
  #stop(): void {
    this.#closeExchange();
    this.#requesting = false;
    this.#deadline = 0;
    this.#status = HTTPClient.STATUS_DISCONNECTED;
    this.#response.release();
  }

  #closeExchange(): void {
    if (this.#exchange !== null) {
      this.#exchange.abort();
      this.#exchange = null;
    }
    this.#queue.discard(this);
  }
}

function proxyOf(host: string, port: number): HttpProxy | null {
  if (typeof host !== "string" || host === "" || !Number.isInteger(port) || port < 1 || port > 65535)
    return null;
  return { host: host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host, port };
}

let resultNames: string[] | null = null;

/**
 * The name of an `HTTPRequest.RESULT_*` code, for logs: `resultName(13)` is
 * `"RESULT_TIMEOUT"`; an unknown code gives `"RESULT_UNKNOWN(<code>)"`. gdnet addition,
 * beside `errorName` for `ErrorCode`: Godot has only the `Result` enum's names.
 */
export function resultName(result: number): string {
  if (resultNames === null) {
    resultNames = [];
    for (const name of Object.getOwnPropertyNames(HTTPRequest)) {
      if (!name.startsWith("RESULT_")) continue;
      resultNames[(HTTPRequest as unknown as Record<string, number>)[name]!] = name;
    }
  }
  return (Number.isInteger(result) ? resultNames[result] : undefined) ?? `RESULT_UNKNOWN(${result})`;
}
