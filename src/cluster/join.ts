import type { Clock } from "../core/Clock.js";
import { ErrorCode } from "../ErrorCode.js";
import type { Transport } from "../transport/Transport.js";
import type { WebSocketPeer } from "../WebSocketPeer.js";
import type { ServerConnections } from "../websocket/ServerConnections.js";
import type { ClusterBus } from "./bus.js";
import { createClusterBus } from "./bus-factory.js";
import { ClusterMembership } from "./ClusterMembership.js";
import { type ClusterOptions, type ClusterSettings, clusterSettings } from "./options.js";

/*
 * How a WebSocketServer gets its cluster part: `prepareCluster` checks the option and
 * makes the bus before the server listens (so a bad option or a missing Redis client
 * fails `listen` with nothing started); `startCluster` joins once the server listens.
 */

/** A checked `cluster` option with its bus, not yet connected. @internal */
export interface PreparedCluster {
  readonly bus: ClusterBus;
  readonly settings: ClusterSettings;
}

/**
 * Checks `options`: `ERR_INVALID_PARAMETER` with `gdMpApi` or for unusable options,
 * `ERR_UNAVAILABLE` when the Redis client cannot be loaded. @internal
 */
export function prepareCluster(
  options: ClusterOptions,
  gdMpApi: boolean,
  transport: Transport,
): PreparedCluster | ErrorCode {
  if (gdMpApi) return ErrorCode.ERR_INVALID_PARAMETER;
  const settings = clusterSettings(options);
  if (settings === null) return ErrorCode.ERR_INVALID_PARAMETER;
  const bus = createClusterBus(options, transport);
  if (typeof bus === "number") return bus;
  return { bus, settings };
}

/** Joins the cluster with a listening server's connections. @internal */
export function startCluster(
  prepared: PreparedCluster,
  connections: ServerConnections,
  transport: Transport,
  now: Clock,
  createPeer: () => WebSocketPeer,
): ClusterMembership {
  const peers = connections.peers;
  return new ClusterMembership(
    prepared.bus,
    {
      queue: connections.queue,
      wakeAt: (peer, at) => connections.wakeAt(peer, at),
      localPeer: (id) => peers.get(id),
      localPeers: () => peers.values(),
      prepareFrame: (data, text) => transport.webSocket.prepareFrame(data, text),
      createPeer,
      recordRemotePeer: (id, joined) => connections.recordRemote(id, joined),
    },
    prepared.settings,
    now,
    transport.random,
  );
}
