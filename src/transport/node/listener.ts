import net from "node:net";
import { StagedSource } from "../../core/StagedSource.js";
import type { StagedEventTarget, StagingQueue } from "../../core/StagingQueue.js";
import { ErrorCode } from "../../ErrorCode.js";

/*
 * What the TCP and WebSocket listeners of the Node transport share: a net (or tls) server
 * tagged with its listener, module-level handlers, and Godot's bind rule.
 */

const LISTENER = Symbol("gdnet.listener");

type TaggedServer = net.Server & { [LISTENER]?: NodeListener };

/** A listening server that stages its outcome and its connections for one owner. */
export abstract class NodeListener extends StagedSource {
  readonly server: net.Server;
  readonly #listeningKind: number;
  readonly #errorKind: number;

  /**
   * @param connectionEvent the server event that brings a ready socket
   *   (`"connection"`, or `"secureConnection"` for TLS).
   */
  constructor(
    server: net.Server,
    connectionEvent: string,
    kinds: { listening: number; error: number },
    queue: StagingQueue,
    target: StagedEventTarget,
  ) {
    super(queue, target);
    this.server = server;
    this.#listeningKind = kinds.listening;
    this.#errorKind = kinds.error;
    (server as TaggedServer)[LISTENER] = this;
    server.on(connectionEvent, onServerConnection);
    server.on("listening", onServerListening);
    server.on("error", onServerError);
  }

  get localPort(): number {
    const address = this.server.address();
    return address !== null && typeof address === "object" ? address.port : 0;
  }

  /** A socket arrived and this listener still reports. */
  protected abstract incoming(socket: net.Socket): void;

  /** @internal */
  accepted(socket: net.Socket): void {
    if (this.silenced) socket.destroy();
    else this.incoming(socket);
  }

  /** @internal */
  listening(): void {
    this.stage(this.#listeningKind, this.localPort);
  }

  /** @internal Godot reports every bind failure as ERR_ALREADY_IN_USE. */
  failed(): void {
    this.stage(this.#errorKind, ErrorCode.ERR_ALREADY_IN_USE);
  }

  close(): void {
    this.silence();
    if (this.server.listening) this.server.close();
  }

  /**
   * Binds as Godot does: with `"*"` synchronously, so a busy port is `ERR_ALREADY_IN_USE`
   * at once (the asynchronous 'error' node:net still emits is silenced); with an address,
   * the outcome arrives later as a staged event.
   */
  bind(port: number, bindAddress: string): this | ErrorCode {
    if (bindAddress === "*") {
      this.server.listen({ port, backlog: 511 });
      if (this.server.listening) return this;
      this.silence();
      return ErrorCode.ERR_ALREADY_IN_USE;
    }
    this.server.listen({ port, host: bindAddress, backlog: 511 });
    return this;
  }
}

/** Whether `address` is a valid bind address: a wildcard or a literal IP. */
export function isBindAddress(address: string): boolean {
  return address === "*" || net.isIP(address) !== 0;
}

function onServerConnection(this: TaggedServer, socket: net.Socket): void {
  const listener = this[LISTENER];
  if (listener === undefined) socket.destroy();
  else listener.accepted(socket);
}

function onServerListening(this: TaggedServer): void {
  this[LISTENER]?.listening();
}

function onServerError(this: TaggedServer): void {
  this[LISTENER]?.failed();
}
