import type { RandomSource } from "../../core/Random.js";
import type { TcpTransport } from "../tcp.js";
import type { LinkEnd, MemoryLink } from "./link.js";

/*
 * What the memory transports (links, TCP, HTTP, WebSocket) need of the host they run on
 * and of its network, as interfaces. MemoryHost and MemoryNetwork (network.ts) implement
 * them and create the transports; the transports depend on these interfaces only, so
 * network.ts is not imported back by what it builds.
 */

/** Latency and bandwidth of the path between two hosts. */
export interface LinkConditions {
  /** One-way delay in milliseconds. Default 0. */
  latency: number;
  /** Bytes per second in each direction. Default `Infinity` (no limit). */
  bandwidth: number;
  /**
   * Each message's one-way delay varies by up to ± this many ms (at most `latency`),
   * drawn from a seeded source per direction of each connection; order is kept.
   * Default 0. See `src/conditions/LinkModel.ts`.
   */
  jitter?: number;
  /** Seeds the jitter of every connection (each connection derives its own from it and its order). Default 0. */
  seed?: number;
  /**
   * The link goes silent: nothing arrives either way, no FIN, no reset, until this is
   * set back to false; then what was held arrives in order at the next retransmission
   * (every 200 ms, as TCP's minimum retransmission timeout). Heartbeats and timeouts
   * notice. Default false.
   */
  blackhole?: boolean;
}

/**
 * Something listening on a host's port: a TCP listener, or a memory WebSocket server.
 * @internal
 */
export interface PortListener {
  /** A connection has arrived; `end` is the accepting end of a new link. */
  accept(link: MemoryLink, end: LinkEnd): void;
}

/**
 * The network as its hosts' transports use it: the virtual clock, the scheduler, name
 * resolution and link creation.
 * @internal
 */
export interface HostNetwork {
  /** The virtual clock, in milliseconds. */
  now(): number;
  /** The conditions of the path from one host to another. */
  linkConditions(from: NetworkHost, to: NetworkHost): LinkConditions;
  /** Runs `task` at virtual time `at`, unless the two hosts are cut apart by then. */
  deliver(from: NetworkHost, to: NetworkHost, at: number, task: () => void): void;
  /** The host a name or address means, seen from `from`; `null` if no host has that address. */
  resolve(from: NetworkHost, name: string): NetworkHost | null | undefined;
  /** A new connection between a client port and a server port. */
  createLink(client: NetworkHost, clientPort: number, server: NetworkHost, serverPort: number): MemoryLink;
}

/**
 * A host as its transports use it: its address, ports and listeners, its network.
 * @internal
 */
export interface NetworkHost {
  /** The host's address, which other hosts connect to. */
  readonly address: string;
  /** The network this host is on. */
  readonly network: HostNetwork;
  /** What listens on each port. */
  readonly listeners: Map<number, PortListener>;
  /** Ports whose new connections are refused. */
  readonly refusedPorts: Set<number>;
  /** The network's seeded random source. */
  readonly random: RandomSource;
  /** The host's TCP transport (the memory WebSocket runs over it). */
  readonly tcp: TcpTransport;
  /** The network's virtual clock, in milliseconds. */
  now(): number;
  /** A free ephemeral port. */
  allocatePort(): number;
}
