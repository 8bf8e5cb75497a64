import net from "node:net";
import { MemoryNetwork, type NetworkOptions } from "../../src/index.js";
import { type NodeTestServer, startNodeTestServer, type TestHttpHandler } from "../http/handler.js";
import { FaultProxy } from "../support/proxy.js";

/** Anything with a `poll()` that a frame loop drives. */
export interface Pollable {
  poll(): unknown;
}

/**
 * What a contract test needs from the network under it. The same tests run against
 * real loopback sockets ({@link createNodeWorld}) and the in-memory network
 * ({@link createMemoryWorld}); a difference between the two is a bug in one of them.
 */
export interface ContractWorld {
  readonly name: "node" | "memory";
  /** Constructor options putting an object on this world's network and clock. */
  readonly options: NetworkOptions;
  /** The host name servers are reached at. */
  readonly host: string;
  /**
   * Where to connect to reach a server listening on `port`, through something that
   * can break the connection (a proxy on loopback; the network itself in memory).
   */
  route(port: number): Promise<{ host: string; port: number }>;
  /** Resets every routed connection (both sides see a reset). */
  resetRouted(): void;
  /** Drops every routed connection silently (no FIN, no reset). */
  dropRouted(): void;
  /** Refuses new connections on every route; the routed connections already made go on. */
  refuseRouted(): void;
  /** A port on which nothing listens. */
  closedPort(): Promise<number>;
  /** A host name that does not resolve. */
  readonly unresolvableHost: string;
  /** Runs one frame: time moves by `frameMs`, then each object polls. */
  frame(objects: Pollable[]): Promise<void>;
  /**
   * Runs frames until `done()` holds, failing after `limitMs` (real time on sockets,
   * virtual time in memory).
   */
  until(objects: Pollable[], done: () => boolean, limitMs?: number): Promise<void>;
  /** Moves the clock that timeouts read by `ms` without waiting (virtual in memory). */
  advanceClock(ms: number): void;
  /**
   * From now on the clock that timeouts read moves only by `advanceClock` (and, in memory,
   * by the frames' virtual 16 ms): on sockets it stops following real time, so a test's
   * "not yet" check cannot be overtaken by a slow machine.
   */
  holdClock(): void;
  /** Serves HTTP with `handler` (node:http on loopback; `serveHttp` in memory); resolves with its base URL. */
  serveHttp(handler: TestHttpHandler): Promise<string>;
  /** Releases what the world opened. */
  dispose(): Promise<void>;
}

const FRAME_MS = 16;

/** Real sockets on loopback, with an injected clock that tests can push forward. */
export function createNodeWorld(): ContractWorld {
  let offset = 0;
  let heldAt: number | null = null;
  const clock = () => (heldAt ?? performance.now()) + offset;
  const proxies: FaultProxy[] = [];
  const proxiedSockets: net.Socket[] = [];
  const httpServers: NodeTestServer[] = [];
  return {
    name: "node",
    options: { clock },
    host: "127.0.0.1",
    unresolvableHost: "gdnet-test.invalid",
    async route(port) {
      const proxy = await FaultProxy.start(port);
      proxies.push(proxy);
      // A proxied socket whose partner closed first can stay paused with its FIN unread;
      // remember every accepted socket so dispose() can release it.
      proxy.server.on("connection", (socket: net.Socket) => proxiedSockets.push(socket));
      return { host: "127.0.0.1", port: proxy.port };
    },
    resetRouted() {
      for (const proxy of proxies) proxy.resetAll();
    },
    dropRouted() {
      for (const proxy of proxies) proxy.dropAllSilently();
    },
    refuseRouted() {
      for (const proxy of proxies) proxy.stopListening();
    },
    async closedPort() {
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as net.AddressInfo;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return port;
    },
    async frame(objects) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      for (const object of objects) object.poll();
    },
    async until(objects, done, limitMs = 5000) {
      const start = performance.now();
      for (;;) {
        for (const object of objects) object.poll();
        if (done()) return;
        if (performance.now() - start > limitMs)
          throw new Error(`condition not reached within ${limitMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    },
    advanceClock(ms) {
      offset += ms;
    },
    holdClock() {
      // A whole number of milliseconds: readings then differ by exactly what the test
      // advanced, with no rounding at a timer's boundary (ping at t + 1000, check at t + 2000).
      heldAt ??= Math.ceil(performance.now());
    },
    async serveHttp(handler) {
      const server = await startNodeTestServer(handler);
      httpServers.push(server);
      return server.url;
    },
    async dispose() {
      for (const socket of proxiedSockets) socket.destroy();
      await Promise.all(proxies.map((proxy) => proxy.close()));
      await Promise.all(httpServers.map((server) => server.close()));
    },
  };
}

/** The in-memory network: virtual time, no sockets. */
export function createMemoryWorld(seed = 1): ContractWorld & { network: MemoryNetwork } {
  const network = new MemoryNetwork({ seed });
  const routedPorts: number[] = [];
  return {
    name: "memory",
    network,
    options: { network },
    host: "127.0.0.1",
    unresolvableHost: "gdnet-test.invalid",
    async route(port) {
      routedPorts.push(port);
      return { host: "127.0.0.1", port };
    },
    resetRouted() {
      for (const port of routedPorts) network.resetConnections("127.0.0.1", port);
    },
    dropRouted() {
      for (const port of routedPorts)
        for (const connection of network.connections("127.0.0.1", port)) connection.drop();
    },
    refuseRouted() {
      for (const port of routedPorts) network.refuseConnections("127.0.0.1", port);
    },
    async closedPort() {
      return 40000;
    },
    async frame(objects) {
      network.advance(FRAME_MS);
      for (const object of objects) object.poll();
    },
    async until(objects, done, limitMs = 60_000) {
      const start = network.now();
      for (;;) {
        for (const object of objects) object.poll();
        if (done()) return;
        if (network.now() - start > limitMs)
          throw new Error(`condition not reached within ${limitMs} virtual ms`);
        network.advance(FRAME_MS);
      }
    },
    advanceClock(ms) {
      network.advance(ms);
    },
    holdClock() {
      // Virtual already.
    },
    async serveHttp(handler) {
      return `http://127.0.0.1:${network.serveHttp(0, handler).port}`;
    },
    async dispose() {},
  };
}
