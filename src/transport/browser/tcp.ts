import type { TcpTransport } from "../tcp.js";

/**
 * Browsers have no raw TCP: StreamPeerTCP and TCPServer return `ERR_UNAVAILABLE`, as in
 * Godot's web export.
 */
export const browserTcpTransport: TcpTransport | null = null;
