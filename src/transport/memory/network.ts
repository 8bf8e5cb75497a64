import { DeadlineList } from "../../core/DeadlineList.js";
import { RandomSource } from "../../core/Random.js";
import type { HttpTransport } from "../http.js";
import type { Transport } from "../Transport.js";
import type { TcpTransport } from "../tcp.js";
import type { WebSocketTransport } from "../websocket.js";
import type { LinkConditions, PortListener } from "./host.js";
import { createMemoryHttpTransport } from "./http.js";
import { type MemoryHttpHandler, type MemoryHttpServer, serveMemoryHttp } from "./http-server.js";
import { type LinkEnd, MemoryLink } from "./link.js";
import { MemoryTcpTransport } from "./tcp.js";
import { createMemoryWebSocketTransport } from "./websocket.js";

export type { LinkConditions, PortListener } from "./host.js";

/** Anything driven by a frame loop: every gdnet peer, client and server. */
export interface Pollable {
  /** Called once per frame. */
  poll(): unknown;
}

/** Options of a {@link MemoryNetwork}. */
export interface MemoryNetworkOptions {
  /**
   * Fixes peer ids and every other random choice, so runs repeat exactly. Default: a
   * random seed.
   */
  seed?: number;
  /** One-way latency in ms between any two hosts (and within one). Default 0. */
  latency?: number;
  /** Bandwidth in bytes per second, per direction of each connection. Default `Infinity`. */
  bandwidth?: number;
}

/** Host names that mean "this host". */
const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);
const FIRST_EPHEMERAL_PORT = 49152;

/**
 * One host on a {@link MemoryNetwork}, with its own address, ports and listeners. It is a
 * complete transport: pass it as the `network` option of any gdnet class to put that
 * object on this host.
 */
export class MemoryHost implements Transport {
  readonly platform = "memory" as const;
  readonly tcp: TcpTransport;
  readonly webSocket: WebSocketTransport;
  readonly http: HttpTransport;
  /** @internal */
  readonly listeners = new Map<number, PortListener>();
  /** @internal */
  readonly refusedPorts = new Set<number>();
  #nextPort = FIRST_EPHEMERAL_PORT;

  /** @internal Use {@link MemoryNetwork.host}. */
  constructor(
    /** The network this host is on. */
    readonly network: MemoryNetwork,
    /** The host's address, which other hosts connect to. */
    readonly address: string,
  ) {
    this.tcp = new MemoryTcpTransport(this);
    this.webSocket = createMemoryWebSocketTransport(this);
    this.http = createMemoryHttpTransport(this);
  }

  /** The network's virtual clock, in milliseconds. */
  now(): number {
    return this.network.now();
  }

  /** The network's seeded random source. */
  get random(): RandomSource {
    return this.network.random;
  }

  /**
   * Serves HTTP on `port` of this host: every request to it (`http://` or `https://`;
   * there is no TLS in memory) is answered by `handler`. Port 0 picks a free port (see
   * the returned server's `port`). Throws if the port is in use.
   */
  serveHttp(port: number, handler: MemoryHttpHandler): MemoryHttpServer {
    return serveMemoryHttp(this, port, handler);
  }

  /** @internal A free ephemeral port (deterministic: counts up from 49152). */
  allocatePort(): number {
    for (let i = 0; i < 16384; i++) {
      const port = this.#nextPort;
      this.#nextPort = port >= 65535 ? FIRST_EPHEMERAL_PORT : port + 1;
      if (!this.listeners.has(port)) return port;
    }
    return 0;
  }
}

/**
 * A deterministic network inside one process, for tests: no socket is opened, bytes move
 * between objects on a virtual clock, and a seed fixes every random choice (peer ids
 * included), so the same calls give the same observations on every run.
 *
 * Pass it (or one of its {@link MemoryNetwork.host | hosts}) as the `network` option of
 * any gdnet class. Used directly, it is the host `127.0.0.1` (also `localhost`, `::1`).
 * Time moves only through {@link MemoryNetwork.advance}: with latency 0, data sent now is
 * visible at the receiver's next `poll()`; with latency L, at its first poll once L ms of
 * virtual time have passed.
 */
export class MemoryNetwork implements Transport {
  readonly platform = "memory" as const;
  /** The seeded random source used for peer ids and every other random choice. */
  readonly random: RandomSource;
  #now = 0;
  /** Deliveries due on the virtual clock; equal times run first-come first-served. */
  #scheduler = new DeadlineList<() => void>();
  #hosts = new Map<string, MemoryHost>();
  #defaultHost: MemoryHost;
  #defaults: LinkConditions;
  #conditions = new Map<string, LinkConditions>();
  #partitions = new Map<string, (() => void)[]>();
  #links = new Set<MemoryLink>();
  #nextLinkId = 1;

  constructor(options: MemoryNetworkOptions = {}) {
    this.random = new RandomSource(options.seed);
    this.#defaults = {
      latency: options.latency ?? 0,
      bandwidth: options.bandwidth ?? Number.POSITIVE_INFINITY,
    };
    this.#defaultHost = this.host("127.0.0.1");
  }

  /** The virtual clock in milliseconds; starts at 0. */
  now(): number {
    return this.#now;
  }

  /** TCP of the default host `127.0.0.1`. */
  get tcp(): TcpTransport {
    return this.#defaultHost.tcp;
  }

  /** WebSockets of the default host `127.0.0.1`. */
  get webSocket(): WebSocketTransport {
    return this.#defaultHost.webSocket;
  }

  /** HTTP of the default host `127.0.0.1`. */
  get http(): HttpTransport {
    return this.#defaultHost.http;
  }

  /** The default host, `127.0.0.1`. */
  get defaultHost(): MemoryHost {
    return this.#defaultHost;
  }

  /** Serves HTTP on `port` of the default host `127.0.0.1`; see {@link MemoryHost.serveHttp}. */
  serveHttp(port: number, handler: MemoryHttpHandler): MemoryHttpServer {
    return this.#defaultHost.serveHttp(port, handler);
  }

  /**
   * The host with this address, created on first use. Other hosts reach it by this
   * address; a name that no host has does not resolve.
   */
  host(address: string): MemoryHost {
    let host = this.#hosts.get(address);
    if (host === undefined) {
      host = new MemoryHost(this, address);
      this.#hosts.set(address, host);
    }
    return host;
  }

  /**
   * Moves the virtual clock forward by `ms`, delivering everything that falls due on
   * the way, in time order. Nothing becomes observable until each owner polls.
   */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError("MemoryNetwork.advance expects a non-negative number of ms");
    const target = this.#now + ms;
    while (this.#scheduler.size > 0 && this.#scheduler.nextTime <= target) {
      this.#now = Math.max(this.#now, this.#scheduler.nextTime);
      this.#scheduler.takeDue(Number.POSITIVE_INFINITY)!();
    }
    this.#now = target;
  }

  /**
   * Runs frames: for each of `frames` frames, advances the clock by `ms` and then polls
   * every object in `objects`, in order, as a game's frame loop would.
   */
  step(ms: number, objects: readonly Pollable[], frames = 1): void {
    for (let i = 0; i < frames; i++) {
      this.advance(ms);
      for (const object of objects) object.poll();
    }
  }

  /**
   * Sets latency and bandwidth between two hosts (both directions). Without hosts, sets
   * the default for every pair that has no conditions of its own.
   */
  setLinkConditions(conditions: Partial<LinkConditions>, hostA?: string, hostB?: string): void {
    if (hostA === undefined || hostB === undefined) {
      this.#defaults = { ...this.#defaults, ...conditions };
      return;
    }
    const key = pairKey(hostA, hostB);
    this.#conditions.set(key, { ...(this.#conditions.get(key) ?? this.#defaults), ...conditions });
  }

  /** The latency and bandwidth between two hosts. @internal */
  linkConditions(from: MemoryHost, to: MemoryHost): LinkConditions {
    return this.#conditions.get(pairKey(from.address, to.address)) ?? this.#defaults;
  }

  /**
   * Partitions two hosts: nothing crosses between them until {@link heal}. Connections
   * stay up and stall, as TCP does; what was sent is delivered in order after healing,
   * unless a timeout closes the connection first.
   */
  partition(hostA: string, hostB: string): void {
    const key = pairKey(hostA, hostB);
    if (!this.#partitions.has(key)) this.#partitions.set(key, []);
  }

  /** Ends a partition; what was held is delivered now, in the order it was sent. */
  heal(hostA: string, hostB: string): void {
    const key = pairKey(hostA, hostB);
    const held = this.#partitions.get(key);
    if (held === undefined) return;
    this.#partitions.delete(key);
    for (const task of held) task();
  }

  /** Whether two hosts are partitioned. */
  isPartitioned(hostA: string, hostB: string): boolean {
    return this.#partitions.has(pairKey(hostA, hostB));
  }

  /**
   * Refuses (or, with `refuse = false`, accepts again) new connections to `port` on
   * `host`, as a firewall that answers with a reset would. Existing connections are
   * unaffected.
   */
  refuseConnections(host: string, port: number, refuse = true): void {
    const ports = this.host(host).refusedPorts;
    if (refuse) ports.add(port);
    else ports.delete(port);
  }

  /**
   * The open connections, optionally only those with an end on `host` (and `port`).
   * Each can be {@link MemoryConnectionHandle.reset | reset} or
   * {@link MemoryConnectionHandle.drop | dropped silently}.
   */
  connections(host?: string, port?: number): MemoryConnectionHandle[] {
    const found: MemoryConnectionHandle[] = [];
    for (const link of this.#links) {
      if (link.isDropped || (link.client.closed && link.server.closed)) {
        this.#links.delete(link);
        continue;
      }
      const matches = (end: LinkEnd) =>
        (host === undefined || end.host.address === host) && (port === undefined || end.port === port);
      if (matches(link.client) || matches(link.server)) found.push(new MemoryConnectionHandle(link));
    }
    return found;
  }

  /**
   * Drops a host silently, as if its machine lost power: every connection with an end on
   * it stops carrying anything, with no FIN, no close frame and no reset, so the other
   * side learns only through its own timeouts.
   */
  dropHost(host: string): void {
    for (const handle of this.connections(host)) handle.drop();
  }

  /** Resets every connection with an end on `host` (and `port`). */
  resetConnections(host: string, port?: number): void {
    for (const handle of this.connections(host, port)) handle.reset();
  }

  /** @internal Resolves a host name as seen from `from`: a host, `null` for an address nobody has, or `undefined` when the name does not resolve. */
  resolve(from: MemoryHost, name: string): MemoryHost | null | undefined {
    if (LOOPBACK_NAMES.has(name) || name === from.address) return from;
    const host = this.#hosts.get(name);
    if (host !== undefined) return host;
    return isIpLiteral(name) ? null : undefined;
  }

  /** @internal Creates a link between a new client end and `server:port`. */
  createLink(client: MemoryHost, clientPort: number, server: MemoryHost, serverPort: number): MemoryLink {
    const link = new MemoryLink(
      this.#nextLinkId++,
      { host: client, address: client.address, port: clientPort },
      { host: server, address: server.address, port: serverPort },
    );
    this.#links.add(link);
    return link;
  }

  /**
   * @internal Runs `task` when something sent from `from` reaches `to` at time `at`:
   * now if due, later on the virtual clock otherwise, and after healing if the hosts
   * are partitioned then.
   */
  deliver(from: MemoryHost, to: MemoryHost, at: number, task: () => void): void {
    const arrive = () => {
      const held = from === to ? undefined : this.#partitions.get(pairKey(from.address, to.address));
      if (held !== undefined) held.push(task);
      else task();
    };
    if (at > this.#now) {
      this.#scheduler.add(at, arrive);
    } else if (this.#scheduler.nextTime <= this.#now) {
      // Earlier deliveries are due at this same instant: queue behind them.
      this.#scheduler.add(this.#now, arrive);
      this.#flushDue();
    } else {
      arrive();
    }
  }

  /** Runs every task due at the current time (used when a zero-delay delivery must queue behind earlier ones). */
  #flushDue(): void {
    while (this.#scheduler.size > 0 && this.#scheduler.nextTime <= this.#now)
      this.#scheduler.takeDue(Number.POSITIVE_INFINITY)!();
  }
}

/** One end of a memory connection: a host address and a port. */
export interface MemoryEndpoint {
  /** The host's address. */
  host: string;
  /** The port. */
  port: number;
}

/** A handle on one connection of a {@link MemoryNetwork}, for fault injection. */
export class MemoryConnectionHandle {
  /** @internal */
  readonly link: MemoryLink;

  /** @internal */
  constructor(link: MemoryLink) {
    this.link = link;
  }

  /** The connecting side's host and port. */
  get client(): MemoryEndpoint {
    return { host: this.link.client.address, port: this.link.client.port };
  }

  /** The accepting side's host and port. */
  get server(): MemoryEndpoint {
    return { host: this.link.server.address, port: this.link.server.port };
  }

  /** Resets the connection: both sides see a reset (TCP RST) at their next poll. */
  reset(): void {
    this.link.reset();
  }

  /** Drops the connection silently: no FIN, no reset; each side learns only by its timeouts. */
  drop(): void {
    this.link.drop();
  }
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

function isIpLiteral(name: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || (name.includes(":") && /^\[?[0-9a-fA-F:.]+\]?$/.test(name));
}
