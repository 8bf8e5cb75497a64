import { ErrorCode } from "../ErrorCode.js";
import type { MemoryHost, MemoryNetwork } from "../transport/memory/network.js";
import type { Transport } from "../transport/Transport.js";
import type { ClusterBus } from "./bus.js";
import { MemoryClusterBus } from "./memory-bus.js";
import type { ClusterOptions } from "./options.js";

/**
 * Makes a Redis bus for `url` and `name`, or answers `ERR_UNAVAILABLE` when the Redis
 * client package cannot be loaded. Registered by the Node entry point only, so the
 * browser build never reaches Redis code.
 * @internal
 */
export type RedisBusFactory = (url: string, name: string, processId: string) => ClusterBus | ErrorCode;

let redisBusFactory: RedisBusFactory | null = null;

/** @internal Called once by the Node entry point. */
export function setRedisBusFactory(factory: RedisBusFactory): void {
  redisBusFactory = factory;
}

/** A fresh process id: 16 hex digits from the network's (seedable) random source. @internal */
export function newProcessId(transport: Transport): string {
  const hex = (n: number) => n.toString(16).padStart(8, "0");
  return hex(transport.random.nextUint32()) + hex(transport.random.nextUint32());
}

/**
 * The bus `options` ask for: a memory bus on the server's memory host, or a Redis bus.
 * `ERR_INVALID_PARAMETER` for a memory store on a real network (or Redis on a memory
 * one), `ERR_UNAVAILABLE` when Redis cannot be used here.
 * @internal
 */
export function createClusterBus(options: ClusterOptions, transport: Transport): ClusterBus | ErrorCode {
  const processId = newProcessId(transport);
  if (options.store !== undefined) {
    if (transport.platform !== "memory") return ErrorCode.ERR_INVALID_PARAMETER;
    const host =
      "defaultHost" in transport ? (transport as MemoryNetwork).defaultHost : (transport as MemoryHost);
    return new MemoryClusterBus(options.store, host, processId);
  }
  if (transport.platform === "memory") return ErrorCode.ERR_INVALID_PARAMETER;
  if (redisBusFactory === null) return ErrorCode.ERR_UNAVAILABLE;
  return redisBusFactory(options.redis!, options.name, processId);
}
