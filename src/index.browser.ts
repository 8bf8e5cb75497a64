/**
 * gdnet for browsers: Godot's poll-driven networking classes on the native WebSocket
 * and fetch. TCP classes exist and return `ERR_UNAVAILABLE`, as in Godot's web export.
 * @packageDocumentation
 */

import { browserTransport } from "./transport/browser/index.js";
import { setDefaultTransport } from "./transport/defaultTransport.js";

setDefaultTransport(browserTransport);

export * from "./api.js";
export { type CustomHeaders, resultName } from "./HTTPRequest.js";
