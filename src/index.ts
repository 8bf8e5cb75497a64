/**
 * gdnet for Node: Godot's poll-driven networking classes on node:net, ws and node:http.
 * @packageDocumentation
 */
import { setDefaultTransport } from "./transport/defaultTransport.js";
import { nodeTransport } from "./transport/node/index.js";

setDefaultTransport(nodeTransport);

export * from "./api.js";
export { type CustomHeaders, resultName } from "./HTTPRequest.js";
