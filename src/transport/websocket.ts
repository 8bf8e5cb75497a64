/**
 * The WebSocket capability of a transport: client connections, accepting a WebSocket
 * over an existing stream, and listening servers.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the WebSocket transport.
export interface WebSocketTransport {}
