import type { StagedEventTarget, StagingQueue } from "../../core/StagingQueue.js";
import { ErrorCode } from "../../ErrorCode.js";
import type { DetachedStream } from "../../StreamPeerTCP.js";
import { encodeFrame, OPCODE_BINARY, OPCODE_TEXT } from "../../websocket/frames.js";
import {
  acceptOverStream,
  StreamWebSocket,
  type StreamWebSocketPlatform,
} from "../../websocket/StreamWebSocket.js";
import {
  type PreparedFrame,
  type WebSocketAcceptOptions,
  type WebSocketConnection,
  type WebSocketConnectRequest,
  type WebSocketListener,
  type WebSocketListenRequest,
  type WebSocketTransport,
  WS_SERVER_ERROR,
  WS_SERVER_INCOMING,
  WS_SERVER_LISTENING,
} from "../websocket.js";
import type { NetworkHost, PortListener } from "./host.js";
import type { LinkEnd, MemoryLink } from "./link.js";
import { MemoryStreamConnection } from "./tcp.js";

/*
 * WebSocket on a MemoryNetwork: gdnet's own WebSocket (StreamWebSocket, the same code
 * Node runs) over memory TCP links, so a raw StreamPeerTCP can talk to it and bandwidth,
 * faults and junk input behave as on a real network. Servers register on their host's
 * ports like TCP listeners (one port space). TLS is not modelled: `wss://` and a
 * server's key and certificate are accepted and the bytes travel as for `ws://`.
 */

const WILDCARDS = new Set(["*", "0.0.0.0", "::"]);
const LOCAL_NAMES = new Set(["127.0.0.1", "::1", "localhost"]);

/** Masks and keys from the host's seeded source, so runs repeat. */
function memoryPlatform(host: NetworkHost): StreamWebSocketPlatform {
  const mask = new Uint8Array(4);
  const maskView = new DataView(mask.buffer);
  return {
    nextMask(): Uint8Array {
      maskView.setUint32(0, host.random.nextUint32());
      return mask;
    },
    handshakeKey(): Uint8Array {
      const key = new Uint8Array(16);
      const view = new DataView(key.buffer);
      for (let i = 0; i < 16; i += 4) view.setUint32(i, host.random.nextUint32());
      return key;
    },
    allocate: (size) => new Uint8Array(size),
  };
}

/** A memory WebSocket server on a host's port. */
class MemoryWebSocketListener implements WebSocketListener, PortListener {
  #open = true;

  constructor(
    readonly host: NetworkHost,
    readonly platform: StreamWebSocketPlatform,
    readonly localPort: number,
    readonly queue: StagingQueue,
    readonly target: StagedEventTarget,
  ) {}

  accept(link: MemoryLink, end: LinkEnd): void {
    if (!this.#open) return;
    const client = link.peerOf(end);
    const socket = new StreamWebSocket(this.platform, false, this.queue, this.target);
    const stream = new MemoryStreamConnection(this.queue, socket);
    socket.serve(
      stream,
      {
        localAddress: end.address,
        localPort: end.port,
        remoteAddress: client.address,
        remotePort: client.port,
      },
      null,
      false,
    );
    this.queue.push(this.target, WS_SERVER_INCOMING, socket);
    stream.bind(link, end);
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    if (this.host.listeners.get(this.localPort) === this) this.host.listeners.delete(this.localPort);
  }
}

/** The WebSocket capability of one host of a {@link MemoryNetwork}. */
export function createMemoryWebSocketTransport(host: NetworkHost): WebSocketTransport {
  const platform = memoryPlatform(host);
  return {
    canServe: true,
    hasTls: true,

    connect(
      request: WebSocketConnectRequest,
      queue: StagingQueue,
      target: StagedEventTarget,
    ): WebSocketConnection {
      const socket = new StreamWebSocket(platform, true, queue, target);
      const stream = host.tcp.connect({ host: request.host, port: request.port }, queue, socket);
      socket.startClient(
        stream,
        request.hostHeader,
        request.path,
        request.protocols,
        request.headers,
        request.maxPayload,
      );
      return socket;
    },

    accept(
      stream: DetachedStream,
      options: WebSocketAcceptOptions,
      queue: StagingQueue,
      target: StagedEventTarget,
    ): WebSocketConnection | ErrorCode {
      const connection = stream.connection;
      if (!(connection instanceof MemoryStreamConnection)) return ErrorCode.ERR_INVALID_PARAMETER;
      return acceptOverStream(
        platform,
        connection,
        stream.buffered,
        stream.endpoints,
        options,
        queue,
        target,
      );
    },

    listen(
      request: WebSocketListenRequest,
      queue: StagingQueue,
      target: StagedEventTarget,
    ): WebSocketListener | ErrorCode {
      const { port, bindAddress } = request;
      const known =
        WILDCARDS.has(bindAddress) || LOCAL_NAMES.has(bindAddress) || bindAddress === host.address;
      if (!known && !/^[0-9a-fA-F:.]+$/.test(bindAddress)) return ErrorCode.ERR_INVALID_PARAMETER;
      const busy = port !== 0 && host.listeners.has(port);
      if (busy || !known) {
        if (bindAddress === "*") return ErrorCode.ERR_ALREADY_IN_USE;
        // A specific address binds asynchronously, as on Node: the failure is staged.
        queue.push(target, WS_SERVER_ERROR, ErrorCode.ERR_ALREADY_IN_USE);
        return new MemoryWebSocketListener(host, platform, 0, queue, target);
      }
      const bound = port === 0 ? host.allocatePort() : port;
      const listener = new MemoryWebSocketListener(host, platform, bound, queue, target);
      host.listeners.set(bound, listener);
      queue.push(target, WS_SERVER_LISTENING, bound);
      return listener;
    },

    prepareFrame(data: Uint8Array, text: boolean): PreparedFrame {
      return encodeFrame(text ? OPCODE_TEXT : OPCODE_BINARY, data, null);
    },
  };
}
