import type { StagedEventTarget, StagingQueue } from "../core/StagingQueue.js";
import type { TLSOptions } from "../TLSOptions.js";

/*
 * The HTTP part of the transport interface. A platform (node:http, fetch, the in-memory
 * network) runs one exchange: one request and its response, one hop. HTTPRequest runs
 * the redirect loop, the timeout, the size limit and the result codes above it. Every
 * event is staged into the owner's StagingQueue and applied by the owner's poll().
 *
 * Between two polls of the owner, what an exchange stages is bounded twice: by the
 * request's body size limit, checked on decoded bytes as they arrive, and by the staging
 * budget shared with TCP and WebSocket (src/core/StagingBudget.ts): past it the platform
 * stops reading (and decoding) until the owner has polled.
 *
 * The life of an exchange, as events:
 *   [HTTP_CONNECTING] → [HTTP_REQUESTING] → HTTP_HEADERS → (receiveBody()) →
 *   HTTP_BODY* → HTTP_DONE
 * with HTTP_FAILED possible at any point, after which nothing more is staged. The body
 * does not start flowing until the owner calls `receiveBody()`, so a redirect or a
 * response refused at its headers never opens the download file.
 */

/** A proxy to send the request through. */
export interface HttpProxy {
  /** The proxy's host name or IP address. */
  host: string;
  /** The proxy's port. */
  port: number;
}

/** Everything one exchange needs. */
export interface HttpExchangeRequest {
  /** The method as sent on the request line (`"GET"`, `"POST"`, …). */
  method: string;
  /** `"https"` means TLS. */
  scheme: "http" | "https";
  /** The host name or IP address to connect to (an IPv6 address without brackets). */
  host: string;
  /** The port to connect to. */
  port: number;
  /** The request target: path and query (`/scores?top=10`), never empty. */
  target: string;
  /**
   * Every header line to send, `"Name: value"`, in order, `Host` included. Platforms
   * send them as given (a browser drops the ones it forbids scripts to set).
   */
  headers: readonly string[];
  /** The request body; empty for none. */
  body: Uint8Array;
  /** TLS settings for `https` (client options); `null` for the platform's defaults. */
  tls: TLSOptions | null;
  /** Decode a `Content-Encoding: gzip` or `deflate` body before handing it over. */
  decompress: boolean;
  /**
   * A path to stream the body to instead of handing it over in {@link HTTP_BODY} events;
   * `""` for none. The file is opened (truncated) when `receiveBody()` is called.
   */
  downloadFile: string;
  /** The preferred size of each read, in bytes (Godot's `download_chunk_size`). */
  chunkSize: number;
  /**
   * The most decoded body bytes to take, or -1 for no limit. The platform counts decoded
   * bytes as they arrive and fails with `body-size-limit` as soon as the body passes it,
   * without decoding or keeping anything more.
   */
  bodySizeLimit: number;
  /** The proxy for this request, or `null` to connect directly. */
  proxy: HttpProxy | null;
  /**
   * Only for platforms that follow redirects themselves (browsers): whether they may
   * (`false` when the owner's redirect limit is 0). Other platforms never follow them.
   */
  followRedirects: boolean;
}

/** The response's status line and headers, reported with {@link HTTP_HEADERS}. */
export interface HttpResponseHead {
  /** The status code (200, 404, …). */
  status: number;
  /** The header lines, `"Name: value"`, in order, name case kept, duplicates separate. */
  headers: string[];
  /** The `Content-Length`, or -1 when the body is chunked or its length is not known. */
  contentLength: number;
}

/**
 * Why an exchange failed:
 * - `unresolved`: the host name did not resolve (any resolver failure);
 * - `refused`: no connection could be made (refused, unreachable, or the platform
 *   cannot tell why, as in browsers);
 * - `tls`: the TLS handshake failed (certificate not trusted, wrong name, not TLS);
 * - `connection`: the connection broke after it was made, the server closed it without
 *   a response, or the body ended before its announced length;
 * - `request`: the platform refused the request as given (a browser's `fetch` rejects a
 *   GET with a body);
 * - `decompress`: the compressed body is corrupt;
 * - `body-size-limit`: the decoded body passed {@link HttpExchangeRequest.bodySizeLimit};
 * - `file-open`: the download file cannot be opened (or the platform has no files);
 * - `file-write`: writing the download file failed;
 * - `redirect-limit`: the platform follows redirects itself and met one it may not
 *   follow (see {@link HttpExchangeRequest.followRedirects}).
 */
export type HttpFailure =
  | "unresolved"
  | "refused"
  | "tls"
  | "connection"
  | "request"
  | "decompress"
  | "body-size-limit"
  | "file-open"
  | "file-write"
  | "redirect-limit";

/** Exchange event: the host name resolved; connecting. */
export const HTTP_CONNECTING = 31;
/** Exchange event: connected (and the TLS handshake done); the request is on its way. */
export const HTTP_REQUESTING = 32;
/** Exchange event: the status line and headers arrived. `a`: {@link HttpResponseHead}. */
export const HTTP_HEADERS = 33;
/**
 * Exchange event: body progress. `a`: the decoded body bytes (`Uint8Array`, possibly
 * empty, owned by the receiver), or, when the body goes to the download file, the
 * number of decoded bytes written; `b`: the number of raw bytes read off the wire
 * (after de-chunking, before decompression) that this event accounts for.
 */
export const HTTP_BODY = 34;
/** Exchange event: the body is complete (and the download file flushed and closed). */
export const HTTP_DONE = 35;
/** Exchange event: the exchange failed. `a`: {@link HttpFailure}, `b`: detail text. */
export const HTTP_FAILED = 36;

/** One running exchange. */
export interface HttpExchange {
  /**
   * Lets the body flow, after {@link HTTP_HEADERS} was applied: into {@link HTTP_BODY}
   * events, or into the download file. Until then the platform holds it back.
   */
  receiveBody(): void;
  /** Stops the exchange at once and releases everything it holds; stages nothing more. */
  abort(): void;
}

/** The HTTP capability of a transport. */
export interface HttpTransport {
  /**
   * Starts an exchange. Never blocks and never throws for network conditions: the
   * outcome arrives as staged events on `queue` for `target`.
   */
  start(request: HttpExchangeRequest, queue: StagingQueue, target: StagedEventTarget): HttpExchange;
}
