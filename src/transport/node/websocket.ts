import type { WebSocketTransport } from "../websocket.js";

/** The WebSocket capability of the node transport. */
export function createNodeWebSocketTransport(): WebSocketTransport {
  return {};
}
