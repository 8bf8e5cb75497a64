import type { HttpTransport } from "../http.js";

/** The HTTP capability of the browser transport. */
export function createBrowserHttpTransport(): HttpTransport {
  return {};
}
