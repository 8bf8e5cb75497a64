// Why this file is long: it is one Node socket's whole life behind the transport
// interface (staging within the budget, the weak owner, the one writer, the writes
// conditions hold, the closing linger) plus its small listener; the writer itself is
// tick-writer.ts.
import net from "node:net";
import { STAGING_BYTES_LIMIT, StagingBudget } from "../../core/StagingBudget.js";
import type { DrainListener, HeldWriter, StagedEventTarget, StagingQueue } from "../../core/StagingQueue.js";
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
import { isBindAddress, NodeListener } from "./listener.js";
import { TickWriter } from "./tick-writer.js";

/*
 * node:net behind the TCP transport interface. Socket listeners are module-level
 * functions that find their connection through a symbol on the socket, so a thousand
 * connections share one copy of each handler.
 */

const CONNECTION = Symbol("gdnet.connection");
/** Borrowed writes from this size on are handed to the socket at once instead of held for the tick. */
const WRITE_THROUGH_BYTES = 16 * 1024;
/** Connections a listener stages before its owner pulls them: Linux's default listen backlog. */
export const LISTEN_BACKLOG = 4096;
/** Milliseconds a closed socket keeps reading (and discarding) for the remote's FIN. */
const CLOSE_LINGER_MS = 2000;

/**
 * The owner of a connection, held weakly. An open socket is reachable from Node's event
 * loop, and so is everything it references: were the owner held strongly (here or in a
 * staged event), a `StreamPeerTCP` dropped without `disconnectFromHost()` would live as
 * long as its socket, and its FinalizationRegistry could never abort that socket. Staged
 * events name this forwarder, not the owner; `deref()` allocates nothing, so staging and
 * applying stay allocation-free. Cut when the connection is released, so events staged
 * before that reach nobody.
 */
class WeakOwner implements StagedEventTarget {
  #owner: WeakRef<StagedEventTarget> | null;

  constructor(owner: StagedEventTarget) {
    this.#owner = new WeakRef(owner);
  }

  applyStagedEvent(kind: number, a: unknown, b: unknown): void {
    this.#owner?.deref()?.applyStagedEvent(kind, a, b);
  }

  /** The owner events reach (`undefined` once cut or collected): a recorder names the owner, not this forwarder. */
  get forwardsTo(): StagedEventTarget | undefined {
    return this.#owner?.deref();
  }

  cut(): void {
    this.#owner = null;
  }
}

type TaggedSocket = net.Socket & { [CONNECTION]?: NodeStreamConnection };

/** Aborts the connections of owners collected without closing them (Godot frees, JavaScript drops). */
const abandoned = new FinalizationRegistry<NodeStreamConnection>((connection) => connection.abandon());

/** Maps a Node socket error to the transport's failure kinds. */
export function classifySocketError(error: NodeJS.ErrnoException): StreamFailure {
  const code = error.code ?? "";
  if (code === "ECONNREFUSED") return "refused";
  if (code === "ENOTFOUND" || code.startsWith("EAI_") || error.syscall === "getaddrinfo") return "unresolved";
  if (code === "ECONNRESET" || code === "EPIPE" || code === "ECONNABORTED") return "reset";
  if (code === "ENETUNREACH" || code === "EHOSTUNREACH" || code === "EADDRNOTAVAIL" || code === "EINVAL") {
    return "unreachable";
  }
  return "other";
}

/**
 * One node:net (or TLS) socket as a {@link StreamConnection}. Its writes go through its
 * {@link TickWriter} base, the socket's only writer.
 */
export class NodeStreamConnection extends TickWriter implements StreamConnection, HeldWriter, DrainListener {
  /** The socket. */
  readonly socket: net.Socket;
  #queue: StagingQueue | null = null;
  /** Where staged events go: the owner, held weakly. */
  #target: WeakOwner | null = null;
  #held: [number, unknown, unknown][] | null = null;
  #receiving = true;
  #released = false;
  /** Bounds what is staged between two polls; made when the first data arrives. */
  #budget: StagingBudget | null = null;
  /** Writes (and their bytes) that conditions on the owner's queue hold back (src/conditions/). */
  #heldWrites = 0;
  #heldBytes = 0;
  /** Closed while conditions held writes: the FIN follows the last of them. */
  #endAfterHeld = false;
  /** Reading waits for the owner's drains while conditions hold this connection's budget's worth. */
  #heldFull = false;

  /**
   * @param connectEvent the socket event that means connected: `"connect"`, or
   *   `"secureConnect"` for a TLS client; accepted sockets are connected already.
   */
  constructor(
    socket: net.Socket,
    queue: StagingQueue | null,
    target: StagedEventTarget | null,
    connectEvent: "connect" | "secureConnect" | null = "connect",
  ) {
    super();
    this.socket = socket;
    this.outputSocket = socket;
    (socket as TaggedSocket)[CONNECTION] = this;
    if (queue !== null && target !== null) {
      this.#queue = queue;
      this.#target = new WeakOwner(target);
    } else {
      this.#held = [];
    }
    if (connectEvent !== null) socket.on(connectEvent, onSocketConnect);
    socket.on("data", onSocketData);
    socket.on("end", onSocketEnd);
    socket.on("error", onSocketError);
  }

  /** @internal Called by the socket handlers. */
  stage(kind: number, a?: unknown, b?: unknown): void {
    if (this.#released) return;
    if (this.#held !== null) this.#held.push([kind, a, b]);
    else this.#queue!.push(this.#target!, kind, a, b);
  }

  /** @internal Called by the data handler: stages the bytes, within the staging budget. */
  stageData(chunk: Buffer): void {
    if (this.#released) return;
    if (this.#held !== null) {
      this.#held.push([STREAM_DATA, chunk, undefined]);
      return;
    }
    const queue = this.#queue!;
    queue.push(this.#target!, STREAM_DATA, chunk);
    if (this.#budget === null) this.#budget = new StagingBudget(queue, this);
    this.#budget.staged(chunk.byteLength);
    if (queue.tap !== null && !this.#heldFull) this.#updateReading();
  }

  /** @internal The owner drained: conditions may have let some of what they held go. */
  drained(): void {
    this.#heldFull = false;
    this.#updateReading();
  }

  attach(queue: StagingQueue, target: StagedEventTarget): void {
    this.#target?.cut();
    const owner = new WeakOwner(target);
    this.#queue = queue;
    this.#target = owner;
    const held = this.#held;
    this.#held = null;
    if (held !== null) for (const [kind, a, b] of held) queue.push(owner, kind, a, b);
    this.#updateReading();
  }

  write(bytes: Uint8Array, owned = false): void {
    if (this.#released || this.socket.destroyed || this.socket.writableEnded) return;
    const tap = this.#queue?.tap;
    // A large borrowed write goes to the socket now, after what this tick wrote before it
    // (as a plain socket.write would): copying megabytes to hold them for the tick costs
    // more than the batching saves.
    if (!owned && bytes.byteLength >= WRITE_THROUGH_BYTES && tap?.holdWrite === undefined) {
      this.writeThrough(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return;
    }
    // Held until the end of the tick: a borrowed buffer is copied, as the caller may reuse it.
    const buffer = !owned
      ? Buffer.from(bytes)
      : Buffer.isBuffer(bytes)
        ? bytes
        : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (tap?.holdWrite?.(this, buffer)) {
      this.#heldWrites++;
      this.#heldBytes += buffer.byteLength;
      return;
    }
    this.queueFrame(buffer);
  }

  /** @internal Conditions hand a held write on (or drop it); the FIN of a close waits for the last. */
  releaseWrite(bytes: Uint8Array, deliver: boolean): void {
    this.#heldWrites--;
    this.#heldBytes -= bytes.byteLength;
    if (deliver) this.queueFrame(bytes as Buffer);
    if (this.#heldWrites === 0 && this.#endAfterHeld) {
      this.flush();
      this.#endAfterHeld = false;
      this.#end();
    }
  }

  /** @internal Conditions reset the link: the owner sees a reset at its next drain, the remote an RST. */
  resetLink(): void {
    if (this.#released) return;
    const queue = this.#queue!;
    // Named directly: the reset cuts the forwarder before the owner's drain.
    const owner = this.#target!.forwardsTo;
    this.reset();
    if (owner !== undefined)
      queue.stageNow(owner, STREAM_ERROR, "reset", "connection reset by the network conditions");
  }

  override get bufferedAmount(): number {
    const amount = super.bufferedAmount + this.#heldBytes;
    const tap = this.#queue?.tap;
    return tap?.observe === undefined ? amount : tap.observe(amount);
  }

  get queuedWrites(): number {
    const count = this.queuedMessages + this.#heldWrites;
    const tap = this.#queue?.tap;
    return tap?.observe === undefined ? count : tap.observe(count);
  }

  get stagedBytes(): number {
    // What conditions hold includes what was staged since the drain (it went to them).
    return Math.max(this.#budget?.stagedBytes ?? 0, this.#heldByConditions());
  }

  /** Received bytes that conditions on the owner's queue hold back (src/conditions/). */
  #heldByConditions(): number {
    return this.#target === null ? 0 : (this.#queue?.tap?.heldBytes?.(this.#target) ?? 0);
  }

  protected canWrite(): boolean {
    return (!this.#released || this.#endAfterHeld) && !this.socket.destroyed && !this.socket.writableEnded;
  }

  setNoDelay(enabled: boolean): void {
    if (!this.socket.destroyed) this.socket.setNoDelay(enabled);
  }

  setReceiving(enabled: boolean): void {
    this.#receiving = enabled;
    this.#updateReading();
  }

  /** @internal The staging budget holds reading until the owner's next drain, or lets it go on. */
  holdForDrain(_held: boolean): void {
    this.#updateReading();
  }

  /** Reads while attached, wanted by the owner and within the staging budget. */
  #updateReading(): void {
    if (this.#held !== null || this.#released || this.socket.destroyed) return;
    if (this.#heldByConditions() >= STAGING_BYTES_LIMIT) {
      // What conditions hold counts against the staging budget: read on once the owner's
      // drains have let enough of it go.
      this.socket.pause();
      if (!this.#heldFull) {
        this.#heldFull = true;
        this.#queue!.afterNextDrain(this);
      }
      return;
    }
    if (this.#receiving && !(this.#budget?.holding ?? false)) this.socket.resume();
    else this.socket.pause();
  }

  close(): void {
    if (this.#released) return;
    if (this.#heldWrites > 0) {
      this.#endAfterHeld = true;
      this.#release();
      return;
    }
    // What was written in this tick goes before the FIN.
    this.flush();
    this.#release();
    this.#end();
  }

  /** FIN once what is queued is sent, then the descriptor is released. */
  #end(): void {
    const socket = this.socket;
    if (socket.destroyed) return;
    if (socket.connecting) {
      socket.destroy();
      return;
    }
    // Send what is queued, then FIN, and keep reading (and discarding) until the remote's
    // FIN: destroying at once would answer its late bytes with a reset, which can discard
    // our last bytes (a close frame) before the remote reads them. A remote that never
    // finishes is cut after a while.
    socket.resume();
    const linger = setTimeout(destroySocket, CLOSE_LINGER_MS, socket);
    linger.unref();
    socket.once("close", () => clearTimeout(linger));
    socket.end();
  }

  destroy(): void {
    this.#endAfterHeld = false;
    if (this.#released) return;
    this.#release();
    this.discardFrames();
    this.socket.destroy();
  }

  abortWhenCollected(owner: object): void {
    if (this.#released) return;
    // One owner at a time: a connection handed on (a StreamPeerTCP's, taken over by
    // WebSocketPeer.acceptStream) must not be aborted when its first owner is collected.
    abandoned.unregister(this);
    abandoned.register(owner, this, this);
  }

  /** @internal Its owner was collected while it was open: drop it without a word. */
  abandon(): void {
    if (this.#released) return;
    this.#release();
    this.discardFrames();
    if (!this.socket.destroyed) this.socket.destroy();
  }

  /** Resets the connection (RST). Used by tests and fault injection. */
  reset(): void {
    if (this.#released) return;
    this.#release();
    this.discardFrames();
    if (!this.socket.destroyed) this.socket.resetAndDestroy();
  }

  #release(): void {
    abandoned.unregister(this);
    this.#released = true;
    this.#target?.cut();
    this.#queue = null;
    this.#target = null;
    this.#held = null;
  }
}

function destroySocket(socket: net.Socket): void {
  socket.destroy();
}

function onSocketConnect(this: TaggedSocket): void {
  this[CONNECTION]?.stage(STREAM_CONNECTED, {
    localAddress: this.localAddress ?? "",
    localPort: this.localPort ?? 0,
    remoteAddress: this.remoteAddress ?? "",
    remotePort: this.remotePort ?? 0,
  });
}

function onSocketData(this: TaggedSocket, chunk: Buffer): void {
  this[CONNECTION]?.stageData(chunk);
}

function onSocketEnd(this: TaggedSocket): void {
  this[CONNECTION]?.stage(STREAM_END);
}

function onSocketError(this: TaggedSocket, error: NodeJS.ErrnoException): void {
  this[CONNECTION]?.stage(STREAM_ERROR, classifySocketError(error), error.message);
}

/** A node:net server as a {@link TcpListener}. */
class NodeTcpListener extends NodeListener implements TcpListener, DrainListener {
  /** Connections staged since the owner last drained everything. */
  #waiting = 0;

  constructor(queue: StagingQueue, target: StagedEventTarget) {
    const server = net.createServer({ pauseOnConnect: true });
    super(server, "connection", { listening: LISTENER_LISTENING, error: LISTENER_ERROR }, queue, target);
  }

  protected incoming(socket: net.Socket): void {
    // Node accepts eagerly where Godot's socket leaves connections in the kernel's listen
    // backlog: past a backlog's worth staged and not yet pulled, a new one is refused as
    // a full backlog would (the client sees a reset and may retry).
    if (this.#waiting >= LISTEN_BACKLOG) {
      socket.resetAndDestroy();
      return;
    }
    if (this.#waiting++ === 0) this.owner?.queue.afterNextDrain(this);
    const connection = new NodeStreamConnection(socket, null, null);
    this.stage(LISTENER_CONNECTION, connection, {
      localAddress: socket.localAddress ?? "",
      localPort: socket.localPort ?? 0,
      remoteAddress: socket.remoteAddress ?? "",
      remotePort: socket.remotePort ?? 0,
    });
  }

  /** @internal The owner pulled what was staged. */
  drained(): void {
    this.#waiting = 0;
  }
}

/** node:net as the TCP capability. */
export const nodeTcpTransport: TcpTransport = {
  connect(request: TcpConnectRequest, queue: StagingQueue, target: StagedEventTarget): StreamConnection {
    const options: net.NetConnectOpts = { host: request.host, port: request.port };
    if (request.localAddress !== undefined && request.localAddress !== "*") {
      options.localAddress = request.localAddress;
    }
    if (request.localPort !== undefined && request.localPort > 0) options.localPort = request.localPort;
    const socket = net.connect(options);
    return new NodeStreamConnection(socket, queue, target);
  },

  listen(
    port: number,
    bindAddress: string,
    queue: StagingQueue,
    target: StagedEventTarget,
  ): TcpListener | ErrorCode {
    if (!isBindAddress(bindAddress)) return ErrorCode.ERR_INVALID_PARAMETER;
    return new NodeTcpListener(queue, target).bind(port, bindAddress);
  },
};
