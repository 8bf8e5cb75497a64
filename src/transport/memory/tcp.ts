import type { DrainListener, StagedEventTarget, StagingQueue } from "../../core/StagingQueue.js";
import { ErrorCode } from "../../ErrorCode.js";
import {
  LISTENER_CONNECTION,
  LISTENER_ERROR,
  LISTENER_LISTENING,
  STREAM_CONNECTED,
  STREAM_DATA,
  STREAM_END,
  STREAM_ERROR,
  type StreamConnection,
  type StreamFailure,
  type TcpConnectRequest,
  type TcpListener,
  type TcpTransport,
} from "../tcp.js";
import type { NetworkHost, PortListener } from "./host.js";
import type { LinkEnd, LinkReceiver, MemoryLink } from "./link.js";

/** One end of a memory link as a {@link StreamConnection}. */
export class MemoryStreamConnection implements StreamConnection, LinkReceiver, DrainListener {
  #queue: StagingQueue | null;
  #target: StagedEventTarget | null;
  #link: MemoryLink | null = null;
  #end: LinkEnd | null = null;
  #paused: unknown[] | null = null;
  #released = false;
  /** Bytes staged since the owner's last drain, reported to the link as consumed after it. */
  #staged = 0;
  #awaitingDrain = false;

  constructor(queue: StagingQueue | null, target: StagedEventTarget | null) {
    this.#queue = queue;
    this.#target = target;
  }

  /** The link and end this connection speaks for, once established. */
  get link(): MemoryLink | null {
    return this.#link;
  }

  /** @internal */
  get end(): LinkEnd | null {
    return this.#end;
  }

  /** @internal Binds this connection to its end of an established link. */
  bind(link: MemoryLink, end: LinkEnd): void {
    this.#link = link;
    this.#end = end;
    end.flowControlled = true;
    if (this.#queue !== null) link.attach(end, this);
  }

  /** @internal Reports an event of the connection's own (connected, refused, unresolved). */
  stage(kind: number, a?: unknown, b?: unknown): void {
    if (!this.#released && this.#queue !== null) this.#queue.push(this.#target!, kind, a, b);
  }

  /** @internal Whether the owner released this connection. */
  get released(): boolean {
    return this.#released;
  }

  attach(queue: StagingQueue, target: StagedEventTarget): void {
    this.#queue = queue;
    this.#target = target;
    if (this.#link !== null && this.#end !== null && !this.#released) this.#link.attach(this.#end, this);
  }

  write(bytes: Uint8Array): void {
    if (this.#released || this.#link === null) return;
    this.#link.send(this.#end!, bytes.slice(), bytes.byteLength);
  }

  /** Bytes written that wait for the other end's receive window. */
  get bufferedAmount(): number {
    return this.#end?.backlogBytes ?? 0;
  }

  /** Writes that wait for the other end's receive window. */
  get queuedWrites(): number {
    return this.#end?.backlog.length ?? 0;
  }

  /** Bytes staged since the owner's last drain (the link's window holds them back). */
  get stagedBytes(): number {
    return this.#staged;
  }

  setNoDelay(_enabled: boolean): void {}

  flush(): void {}

  setReceiving(enabled: boolean): void {
    if (enabled) {
      const paused = this.#paused;
      this.#paused = null;
      if (paused !== null)
        for (const payload of paused) payload === END_MARK ? this.receiveEnd() : this.receive(payload);
    } else if (this.#paused === null) {
      this.#paused = [];
    }
  }

  close(): void {
    if (this.#released) return;
    this.#released = true;
    if (this.#link !== null) this.#link.end(this.#end!);
  }

  destroy(): void {
    this.close();
  }

  receive(payload: unknown): void {
    if (this.#paused !== null) {
      this.#paused.push(payload);
      return;
    }
    if (!(payload instanceof Uint8Array)) return;
    this.stage(STREAM_DATA, payload);
    // The bytes count as consumed once the owner's poll has applied them.
    const queue = this.#queue;
    if (queue === null || this.#released) return;
    this.#staged += payload.byteLength;
    if (!this.#awaitingDrain) {
      this.#awaitingDrain = true;
      queue.afterNextDrain(this);
    }
  }

  /** @internal The owner applied what was staged: the link's window opens by as much. */
  drained(): void {
    this.#awaitingDrain = false;
    const bytes = this.#staged;
    this.#staged = 0;
    if (this.#link !== null && this.#end !== null) this.#link.consumed(this.#end, bytes);
  }

  receiveEnd(): void {
    if (this.#paused !== null) this.#paused.push(END_MARK);
    else this.stage(STREAM_END);
  }

  receiveReset(): void {
    this.stage(STREAM_ERROR, "reset" satisfies StreamFailure, "connection reset by peer");
    this.#paused = null;
  }
}

/** Stands for a FIN received while paused, so it is replayed after the data before it. */
const END_MARK = Symbol("end");

/** A memory listener on a host's port. */
class MemoryTcpListener implements TcpListener, PortListener {
  #open = true;
  constructor(
    readonly host: NetworkHost,
    readonly localPort: number,
    readonly queue: StagingQueue,
    readonly target: StagedEventTarget,
  ) {}

  accept(link: MemoryLink, end: LinkEnd): void {
    if (!this.#open) return;
    const connection = new MemoryStreamConnection(null, null);
    connection.bind(link, end);
    const client = link.peerOf(end);
    this.queue.push(this.target, LISTENER_CONNECTION, connection, {
      localAddress: end.address,
      localPort: end.port,
      remoteAddress: client.address,
      remotePort: client.port,
    });
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    if (this.host.listeners.get(this.localPort) === this) this.host.listeners.delete(this.localPort);
  }
}

const WILDCARDS = new Set(["*", "0.0.0.0", "::"]);
const LOCAL_NAMES = new Set(["127.0.0.1", "::1", "localhost"]);

/** The TCP capability of one host of a {@link MemoryNetwork}. */
export class MemoryTcpTransport implements TcpTransport {
  constructor(readonly host: NetworkHost) {}

  connect(request: TcpConnectRequest, queue: StagingQueue, target: StagedEventTarget): StreamConnection {
    const connection = new MemoryStreamConnection(queue, target);
    const from = this.host;
    const network = from.network;
    const to = network.resolve(from, request.host);
    if (to === undefined) {
      connection.stage(
        STREAM_ERROR,
        "unresolved" satisfies StreamFailure,
        `${request.host} does not resolve`,
      );
      return connection;
    }
    // An address that no host has swallows the connection attempt: only the connect
    // timeout ends it, as on a real network.
    if (to === null) return connection;
    const port = request.port;
    const clientPort =
      request.localPort !== undefined && request.localPort > 0 ? request.localPort : from.allocatePort();
    const { latency } = network.linkConditions(from, to);
    network.deliver(from, to, network.now() + latency, () => {
      if (connection.released) return;
      const listener = to.listeners.get(port);
      const back = network.now() + network.linkConditions(to, from).latency;
      if (listener === undefined || to.refusedPorts.has(port)) {
        network.deliver(to, from, back, () =>
          connection.stage(STREAM_ERROR, "refused" satisfies StreamFailure, "connection refused"),
        );
        return;
      }
      const link = network.createLink(from, clientPort, to, port);
      listener.accept(link, link.server);
      network.deliver(to, from, back, () => {
        if (connection.released) {
          link.end(link.client);
          return;
        }
        connection.bind(link, link.client);
        connection.stage(STREAM_CONNECTED, {
          localAddress: from.address,
          localPort: clientPort,
          remoteAddress: to.address,
          remotePort: port,
        });
      });
    });
    return connection;
  }

  listen(
    port: number,
    bindAddress: string,
    queue: StagingQueue,
    target: StagedEventTarget,
  ): TcpListener | ErrorCode {
    const host = this.host;
    const known = WILDCARDS.has(bindAddress) || LOCAL_NAMES.has(bindAddress) || bindAddress === host.address;
    if (!known && !isIp(bindAddress)) return ErrorCode.ERR_INVALID_PARAMETER;
    const busy = port !== 0 && host.listeners.has(port);
    if (bindAddress === "*") {
      if (busy) return ErrorCode.ERR_ALREADY_IN_USE;
      const bound = port === 0 ? host.allocatePort() : port;
      const listener = new MemoryTcpListener(host, bound, queue, target);
      host.listeners.set(bound, listener);
      queue.push(target, LISTENER_LISTENING, bound);
      return listener;
    }
    // A specific address binds asynchronously, as node:net does: the outcome is staged.
    if (busy || !known) {
      const failed = new MemoryTcpListener(host, 0, queue, target);
      queue.push(target, LISTENER_ERROR, ErrorCode.ERR_ALREADY_IN_USE);
      return failed;
    }
    const bound = port === 0 ? host.allocatePort() : port;
    const listener = new MemoryTcpListener(host, bound, queue, target);
    host.listeners.set(bound, listener);
    queue.push(target, LISTENER_LISTENING, bound);
    return listener;
  }
}

function isIp(text: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(text) || /^[0-9a-fA-F:]+$/.test(text);
}
