import { headerValue } from "../../http/headers.js";
import type { NetworkHost } from "./host.js";
import type { LinkEnd, LinkReceiver, MemoryLink } from "./link.js";

/*
 * HTTP served by a handler function on a MemoryNetwork host. Requests and responses
 * cross a MemoryLink as message objects (no HTTP bytes), so latency, bandwidth,
 * partitions, resets and silent drops apply to them as to any connection.
 */

/** The request message a memory HTTP client sends. @internal */
export interface HttpRequestMessage {
  readonly kind: "request";
  readonly method: string;
  readonly target: string;
  readonly headers: readonly string[];
  readonly body: Uint8Array;
}

/** How a response body is delimited on the wire. @internal */
export type HttpFraming = "length" | "chunked" | "close" | "none";

/** Response messages. @internal */
export type HttpResponseMessage =
  | {
      readonly kind: "head";
      readonly status: number;
      readonly headers: string[];
      readonly contentLength: number;
      readonly framing: HttpFraming;
    }
  | { readonly kind: "data"; readonly bytes: Uint8Array }
  | { readonly kind: "last" };

/** A request as a {@link MemoryHttpHandler} receives it. */
export interface MemoryHttpRequest {
  /** The method, upper case (`"GET"`, `"POST"`, …). */
  readonly method: string;
  /** The request target: path and query (`/scores?top=10`), or an absolute URL when sent to a proxy. */
  readonly target: string;
  /** The header lines as the client sent them, `"Name: value"`. */
  readonly headers: readonly string[];
  /** The request body (empty when none). */
  readonly body: Uint8Array;
  /** The client's host address. */
  readonly remoteAddress: string;
  /** The value of the first header named `name` (case-insensitive), or `null`. */
  header(name: string): string | null;
}

/**
 * Answers one request; called when the request reaches the server (after the link's
 * latency). It may answer at once or keep `response` and answer later (or never, to
 * simulate a server that does not answer).
 */
export type MemoryHttpHandler = (request: MemoryHttpRequest, response: MemoryHttpResponse) => void;

const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();

/**
 * The response to one request on a {@link MemoryNetwork}, shaped like node:http's
 * `ServerResponse`: `writeHead`, then `write` any number of times, then `end`.
 *
 * Framing follows node:http: a `Content-Length` header in `writeHead` fixes the body's
 * length (ending short of it truncates the response, which the client reports as a
 * connection error); `end(body)` with nothing written before adds `Content-Length`;
 * a `Connection: close` header without a length delimits the body by closing the
 * connection; otherwise the body is chunked (`Transfer-Encoding: chunked` is added).
 * The connection closes after each response.
 */
export class MemoryHttpResponse {
  readonly #link: MemoryLink;
  readonly #end: LinkEnd;
  readonly #bodyless: boolean;
  #status = 200;
  #headers: string[] = [];
  #headSent = false;
  #framing: HttpFraming = "chunked";
  #finished = false;

  /** @internal */
  constructor(link: MemoryLink, end: LinkEnd, method: string) {
    this.#link = link;
    this.#end = end;
    this.#bodyless = method === "HEAD";
  }

  /** Whether `end()` or `destroy()` was called. */
  get finished(): boolean {
    return this.#finished;
  }

  /** Sets the status code and header lines (`"Name: value"`, sent as given). */
  writeHead(status: number, headers: readonly string[] = []): this {
    if (!this.#headSent && !this.#finished) {
      this.#status = status;
      this.#headers = [...headers];
    }
    return this;
  }

  /** Sends part of the body (sending the head first if needed). */
  write(chunk: Uint8Array | string): void {
    if (this.#finished) return;
    if (!this.#headSent) this.#sendHead(-1);
    this.#sendData(toBytes(chunk));
  }

  /** Sends the last part of the body, if any, and ends the response. */
  end(chunk?: Uint8Array | string): void {
    if (this.#finished) return;
    const last = chunk === undefined ? EMPTY : toBytes(chunk);
    if (!this.#headSent) this.#sendHead(last.byteLength);
    this.#sendData(last);
    this.#finished = true;
    if (this.#framing === "chunked" && !this.#bodyless) this.#link.send(this.#end, LAST, 5);
    this.#link.end(this.#end);
  }

  /** Resets the connection (TCP RST) instead of answering, or in the middle of the body. */
  destroy(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#link.reset();
  }

  /** Decides the framing from the headers, as node:http does, and sends the head. */
  #sendHead(wholeBodyLength: number): void {
    this.#headSent = true;
    const headers = this.#headers;
    const status = this.#status;
    let contentLength = -1;
    const lengthHeader = headerValue(headers, "content-length");
    const transferEncoding = headerValue(headers, "transfer-encoding");
    if (status === 204 || status === 304 || (status >= 100 && status < 200)) {
      this.#framing = "none";
    } else if (transferEncoding !== null && /chunked/i.test(transferEncoding)) {
      this.#framing = "chunked";
    } else if (lengthHeader !== null && /^\d+$/.test(lengthHeader.trim())) {
      this.#framing = "length";
      contentLength = Number(lengthHeader.trim());
    } else if (wholeBodyLength >= 0) {
      this.#framing = "length";
      contentLength = wholeBodyLength;
      headers.push(`Content-Length: ${wholeBodyLength}`);
    } else if (/^close$/i.test(headerValue(headers, "connection")?.trim() ?? "")) {
      this.#framing = "close";
    } else {
      this.#framing = "chunked";
      headers.push("Transfer-Encoding: chunked");
    }
    const size = 17 + headers.reduce((sum, line) => sum + line.length + 2, 0);
    const head: HttpResponseMessage = {
      kind: "head",
      status,
      headers,
      contentLength,
      framing: this.#bodyless ? "none" : this.#framing,
    };
    this.#link.send(this.#end, head, size);
  }

  #sendData(bytes: Uint8Array): void {
    if (bytes.byteLength === 0 || this.#bodyless || this.#framing === "none") return;
    const message: HttpResponseMessage = { kind: "data", bytes: bytes.slice() };
    this.#link.send(this.#end, message, bytes.byteLength);
  }
}

const LAST: HttpResponseMessage = { kind: "last" };

/** The server side of one memory HTTP connection: waits for the request, then calls the handler. */
class MemoryHttpServerConnection implements LinkReceiver {
  #answered = false;

  constructor(
    readonly server: MemoryHttpServer,
    readonly link: MemoryLink,
    readonly end: LinkEnd,
  ) {}

  receive(payload: unknown): void {
    if (this.#answered) return;
    this.#answered = true;
    if (!isRequestMessage(payload) || !this.server.isOpen) {
      // Not a memory HTTP client (raw TCP bytes, say): nothing here speaks that.
      this.link.reset();
      return;
    }
    const response = new MemoryHttpResponse(this.link, this.end, payload.method);
    const request: MemoryHttpRequest = {
      method: payload.method,
      target: payload.target,
      headers: payload.headers,
      body: payload.body,
      remoteAddress: this.link.peerOf(this.end).address,
      header: (name: string) => headerValue(payload.headers, name),
    };
    try {
      this.server.handler(request, response);
    } catch (error) {
      response.destroy();
      throw error;
    }
  }

  receiveEnd(): void {
    if (!this.#answered) this.link.end(this.end);
  }

  receiveReset(): void {}
}

/**
 * An HTTP handler serving a port of a {@link MemoryHost}; made by
 * {@link MemoryHost.serveHttp} or {@link MemoryNetwork.serveHttp}.
 */
export class MemoryHttpServer {
  #open = true;

  /** @internal */
  constructor(
    /** @internal The host served. */
    readonly host: NetworkHost,
    /** The port served. */
    readonly port: number,
    /** @internal */
    readonly handler: MemoryHttpHandler,
  ) {}

  /** Whether the server still serves its port. */
  get isOpen(): boolean {
    return this.#open;
  }

  /** @internal */
  accept(link: MemoryLink, end: LinkEnd): void {
    link.attach(end, new MemoryHttpServerConnection(this, link, end));
  }

  /** Stops serving: new requests to the port are refused. Responses in progress continue. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    if (this.host.listeners.get(this.port) === this) this.host.listeners.delete(this.port);
  }
}

/**
 * Registers `handler` for `port` on `host` (0 picks a free port). Throws if the port is
 * taken: this is test set-up, where a clash is a mistake to see at once.
 * @internal
 */
export function serveMemoryHttp(
  host: NetworkHost,
  port: number,
  handler: MemoryHttpHandler,
): MemoryHttpServer {
  if (typeof handler !== "function") throw new TypeError("serveHttp expects a handler function");
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`serveHttp: invalid port ${port}`);
  }
  if (port !== 0 && host.listeners.has(port)) {
    throw new Error(`serveHttp: port ${port} of ${host.address} is already in use`);
  }
  const bound = port === 0 ? host.allocatePort() : port;
  const server = new MemoryHttpServer(host, bound, handler);
  host.listeners.set(bound, server);
  return server;
}

function isRequestMessage(payload: unknown): payload is HttpRequestMessage {
  return (
    typeof payload === "object" && payload !== null && (payload as { kind?: unknown }).kind === "request"
  );
}

function toBytes(chunk: Uint8Array | string): Uint8Array {
  if (typeof chunk === "string") return encoder.encode(chunk);
  if (chunk instanceof Uint8Array) return chunk;
  throw new TypeError("expected a Uint8Array or a string");
}
