import net from "node:net";
import tls from "node:tls";
import type { StagedEventTarget, StagingQueue } from "../../core/StagingQueue.js";
import { ErrorCode } from "../../ErrorCode.js";
import type { DetachedStream } from "../../StreamPeerTCP.js";
import { encodeFrame, OPCODE_BINARY, OPCODE_TEXT } from "../../websocket/frames.js";
import { acceptOverStream, StreamWebSocket } from "../../websocket/StreamWebSocket.js";
import {
  type PreparedFrame,
  type WebSocketAcceptOptions,
  type WebSocketConnection,
  type WebSocketConnectRequest,
  type WebSocketTransport,
  WS_CLOSED,
} from "../websocket.js";
import { NodeStreamConnection } from "./tcp.js";
import { nodeWebSocketPlatform } from "./websocket-platform.js";
import { listenWebSocket } from "./websocket-server.js";

/*
 * WebSocket on Node: gdnet's own WebSocket (StreamWebSocket, the code the in-memory
 * network runs) over node:net and node:tls sockets. gdnet writes every frame, parses
 * every frame and runs both handshakes itself; no WebSocket library is involved.
 */

/** The TLS client options of a `wss://` request. */
function tlsOptions(request: WebSocketConnectRequest): tls.ConnectionOptions {
  const options: tls.ConnectionOptions = {
    host: request.host,
    port: request.port,
    ALPNProtocols: ["http/1.1"],
  };
  const settings = request.tls;
  let name = net.isIP(request.host) === 0 ? request.host : "";
  if (settings !== null) {
    const chain = settings.getTrustedCaChain();
    if (chain !== null) options.ca = chain;
    if (settings.isUnsafeClient()) options.rejectUnauthorized = false;
    const override = settings.getCommonNameOverride();
    if (override !== "") name = override;
  }
  if (name !== "") options.servername = name;
  return options;
}

/** The WebSocket capability of the node transport. */
export function createNodeWebSocketTransport(): WebSocketTransport {
  return {
    canServe: true,
    hasTls: true,

    connect(
      request: WebSocketConnectRequest,
      queue: StagingQueue,
      target: StagedEventTarget,
    ): WebSocketConnection {
      const webSocket = new StreamWebSocket(nodeWebSocketPlatform, true, queue, target);
      let socket: net.Socket;
      try {
        socket = request.secure
          ? tls.connect(tlsOptions(request))
          : net.connect({ host: request.host, port: request.port });
      } catch {
        // Node refuses the arguments (an address it cannot use): closed at the next poll.
        queue.push(target, WS_CLOSED, -1, "");
        return webSocket;
      }
      socket.setNoDelay(true);
      const stream = new NodeStreamConnection(
        socket,
        queue,
        webSocket,
        request.secure ? "secureConnect" : "connect",
      );
      webSocket.startClient(
        stream,
        request.hostHeader,
        request.path,
        request.protocols,
        request.headers,
        request.maxPayload,
      );
      return webSocket;
    },

    accept(
      stream: DetachedStream,
      options: WebSocketAcceptOptions,
      queue: StagingQueue,
      target: StagedEventTarget,
    ): WebSocketConnection | ErrorCode {
      const connection = stream.connection;
      if (!(connection instanceof NodeStreamConnection)) return ErrorCode.ERR_INVALID_PARAMETER;
      if (connection.socket.destroyed) return ErrorCode.ERR_INVALID_PARAMETER;
      connection.setNoDelay(true);
      return acceptOverStream(
        nodeWebSocketPlatform,
        connection,
        stream.buffered,
        stream.endpoints,
        options,
        queue,
        target,
      );
    },

    listen: listenWebSocket,

    prepareFrame(data: Uint8Array, text: boolean): PreparedFrame {
      return encodeFrame(text ? OPCODE_TEXT : OPCODE_BINARY, data, null, nodeWebSocketPlatform.allocate);
    },
  };
}
