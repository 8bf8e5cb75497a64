import { HTTPClient } from "../HTTPClient.js";
import type { HttpResponseHead } from "../transport/http.js";
import { headerName, headerValue } from "./headers.js";
import { type RequestUrl, resolveRedirect } from "./url.js";

/** What the next request of a redirect chain sends. @internal */
export interface RedirectHop {
  url: RequestUrl;
  method: number;
  headers: string[];
  body: Uint8Array;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Headers that describe the body; dropped with it when a redirect turns the request into a GET. */
const BODY_HEADERS = new Set([
  "content-type",
  "content-length",
  "content-encoding",
  "content-language",
  "content-location",
]);
/** Headers that carry the caller's credentials or the old origin; not sent to another origin. */
const ORIGIN_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "host"]);

/**
 * The request a redirect response leads to, or `null` when `head` is not a redirect to
 * follow (not 301/302/303/307/308, no `Location` header, or a location that is not an
 * http(s) URL — the response then completes as it is).
 *
 * The rules are RFC 9110's as browsers apply them (the Fetch standard): 303 turns any
 * method but GET and HEAD into a GET without a body; 301 and 302 turn a POST into a GET
 * without a body; otherwise (307, 308, and other methods on 301/302) the method, body
 * and headers are kept. A redirect to another origin (scheme, host or port) drops the
 * `Authorization`, `Proxy-Authorization`, `Cookie` and `Host` headers.
 * @internal
 */
export function nextHop(
  head: HttpResponseHead,
  url: RequestUrl,
  method: number,
  headers: readonly string[],
  body: Uint8Array,
): RedirectHop | null {
  if (!REDIRECT_STATUSES.has(head.status)) return null;
  const location = headerValue(head.headers, "location");
  if (location === null || location === "") return null;
  const next = resolveRedirect(location, url);
  if (next === null) return null;
  const toGet =
    (head.status === 303 && method !== HTTPClient.METHOD_GET && method !== HTTPClient.METHOD_HEAD) ||
    ((head.status === 301 || head.status === 302) && method === HTTPClient.METHOD_POST);
  let kept = [...headers];
  let nextBody = body;
  let nextMethod = method;
  if (toGet) {
    nextMethod = HTTPClient.METHOD_GET;
    nextBody = new Uint8Array(0);
    kept = kept.filter((line) => !BODY_HEADERS.has(headerName(line)));
  }
  const sameOrigin = next.scheme === url.scheme && next.host === url.host && next.port === url.port;
  if (!sameOrigin) kept = kept.filter((line) => !ORIGIN_HEADERS.has(headerName(line)));
  return { url: next, method: nextMethod, headers: kept, body: nextBody };
}
