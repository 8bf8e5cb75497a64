import type { DrainListener, StagedEventTarget, StagingQueue } from "../../core/StagingQueue.js";
import { headerValue } from "../../http/headers.js";
import { isIpAddress } from "../../http/url.js";
import {
  HTTP_CONNECTING,
  HTTP_DONE,
  HTTP_HEADERS,
  HTTP_REQUESTING,
  type HttpExchange,
  type HttpExchangeRequest,
  type HttpResponseHead,
  type HttpTransport,
} from "../http.js";
import { StagedHttpExchange } from "../http-exchange.js";
import { decodeBody, TOO_LARGE } from "./content-encoding.js";
import type { NetworkHost } from "./host.js";
import { type HttpFraming, type HttpRequestMessage, MemoryHttpServer } from "./http-server.js";
import type { LinkReceiver, MemoryLink } from "./link.js";

/*
 * The HTTP client of a MemoryNetwork host. A request reaches the handler registered
 * with serveHttp on the target host and port, over a MemoryLink (latency, bandwidth,
 * partitions, resets). There is no TLS and no file system here: `https` is served like
 * `http`, TLS options are ignored, and a download file cannot be opened.
 */

const EMPTY = new Uint8Array(0);
/** Stands for the server's FIN or a reset that arrived before the owner asked for the body. */
const END_MARK = Symbol("end");
const RESET_MARK = Symbol("reset");

class MemoryHttpExchange extends StagedHttpExchange implements LinkReceiver, DrainListener {
  readonly #request: HttpExchangeRequest;
  #link: MemoryLink | null = null;
  #framing: HttpFraming | null = null;
  #contentLength = -1;
  #encoding: "gzip" | "deflate" | null = null;
  #received = 0;
  #compressed: Uint8Array[] = [];
  #held: unknown[] | null = [];
  /** A drain of the owner's queue is awaited to open the link's receive window. */
  #awaitingDrain = false;

  constructor(request: HttpExchangeRequest, queue: StagingQueue, target: StagedEventTarget) {
    super(queue, target, request.bodySizeLimit);
    this.#request = request;
  }

  /**
   * @internal Nothing to do: the link's receive window already bounds what arrives
   * between two polls of the owner (see `drained`).
   */
  holdForDrain(_held: boolean): void {}

  /**
   * @internal The owner polled and applied everything delivered so far: the link's
   * receive window opens again. Until then the server's response waits on its side, as
   * with a TCP peer that stops reading, so an owner that does not poll holds at most one
   * window (4 MiB) of body.
   */
  drained(): void {
    this.#awaitingDrain = false;
    const link = this.#link;
    if (link !== null && !this.released) link.consumed(link.client, Number.MAX_SAFE_INTEGER);
  }

  /** @internal The link is up: send the request. */
  connected(link: MemoryLink): void {
    this.#link = link;
    link.client.flowControlled = true;
    link.attach(link.client, this);
    this.stage(HTTP_REQUESTING);
    const request = this.#request;
    const target =
      request.proxy === null
        ? request.target
        : `${request.scheme}://${formatHost(request.host)}:${request.port}${request.target}`;
    const message: HttpRequestMessage = {
      kind: "request",
      method: request.method,
      target,
      headers: [...request.headers],
      body: request.body.slice(),
    };
    const size =
      request.method.length +
      target.length +
      12 +
      request.headers.reduce((sum, line) => sum + line.length + 2, 0) +
      request.body.byteLength;
    link.send(link.client, message, size);
  }

  receiveBody(): void {
    if (this.released || this.#framing === null || this.#held === null) return;
    if (this.#request.downloadFile !== "") {
      this.fail("file-open", "the memory network has no file system");
      return;
    }
    const held = this.#held;
    this.#held = null;
    if (this.#framing === "none" || (this.#framing === "length" && this.#contentLength === 0)) {
      this.#complete();
      return;
    }
    for (const item of held) {
      if (this.released) return;
      if (item === END_MARK) this.receiveEnd();
      else if (item === RESET_MARK) this.receiveReset();
      else this.receive(item);
    }
  }

  abort(): void {
    this.#release(true);
  }

  receive(payload: unknown): void {
    if (this.released) return;
    if (!this.#awaitingDrain) {
      this.#awaitingDrain = true;
      this.owner!.queue.afterNextDrain(this);
    }
    const message = payload as { kind?: string };
    if (this.#framing === null) {
      if (message.kind !== "head") {
        this.fail("connection", "the server did not answer with HTTP");
        return;
      }
      this.#receiveHead(
        payload as { status: number; headers: string[]; contentLength: number; framing: HttpFraming },
      );
      return;
    }
    if (this.#held !== null) {
      this.#held.push(payload);
      return;
    }
    if (message.kind === "data") this.#receiveData((payload as { bytes: Uint8Array }).bytes);
    else if (message.kind === "last" && this.#framing === "chunked") this.#complete();
  }

  receiveEnd(): void {
    if (this.released) return;
    if (this.#held !== null && this.#framing !== null) {
      this.#held.push(END_MARK);
      return;
    }
    if (this.#framing === "close") this.#complete();
    else if (this.#framing === null)
      this.fail("connection", "the server closed the connection without a response");
    else this.fail("connection", "the connection closed before the end of the body");
  }

  receiveReset(): void {
    if (this.released) return;
    if (this.#held !== null && this.#framing !== null) {
      this.#held.push(RESET_MARK);
      return;
    }
    this.fail("connection", "connection reset by peer");
  }

  #receiveHead(head: {
    status: number;
    headers: string[];
    contentLength: number;
    framing: HttpFraming;
  }): void {
    const method = this.#request.method;
    this.#framing = method === "HEAD" ? "none" : head.framing;
    this.#contentLength = head.contentLength;
    if (this.#request.decompress) {
      const encoding = headerValue(head.headers, "content-encoding")?.toLowerCase() ?? "";
      this.#encoding =
        encoding === "gzip" || encoding === "x-gzip" ? "gzip" : encoding === "deflate" ? "deflate" : null;
    }
    const reported: HttpResponseHead = {
      status: head.status,
      headers: [...head.headers],
      contentLength: head.framing === "length" ? head.contentLength : -1,
    };
    this.stage(HTTP_HEADERS, reported);
  }

  #receiveData(bytes: Uint8Array): void {
    let chunk = bytes;
    if (this.#framing === "length") {
      const room = this.#contentLength - this.#received;
      if (room <= 0) return;
      if (chunk.byteLength > room) chunk = chunk.subarray(0, room);
    }
    this.#received += chunk.byteLength;
    if (this.#encoding !== null) {
      this.#compressed.push(chunk);
      this.stageBody(EMPTY, chunk.byteLength);
    } else {
      this.stageBody(chunk, chunk.byteLength);
    }
    if (this.released) return;
    if (this.#framing === "length" && this.#received >= this.#contentLength) this.#complete();
  }

  #complete(): void {
    if (this.#encoding !== null) {
      const limit = this.#request.bodySizeLimit;
      const decoded = decodeBody(concat(this.#compressed), this.#encoding, limit);
      this.#compressed = [];
      if (decoded === TOO_LARGE) {
        this.fail("body-size-limit", `the decoded body passes ${limit} bytes`);
        return;
      }
      if (decoded === null) {
        this.fail("decompress", `corrupt ${this.#encoding} body`);
        return;
      }
      if (!this.stageBody(decoded, 0) && this.released) return;
    }
    this.stage(HTTP_DONE);
    this.#release(false);
  }

  #release(abortive: boolean): void {
    if (this.released) return;
    this.silence();
    this.#held = null;
    this.#compressed = [];
    const link = this.#link;
    this.#link = null;
    if (link === null) return;
    // An aborted exchange whose response is not over resets, as closing a socket with
    // unread data does; a finished one closes in order.
    if (abortive && !link.client.ended) link.reset();
    else link.end(link.client);
  }
}

/** The HTTP capability of one host of a {@link MemoryNetwork}. */
class MemoryHttpTransport implements HttpTransport {
  constructor(readonly host: NetworkHost) {}

  start(request: HttpExchangeRequest, queue: StagingQueue, target: StagedEventTarget): HttpExchange {
    const exchange = new MemoryHttpExchange(request, queue, target);
    const from = this.host;
    const network = from.network;
    const serverName = request.proxy?.host ?? request.host;
    const port = request.proxy?.port ?? request.port;
    const to = network.resolve(from, serverName);
    if (to === undefined) {
      exchange.fail("unresolved", `${serverName} does not resolve`);
      return exchange;
    }
    // An address that no host has swallows the attempt: only the timeout ends it.
    if (to === null) return exchange;
    if (!isIpAddress(serverName)) exchange.stage(HTTP_CONNECTING);
    const there = network.now() + network.linkConditions(from, to).latency;
    network.deliver(from, to, there, () => {
      if (exchange.released) return;
      const listener = to.listeners.get(port);
      const back = network.now() + network.linkConditions(to, from).latency;
      if (listener === undefined || to.refusedPorts.has(port)) {
        network.deliver(to, from, back, () => exchange.fail("refused", "connection refused"));
        return;
      }
      if (!(listener instanceof MemoryHttpServer)) {
        network.deliver(to, from, back, () =>
          exchange.fail("connection", `nothing serves HTTP on ${to.address}:${port}`),
        );
        return;
      }
      const link = network.createLink(from, from.allocatePort(), to, port);
      listener.accept(link, link.server);
      network.deliver(to, from, back, () => {
        if (exchange.released) link.end(link.client);
        else exchange.connected(link);
      });
    });
    return exchange;
  }
}

/** The HTTP capability of the memory transport, for one host. */
export function createMemoryHttpTransport(host: NetworkHost): HttpTransport {
  return new MemoryHttpTransport(host);
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let length = 0;
  for (const part of parts) length += part.byteLength;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

function formatHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}
