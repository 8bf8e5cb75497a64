import type { WebSocketTransport } from "../websocket.js";

/** The WebSocket capability of the browser transport. */
export function createBrowserWebSocketTransport(): WebSocketTransport {
  return {};
}
