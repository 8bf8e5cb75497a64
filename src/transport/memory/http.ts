import type { HttpTransport } from "../http.js";
import type { MemoryHost } from "./network.js";

/** The HTTP capability of the memory transport. */
export function createMemoryHttpTransport(_host: MemoryHost): HttpTransport {
  return {};
}
