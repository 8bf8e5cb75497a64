/** The HTTP capability of a transport: one request/response exchange at a time. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the HTTP transport.
export interface HttpTransport {}
