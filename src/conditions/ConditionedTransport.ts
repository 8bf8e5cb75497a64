import type { Clock } from "../core/Clock.js";
import type { StagedEventTarget, StagingQueue } from "../core/StagingQueue.js";
import type { DetachedStream } from "../StreamPeerTCP.js";
import type { Transport } from "../transport/Transport.js";
import type { TcpConnectRequest, TcpTransport } from "../transport/tcp.js";
import type {
  WebSocketAcceptOptions,
  WebSocketConnectRequest,
  WebSocketListenRequest,
  WebSocketTransport,
} from "../transport/websocket.js";
import { DelayLine } from "./DelayLine.js";
import { HeldWebSocketConnection } from "./HeldWebSocketConnection.js";
import type { NetworkConditions } from "./NetworkConditions.js";

/*
 * A transport with conditions: the platform's own, except that every queue it is handed
 * (a peer's, a server's) gets a DelayLine before the platform stages anything into it.
 * Nothing else changes, so a game's code stays as it is but for the option.
 */

/** `transport` with `conditions` measured on `clock` (the object's clock). */
export function conditionedTransport(
  transport: Transport,
  conditions: NetworkConditions,
  clock: Clock,
): Transport {
  const condition = (queue: StagingQueue): StagingQueue => {
    DelayLine.install(queue, conditions, clock);
    return queue;
  };
  const tcp = transport.tcp;
  const webSocket = transport.webSocket;
  const conditionedTcp: TcpTransport | null =
    tcp === null
      ? null
      : {
          connect: (request: TcpConnectRequest, queue: StagingQueue, target: StagedEventTarget) =>
            tcp.connect(request, condition(queue), target),
          listen: (port: number, bindAddress: string, queue: StagingQueue, target: StagedEventTarget) =>
            tcp.listen(port, bindAddress, condition(queue), target),
        };
  const conditionedWebSocket: WebSocketTransport = {
    canServe: webSocket.canServe,
    hasTls: webSocket.hasTls,
    connect: (request: WebSocketConnectRequest, queue: StagingQueue, target: StagedEventTarget) => {
      const connection = webSocket.connect(request, condition(queue), target);
      // The browser's WebSocket writes without gdnet's writer: its sends are held here.
      return transport.platform === "browser" ? new HeldWebSocketConnection(connection, queue) : connection;
    },
    accept: (
      stream: DetachedStream,
      options: WebSocketAcceptOptions,
      queue: StagingQueue,
      target: StagedEventTarget,
    ) => webSocket.accept(stream, options, condition(queue), target),
    listen: (request: WebSocketListenRequest, queue: StagingQueue, target: StagedEventTarget) =>
      webSocket.listen(request, condition(queue), target),
    prepareFrame: (data: Uint8Array, text: boolean) => webSocket.prepareFrame(data, text),
  };
  return {
    platform: transport.platform,
    now: () => transport.now(),
    random: transport.random,
    tcp: conditionedTcp,
    webSocket: conditionedWebSocket,
    http: transport.http,
  };
}
