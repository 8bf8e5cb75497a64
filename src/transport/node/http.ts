import http from "node:http";
import https from "node:https";
import type net from "node:net";
import tls from "node:tls";
import type { StagedEventTarget, StagingQueue } from "../../core/StagingQueue.js";
import { hasHeader, headerValue } from "../../http/headers.js";
import {
  HTTP_CONNECTING,
  HTTP_HEADERS,
  HTTP_REQUESTING,
  type HttpExchange,
  type HttpExchangeRequest,
  type HttpFailure,
  type HttpResponseHead,
  type HttpTransport,
} from "../http.js";
import { StagedHttpExchange } from "../http-exchange.js";
import { ResponseBodyReader } from "./http-body.js";

/*
 * node:http and node:https behind the HTTP transport interface: one exchange is one
 * request on its own connection (no agent, so no keep-alive pool outlives it), with no
 * redirect handling (HTTPRequest runs the redirect loop). Listeners are module-level
 * functions that find their exchange through a symbol on the emitter.
 */

const EXCHANGE = Symbol("gdnet.httpExchange");

/**
 * The largest response head (status line and headers) read, in bytes: node:http's own
 * default, set here so that it is written down. A larger one fails the exchange
 * (`connection`) without being read; Godot reads a head of any size.
 */
export const MAX_RESPONSE_HEAD_BYTES = 16 * 1024;

type Tagged<T> = T & { [EXCHANGE]?: NodeHttpExchange };

/** One request and its response on node:http(s). */
export class NodeHttpExchange extends StagedHttpExchange {
  readonly request: HttpExchangeRequest;
  #clientRequest: http.ClientRequest | null = null;
  #tunnelRequest: http.ClientRequest | null = null;
  #response: http.IncomingMessage | null = null;
  #body: ResponseBodyReader | null = null;
  /** The TCP connection (to the server or the proxy) is up. */
  tcpConnected = false;
  /** The TLS handshake with the server is done. */
  secured = false;

  constructor(request: HttpExchangeRequest, queue: StagingQueue, target: StagedEventTarget) {
    super(queue, target, request.bodySizeLimit);
    this.request = request;
  }

  /** @internal The staging budget holds the body until the owner's next poll, or lets it flow. */
  holdForDrain(_held: boolean): void {
    this.#body?.updateFlow();
  }

  /** @internal Body bytes waiting inside node:http and zlib (not yet staged). */
  get bufferedBodyBytes(): number {
    return this.#body?.bufferedBytes ?? 0;
  }

  /**
   * @internal Whether the whole response (as its framing says) has been parsed. Bytes
   * after it are not part of it: Godot 4 reads `Content-Length` bytes and succeeds.
   */
  get responseComplete(): boolean {
    return this.#response?.complete ?? false;
  }

  /** Releases the exchange after its body is complete. */
  finished(): void {
    this.silence();
    this.#clientRequest?.destroy();
    this.#clientRequest = null;
    this.#response = null;
    this.#body = null;
  }

  /** Sends the request, directly or through the HTTP proxy; the CONNECT tunnel starts elsewhere. */
  send(socket?: net.Socket): void {
    const request = this.request;
    const viaHttpProxy = request.proxy !== null && request.scheme === "http";
    const options: https.RequestOptions = {
      host: viaHttpProxy ? request.proxy!.host : request.host,
      port: viaHttpProxy ? request.proxy!.port : request.port,
      method: request.method,
      path: viaHttpProxy ? `http://${hostPort(request.host, request.port)}${request.target}` : request.target,
      headers: toRawHeaders(withEmptyBodyLength(request)),
      setHost: false,
      maxHeaderSize: MAX_RESPONSE_HEAD_BYTES,
      // No shared agent: the connection lives and dies with this exchange. Inside a
      // CONNECT tunnel, createConnection (set below) hands over the tunnel instead.
      agent: socket === undefined ? false : undefined,
    };
    if (request.scheme === "https") Object.assign(options, tlsOptionsFor(request, socket));
    let clientRequest: http.ClientRequest;
    try {
      clientRequest = request.scheme === "https" ? https.request(options) : http.request(options);
    } catch (error) {
      this.fail("request", (error as Error).message);
      return;
    }
    this.#clientRequest = clientRequest;
    (clientRequest as Tagged<http.ClientRequest>)[EXCHANGE] = this;
    clientRequest.on("socket", onRequestSocket);
    clientRequest.on("response", onRequestResponse);
    clientRequest.on("error", onRequestError);
    if (socket !== undefined) this.tcpConnected = true;
    clientRequest.end(request.body.byteLength > 0 ? request.body : undefined);
  }

  /** Opens a CONNECT tunnel through the HTTPS proxy, then sends the request inside it. */
  tunnel(): void {
    const request = this.request;
    const authority = hostPort(request.host, request.port);
    const connect = http.request({
      host: request.proxy!.host,
      port: request.proxy!.port,
      method: "CONNECT",
      path: authority,
      headers: ["Host", authority],
      setHost: false,
      agent: false,
    });
    this.#tunnelRequest = connect;
    (connect as Tagged<http.ClientRequest>)[EXCHANGE] = this;
    connect.on("socket", onRequestSocket);
    connect.on("connect", onTunnelConnect);
    connect.on("error", onRequestError);
    connect.end();
  }

  /** @internal The tunnel answered. */
  tunnelAnswered(response: http.IncomingMessage, socket: net.Socket): void {
    this.#tunnelRequest = null;
    if (response.statusCode !== 200) {
      socket.destroy();
      this.fail("refused", `the proxy answered CONNECT with ${response.statusCode}`);
      return;
    }
    this.send(socket);
  }

  /** @internal The response's status line and headers arrived. */
  responded(response: http.IncomingMessage): void {
    this.#response = response;
    (response as Tagged<http.IncomingMessage>)[EXCHANGE] = this;
    response.on("error", onResponseError);
    response.on("aborted", onResponseAborted);
    const head: HttpResponseHead = {
      status: response.statusCode ?? 0,
      headers: headerLines(response.rawHeaders),
      contentLength: contentLengthOf(response),
    };
    this.stage(HTTP_HEADERS, head);
  }

  receiveBody(): void {
    const response = this.#response;
    if (this.released || response === null || this.#body !== null) return;
    const request = this.request;
    const encoding = request.decompress ? (response.headers["content-encoding"] ?? "") : "";
    this.#body = new ResponseBodyReader(this, response, encoding.trim().toLowerCase());
  }

  abort(): void {
    this.silence();
    this.#body?.destroy();
    this.#body = null;
    this.#response?.destroy();
    this.#response = null;
    this.#tunnelRequest?.destroy();
    this.#tunnelRequest = null;
    this.#clientRequest?.destroy();
    this.#clientRequest = null;
  }
}

function onRequestSocket(this: Tagged<http.ClientRequest>, socket: net.Socket): void {
  const exchange = this[EXCHANGE];
  if (exchange === undefined) return;
  (socket as Tagged<net.Socket>)[EXCHANGE] = exchange;
  socket.once("lookup", onSocketLookup);
  if (exchange.tcpConnected) {
    // Inside a CONNECT tunnel: the TCP part is done; only TLS remains.
    socket.once("secureConnect", onSocketSecureConnect);
    return;
  }
  socket.once("connect", onSocketConnect);
  if (exchange.request.scheme === "https" && exchange.request.proxy === null) {
    socket.once("secureConnect", onSocketSecureConnect);
  }
}

function onSocketLookup(this: Tagged<net.Socket>, error: Error | null): void {
  if (error === null) this[EXCHANGE]?.stage(HTTP_CONNECTING);
}

function onSocketConnect(this: Tagged<net.Socket>): void {
  const exchange = this[EXCHANGE];
  if (exchange === undefined || exchange.tcpConnected) return;
  exchange.tcpConnected = true;
  if (exchange.request.scheme === "http") exchange.stage(HTTP_REQUESTING);
}

function onSocketSecureConnect(this: Tagged<net.Socket>): void {
  const exchange = this[EXCHANGE];
  if (exchange === undefined) return;
  exchange.secured = true;
  exchange.stage(HTTP_REQUESTING);
}

function onTunnelConnect(
  this: Tagged<http.ClientRequest>,
  response: http.IncomingMessage,
  socket: net.Socket,
): void {
  const exchange = this[EXCHANGE];
  if (exchange === undefined || exchange.released) {
    socket.destroy();
    return;
  }
  exchange.tunnelAnswered(response, socket);
}

function onRequestResponse(this: Tagged<http.ClientRequest>, response: http.IncomingMessage): void {
  const exchange = this[EXCHANGE];
  if (exchange === undefined || exchange.released) {
    response.destroy();
    return;
  }
  exchange.responded(response);
}

function onRequestError(this: Tagged<http.ClientRequest>, error: NodeJS.ErrnoException): void {
  const exchange = this[EXCHANGE];
  // A server that sends more than its Content-Length makes node:http fail on the extra
  // bytes after the response is complete; the response itself is whole.
  if (exchange === undefined || exchange.responseComplete) return;
  exchange.fail(classifyRequestError(exchange, error), error.message);
}

function onResponseError(this: Tagged<http.IncomingMessage>, error: Error): void {
  this[EXCHANGE]?.fail("connection", error.message);
}

function onResponseAborted(this: Tagged<http.IncomingMessage>): void {
  this[EXCHANGE]?.fail("connection", "the connection closed before the end of the body");
}

/** Maps an error of the request to a failure kind by how far the exchange had got. */
export function classifyRequestError(exchange: NodeHttpExchange, error: NodeJS.ErrnoException): HttpFailure {
  const code = error.code ?? "";
  if (!exchange.tcpConnected) {
    if (code === "ENOTFOUND" || code.startsWith("EAI_") || error.syscall === "getaddrinfo")
      return "unresolved";
    return "refused";
  }
  if (exchange.request.scheme === "https" && !exchange.secured) return "tls";
  return "connection";
}

/** The TLS settings of `request` as node:tls options. */
function tlsOptionsFor(request: HttpExchangeRequest, socket: net.Socket | undefined): https.RequestOptions {
  const options: tls.ConnectionOptions = {};
  const settings = request.tls;
  if (settings !== null) {
    const chain = settings.getTrustedCaChain();
    if (chain !== null && chain !== "") options.ca = chain;
    if (settings.isUnsafeClient()) {
      options.rejectUnauthorized = false;
    } else {
      const name = settings.getCommonNameOverride();
      if (name !== "") {
        if (!isIp(name)) options.servername = name;
        options.checkServerIdentity = (_host, certificate) => tls.checkServerIdentity(name, certificate);
      }
    }
  }
  if (socket === undefined) return options as https.RequestOptions;
  // Inside a CONNECT tunnel: run TLS over the tunnel's socket.
  const overTunnel: tls.ConnectionOptions = {
    ...options,
    socket,
    host: request.host,
    servername: options.servername ?? sniName(request.host),
  };
  return { ...(options as https.RequestOptions), createConnection: () => tls.connect(overTunnel) };
}

function sniName(host: string): string | undefined {
  return isIp(host) ? undefined : host;
}

function isIp(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(":");
}

function hostPort(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/**
 * node:http chunks a request without `Content-Length` whose method usually has a body
 * (an empty POST would go out as `Transfer-Encoding: chunked` and a zero chunk);
 * `Content-Length: 0` says the same plainly, as browsers do.
 */
function withEmptyBodyLength(request: HttpExchangeRequest): readonly string[] {
  if (request.body.byteLength > 0 || BODYLESS_METHODS.has(request.method)) return request.headers;
  if (hasHeader(request.headers, "content-length") || hasHeader(request.headers, "transfer-encoding")) {
    return request.headers;
  }
  return [...request.headers, "Content-Length: 0"];
}

const BODYLESS_METHODS = new Set(["GET", "HEAD", "DELETE", "OPTIONS", "TRACE", "CONNECT"]);

/** `["Name: value", …]` as node:http's flat raw header array, names and order kept. */
function toRawHeaders(lines: readonly string[]): string[] {
  const raw: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(":");
    raw.push(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return raw;
}

/** node:http's raw header array as `"Name: value"` lines, case and duplicates kept. */
function headerLines(raw: string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) lines.push(`${raw[i]}: ${raw[i + 1]}`);
  return lines;
}

function contentLengthOf(response: http.IncomingMessage): number {
  const lines = headerLines(response.rawHeaders);
  const transferEncoding = headerValue(lines, "transfer-encoding");
  if (transferEncoding !== null && /chunked/i.test(transferEncoding)) return -1;
  const length = headerValue(lines, "content-length");
  return length !== null && /^\d+$/.test(length) ? Number(length) : -1;
}

/** node:http(s) as the HTTP capability. */
export function createNodeHttpTransport(): HttpTransport {
  return {
    start(request: HttpExchangeRequest, queue: StagingQueue, target: StagedEventTarget): HttpExchange {
      const exchange = new NodeHttpExchange(request, queue, target);
      if (request.proxy !== null && request.scheme === "https") exchange.tunnel();
      else exchange.send();
      return exchange;
    },
  };
}
