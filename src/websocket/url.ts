import { ErrorCode } from "../ErrorCode.js";
import type { TLSOptions } from "../TLSOptions.js";
import type { WebSocketConnectRequest } from "../transport/websocket.js";

/** A WebSocket URL split the way Godot's `String.parse_url` splits it. */
export interface WebSocketUrl {
  /** `wss://`. */
  secure: boolean;
  /** The host name or IP address, without IPv6 brackets. */
  host: string;
  /** The port (80 for ws and 443 for wss when the URL has none). */
  port: number;
  /** The request target: path and query, `/` when empty; the fragment is dropped. */
  path: string;
  /** The `Host` header value: the host, with `:port` only when it is not the default. */
  hostHeader: string;
}

/**
 * Parses a WebSocket URL with Godot 4's rules (reference §7.4): no scheme means `ws://`;
 * any scheme other than `ws://`/`wss://`, an empty host, user info or a port outside
 * 1–65535 is `ERR_INVALID_PARAMETER`.
 */
export function parseWebSocketUrl(url: string): WebSocketUrl | ErrorCode {
  let rest = url.trim();
  let secure = false;
  const schemeEnd = rest.indexOf("://");
  if (schemeEnd >= 0) {
    const scheme = rest.slice(0, schemeEnd).toLowerCase();
    if (scheme === "wss") secure = true;
    else if (scheme !== "ws") return ErrorCode.ERR_INVALID_PARAMETER;
    rest = rest.slice(schemeEnd + 3);
  }
  const hash = rest.indexOf("#");
  if (hash >= 0) rest = rest.slice(0, hash);
  let slash = rest.search(/[/?]/);
  if (slash < 0) slash = rest.length;
  const authority = rest.slice(0, slash);
  let path = rest.slice(slash);
  if (path.length === 0) path = "/";
  else if (path.startsWith("?")) path = `/${path}`;
  if (authority.includes("@") || /\s/.test(authority)) return ErrorCode.ERR_INVALID_PARAMETER;
  let host: string;
  let portText = "";
  if (authority.startsWith("[")) {
    const close = authority.indexOf("]");
    if (close < 0) return ErrorCode.ERR_INVALID_PARAMETER;
    host = authority.slice(1, close);
    const after = authority.slice(close + 1);
    if (after.length > 0) {
      if (!after.startsWith(":")) return ErrorCode.ERR_INVALID_PARAMETER;
      portText = after.slice(1);
    }
  } else {
    const colon = authority.lastIndexOf(":");
    if (colon >= 0) {
      host = authority.slice(0, colon);
      portText = authority.slice(colon + 1);
      if (host.includes(":")) return ErrorCode.ERR_INVALID_PARAMETER;
    } else {
      host = authority;
    }
  }
  if (host.length === 0) return ErrorCode.ERR_INVALID_PARAMETER;
  const defaultPort = secure ? 443 : 80;
  let port = defaultPort;
  if (portText.length > 0) {
    if (!/^\d{1,5}$/.test(portText)) return ErrorCode.ERR_INVALID_PARAMETER;
    port = Number(portText);
    if (port < 1 || port > 65535) return ErrorCode.ERR_INVALID_PARAMETER;
  }
  const hostForHeader = host.includes(":") ? `[${host}]` : host;
  const hostHeader = port === defaultPort ? hostForHeader : `${hostForHeader}:${port}`;
  return { secure, host, port, path, hostHeader };
}

/** What the transport needs to connect to a parsed URL. */
export function connectRequest(
  url: string,
  parsed: WebSocketUrl,
  protocols: readonly string[],
  headers: readonly string[],
  tls: TLSOptions | null,
  inboundBufferSize: number,
): WebSocketConnectRequest {
  return {
    url: url.includes("://") ? url : `ws://${url}`,
    secure: parsed.secure,
    host: parsed.host,
    port: parsed.port,
    path: parsed.path,
    hostHeader: parsed.hostHeader,
    protocols: protocols.slice(),
    headers: headers.slice(),
    tls,
    maxPayload: Math.max(0, inboundBufferSize),
  };
}

/** An IPv4-mapped IPv6 address as the IPv4 address it is (as Godot prints addresses). */
export function plainAddress(address: string): string {
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address;
}
