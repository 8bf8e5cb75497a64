/**
 * Where a request goes, split the way an HTTP exchange needs it.
 * @internal
 */
export interface RequestUrl {
  /** `"https"` means TLS. */
  scheme: "http" | "https";
  /** Host name or IP address, IPv6 without brackets. */
  host: string;
  /** The port, 80 or 443 when the URL has none. */
  port: number;
  /** Path and query, never empty (`/` at least); the fragment is dropped. */
  target: string;
  /** The `Host` header value: the host (bracketed for IPv6), with `:port` only when not the default. */
  hostHeader: string;
  /** The whole URL, normalised, for resolving relative redirects. */
  href: string;
}

/**
 * Parses a request URL as Godot's `HTTPRequest` accepts it: it must start with exactly
 * `http://` or `https://`. Returns `null` for anything else or a URL without a host.
 * @internal
 */
export function parseRequestUrl(url: string): RequestUrl | null {
  if (typeof url !== "string") return null;
  if (!url.startsWith("http://") && !url.startsWith("https://")) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return fromUrl(parsed);
}

/**
 * Resolves a redirect's `Location` against the URL that answered with it (absolute,
 * scheme-relative, absolute-path and relative references all work). `null` when the
 * result is not an http(s) URL.
 * @internal
 */
export function resolveRedirect(location: string, base: RequestUrl): RequestUrl | null {
  let parsed: URL;
  try {
    parsed = new URL(location, base.href);
  } catch {
    return null;
  }
  return fromUrl(parsed);
}

function fromUrl(parsed: URL): RequestUrl | null {
  const scheme = parsed.protocol === "https:" ? "https" : parsed.protocol === "http:" ? "http" : null;
  if (scheme === null || parsed.hostname === "") return null;
  const defaultPort = scheme === "https" ? 443 : 80;
  const port = parsed.port === "" ? defaultPort : Number(parsed.port);
  const bracketed = parsed.hostname;
  const host = bracketed.startsWith("[") && bracketed.endsWith("]") ? bracketed.slice(1, -1) : bracketed;
  return {
    scheme,
    host,
    port,
    target: `${parsed.pathname || "/"}${parsed.search}`,
    hostHeader: port === defaultPort ? bracketed : `${bracketed}:${port}`,
    href: parsed.href,
  };
}

/** Whether `host` is a literal IPv4 or IPv6 address (no name to resolve). @internal */
export function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || (host.includes(":") && /^[0-9a-fA-F:.]+$/.test(host));
}
