import type { WebSocketTransport } from "../websocket.js";
import type { MemoryHost } from "./network.js";

/** The WebSocket capability of the memory transport. */
export function createMemoryWebSocketTransport(_host: MemoryHost): WebSocketTransport {
  return {};
}
