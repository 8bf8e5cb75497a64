import type { HttpTransport } from "../http.js";

/** The HTTP capability of the node transport. */
export function createNodeHttpTransport(): HttpTransport {
  return {};
}
