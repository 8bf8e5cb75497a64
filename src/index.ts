/**
 * gdnet for Node: Godot's poll-driven networking classes on node:net, ws and node:http.
 * @packageDocumentation
 */
import { setRedisBusFactory } from "./cluster/bus-factory.js";
import { redisClusterBus } from "./cluster/redis-bus.js";
import { setDefaultTransport } from "./transport/defaultTransport.js";
import { nodeTransport } from "./transport/node/index.js";

setDefaultTransport(nodeTransport);
// Clustered servers reach Redis from Node only; the browser entry registers nothing.
setRedisBusFactory(redisClusterBus);

export * from "./api.js";
export { MemoryClusterStore } from "./cluster/memory-store.js";
export type { ClusterOptions } from "./cluster/options.js";
export { type CustomHeaders, resultName } from "./HTTPRequest.js";
export { FileRecordingSink } from "./replay/FileRecordingSink.js";
