import net from "node:net";
import tls from "node:tls";
import type { StagedEventTarget, StagingQueue } from "../../core/StagingQueue.js";
import { ErrorCode } from "../../ErrorCode.js";
import { StreamWebSocket } from "../../websocket/StreamWebSocket.js";
import {
  type WebSocketListener,
  type WebSocketListenRequest,
  WS_SERVER_ERROR,
  WS_SERVER_INCOMING,
  WS_SERVER_LISTENING,
} from "../websocket.js";
import { isBindAddress, NodeListener } from "./listener.js";
import { NodeStreamConnection } from "./tcp.js";
import { nodeWebSocketPlatform } from "./websocket-platform.js";

/*
 * The listening side of WebSocket on Node: a plain net server for `ws://` and `wss://`
 * alike. For `wss://` gdnet starts TLS itself on each accepted socket, so a connection
 * exists for the server from the TCP accept on and its handshake timeout covers TLS and
 * the HTTP upgrade together (a client that never starts TLS is dropped like one that
 * never sends its request).
 */

const RAW_SOCKET = Symbol("gdnet.rawSocket");

type WrappedSocket = tls.TLSSocket & { [RAW_SOCKET]?: net.Socket };

/** A net server as a {@link WebSocketListener}. */
class NodeWebSocketListener extends NodeListener implements WebSocketListener {
  readonly #tls: tls.SecureContext | null;

  constructor(tlsContext: tls.SecureContext | null, queue: StagingQueue, target: StagedEventTarget) {
    const server = net.createServer({ noDelay: true });
    super(server, "connection", { listening: WS_SERVER_LISTENING, error: WS_SERVER_ERROR }, queue, target);
    this.#tls = tlsContext;
  }

  protected incoming(raw: net.Socket): void {
    const { queue, target } = this.owner!;
    const endpoints = {
      localAddress: raw.localAddress ?? "",
      localPort: raw.localPort ?? 0,
      remoteAddress: raw.remoteAddress ?? "",
      remotePort: raw.remotePort ?? 0,
    };
    let socket: net.Socket = raw;
    if (this.#tls !== null) {
      raw.on("error", ignoreError);
      const wrapped: WrappedSocket = new tls.TLSSocket(raw, { isServer: true, secureContext: this.#tls });
      wrapped[RAW_SOCKET] = raw;
      wrapped.on("close", onWrappedClose);
      socket = wrapped;
    }
    const webSocket = new StreamWebSocket(nodeWebSocketPlatform, false, queue, target);
    const stream = new NodeStreamConnection(socket, queue, webSocket, null);
    webSocket.serve(stream, endpoints, null, this.#tls !== null);
    queue.push(target, WS_SERVER_INCOMING, webSocket);
  }
}

function ignoreError(): void {}

/** The TLS layer is gone: so is the TCP socket under it. */
function onWrappedClose(this: WrappedSocket): void {
  this[RAW_SOCKET]?.destroy();
}

/** Starts listening (binding as TCPServer does: `"*"` synchronously). */
export function listenWebSocket(
  request: WebSocketListenRequest,
  queue: StagingQueue,
  target: StagedEventTarget,
): WebSocketListener | ErrorCode {
  const { port, bindAddress } = request;
  if (!isBindAddress(bindAddress)) return ErrorCode.ERR_INVALID_PARAMETER;
  let context: tls.SecureContext | null = null;
  if (request.tlsKey !== null && request.tlsCert !== null) {
    try {
      context = tls.createSecureContext({ key: request.tlsKey, cert: request.tlsCert });
    } catch {
      // A key or certificate that does not parse.
      return ErrorCode.ERR_INVALID_PARAMETER;
    }
  }
  return new NodeWebSocketListener(context, queue, target).bind(port, bindAddress);
}
