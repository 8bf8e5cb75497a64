import { conditionedTransport } from "../conditions/ConditionedTransport.js";
import { toNetworkConditions } from "../conditions/NetworkConditions.js";
import type { Clock } from "../core/Clock.js";
import { recordingTransport } from "../replay/RecordingTransport.js";
import { Replay } from "../replay/Replay.js";
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
 * The transport and clock an object should use, from its constructor options: with
 * `conditions` and a `recorder` wrapped around the platform's, or a `Replay` as it is.
 * `owner` is the object (a recorder or a replay marks its polls).
 * @internal
 */
export function resolveNetwork(
  options: NetworkOptions | undefined,
  owner?: { poll(): unknown },
): { transport: Transport; now: Clock } {
  const transport = options?.network ?? defaultTransport;
  if (transport === undefined) {
    throw new Error("gdnet: no default network; import gdnet from its package entry point");
  }
  if (transport instanceof Replay) {
    if (owner !== undefined) transport.attach(owner);
    return { transport, now: () => transport.now() };
  }
  let now = options?.clock ?? (() => transport.now());
  const conditions = options?.conditions;
  const recorder = options?.recorder;
  if (conditions === undefined && recorder === undefined) return { transport, now };
  let resolved = transport;
  if (conditions !== undefined && transport.platform !== "memory") {
    resolved = conditionedTransport(transport, toNetworkConditions(conditions), now);
  }
  if (recorder !== undefined) {
    if (owner !== undefined) recorder.attach(owner, transport.platform);
    const inner = resolved;
    resolved = recorder.wrappedTransport(() => recordingTransport(inner, recorder));
    now = recorder.recordedClock(now);
  }
  return { transport: resolved, now };
}
