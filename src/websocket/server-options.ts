import type { ClusterOptions } from "../cluster/options.js";
import { ErrorCode } from "../ErrorCode.js";
import type { WebSocketPeer } from "../WebSocketPeer.js";

/** Options of `WebSocketServer.listen`; each also exists as a server property. */
export interface WebSocketServerOptions {
  /** `"*"` (the default: every interface, bound synchronously), a wildcard or one IP address. */
  bindAddress?: string;
  /** Subprotocols accepted (a client must offer one of them when any are set). */
  supportedProtocols?: readonly string[];
  /** Extra header lines ("Name: value") in every 101 response. */
  handshakeHeaders?: readonly string[];
  /** PEM private key for `wss`; needs `tlsCert`. */
  tlsKey?: string | null;
  /** PEM certificate chain for `wss`; needs `tlsKey`. */
  tlsCert?: string | null;
  /** Every peer's `inboundBufferSize`. */
  inboundBufferSize?: number;
  /** Every peer's `outboundBufferSize`. */
  outboundBufferSize?: number;
  /** Every peer's `maxQueuedPackets`. */
  maxQueuedPackets?: number;
  /** Every peer's `heartbeatInterval`, in seconds. */
  heartbeatInterval?: number;
  /** Every peer's `closeTimeout`, in seconds. */
  closeTimeout?: number;
  /** Seconds a connection may take from TCP accept to a complete upgrade. */
  handshakeTimeout?: number;
  /** The most peers connected at once. */
  maxPeers?: number;
  /** The most units of work one `poll()` does (see `WebSocketServer.pollBudget`). */
  pollBudget?: number;
  /**
   * Godot 3's high-level multiplayer mode (`gd_mp_api`): the server becomes a
   * multiplayer peer speaking the 9-byte-header protocol (see docs/multiplayer.md).
   */
  gdMpApi?: boolean;
  /**
   * Makes this server one process of a logical server spanning processes and hosts, on
   * Redis (or a `MemoryClusterStore`): see docs/cluster.md. Not with `gdMpApi`.
   */
  cluster?: ClusterOptions;
}

/** The settings a server gives every peer it accepts (the properties of `WebSocketServer`). */
export interface ServerPeerSettings {
  bindAddress: string;
  supportedProtocols: string[];
  handshakeHeaders: string[];
  tlsKey: string | null;
  tlsCert: string | null;
  inboundBufferSize: number;
  outboundBufferSize: number;
  maxQueuedPackets: number;
  heartbeatInterval: number;
  closeTimeout: number;
  handshakeTimeout: number;
  maxPeers: number;
  pollBudget: number;
}

/** Copies the options that are set into `settings`. */
export function applyServerOptions(settings: ServerPeerSettings, options: WebSocketServerOptions): void {
  if (options.bindAddress !== undefined) settings.bindAddress = options.bindAddress;
  if (options.supportedProtocols !== undefined) settings.supportedProtocols = [...options.supportedProtocols];
  if (options.handshakeHeaders !== undefined) settings.handshakeHeaders = [...options.handshakeHeaders];
  if (options.tlsKey !== undefined) settings.tlsKey = options.tlsKey;
  if (options.tlsCert !== undefined) settings.tlsCert = options.tlsCert;
  if (options.inboundBufferSize !== undefined) settings.inboundBufferSize = options.inboundBufferSize;
  if (options.outboundBufferSize !== undefined) settings.outboundBufferSize = options.outboundBufferSize;
  if (options.maxQueuedPackets !== undefined) settings.maxQueuedPackets = options.maxQueuedPackets;
  if (options.heartbeatInterval !== undefined) settings.heartbeatInterval = options.heartbeatInterval;
  if (options.closeTimeout !== undefined) settings.closeTimeout = options.closeTimeout;
  if (options.handshakeTimeout !== undefined) settings.handshakeTimeout = options.handshakeTimeout;
  if (options.maxPeers !== undefined) settings.maxPeers = options.maxPeers;
  if (options.pollBudget !== undefined) settings.pollBudget = options.pollBudget;
}

/** Gives a new peer the server's settings. */
export function configurePeer(settings: ServerPeerSettings, peer: WebSocketPeer): void {
  peer.supportedProtocols = settings.supportedProtocols;
  peer.handshakeHeaders = settings.handshakeHeaders;
  peer.inboundBufferSize = settings.inboundBufferSize;
  peer.outboundBufferSize = settings.outboundBufferSize;
  peer.maxQueuedPackets = settings.maxQueuedPackets;
  peer.heartbeatInterval = settings.heartbeatInterval;
  peer.closeTimeout = settings.closeTimeout;
}

/**
 * Godot 3's `set_buffers`: sizes in KiB, and packet counts (one limit here: the larger of
 * the two). `ERR_INVALID_PARAMETER` for a value that is not a positive integer.
 */
export function setBuffersInKb(
  settings: { inboundBufferSize: number; outboundBufferSize: number; maxQueuedPackets: number },
  inputBufferSizeKb: number,
  inputMaxPackets: number,
  outputBufferSizeKb: number,
  outputMaxPackets: number,
): ErrorCode {
  for (const value of [inputBufferSizeKb, inputMaxPackets, outputBufferSizeKb, outputMaxPackets]) {
    if (!Number.isInteger(value) || value <= 0) return ErrorCode.ERR_INVALID_PARAMETER;
  }
  settings.inboundBufferSize = inputBufferSizeKb * 1024;
  settings.outboundBufferSize = outputBufferSizeKb * 1024;
  settings.maxQueuedPackets = Math.max(inputMaxPackets, outputMaxPackets);
  return ErrorCode.OK;
}
