import { conditionedTransport } from "../conditions/ConditionedTransport.js";
import { toNetworkConditions } from "../conditions/NetworkConditions.js";
import type { Clock } from "../core/Clock.js";
import type { NetworkOptions, Transport } from "./Transport.js";

let defaultTransport: Transport | undefined;

/**
 * Sets the transport used by objects created without a `network` option. The package
 * entry points call this once: the Node entry with the node:net/ws/node:http transport,
 * the browser entry with the native WebSocket/fetch transport.
 * @internal
 */
export function setDefaultTransport(transport: Transport): void {
  defaultTransport = transport;
}

/**
 * The transport and clock an object should use, from its constructor options.
 * @internal
 */
export function resolveNetwork(options: NetworkOptions | undefined): { transport: Transport; now: Clock } {
  const transport = options?.network ?? defaultTransport;
  if (transport === undefined) {
    throw new Error("gdnet: no default network; import gdnet from its package entry point");
  }
  const now = options?.clock ?? (() => transport.now());
  const conditions = options?.conditions;
  if (conditions === undefined || transport.platform === "memory") return { transport, now };
  return { transport: conditionedTransport(transport, toNetworkConditions(conditions), now), now };
}
