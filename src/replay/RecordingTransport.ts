import type { StagedEventTarget, StagingQueue } from "../core/StagingQueue.js";
import type { DetachedStream } from "../StreamPeerTCP.js";
import type { HttpExchangeRequest, HttpTransport } from "../transport/http.js";
import type { Transport } from "../transport/Transport.js";
import type { TcpConnectRequest, TcpTransport } from "../transport/tcp.js";
import type {
  PreparedFrame,
  WebSocketAcceptOptions,
  WebSocketConnection,
  WebSocketConnectRequest,
  WebSocketListenRequest,
  WebSocketTransport,
} from "../transport/websocket.js";
import { StreamWebSocket, type StreamWebSocketPlatform } from "../websocket/StreamWebSocket.js";
import type { Recorder } from "./Recorder.js";

/*
 * The transport of a recorded object: the platform's own, except that each call puts the
 * recorder on the queue it is handed, names the objects it is given and returns (in call
 * order, as a replay will), and writes down what it answers. Connections that do not
 * stage through a StreamConnection (the browser's WebSocket) have their live readings
 * written down here.
 */

/** `transport` as the object recorded by `recorder` uses it. */
export function recordingTransport(transport: Transport, recorder: Recorder): Transport {
  const webSocket = transport.webSocket;
  const tcp = transport.tcp;
  const streams = transport.platform !== "browser";
  const recordedWebSocket: WebSocketTransport = {
    canServe: webSocket.canServe,
    hasTls: webSocket.hasTls,
    connect(request: WebSocketConnectRequest, queue: StagingQueue, target: StagedEventTarget) {
      recorder.install(queue);
      recorder.register(target);
      const connection =
        tcp !== null && !request.secure
          ? recordedClient(tcp, recorder, request, queue, target)
          : webSocket.connect(request, queue, target);
      recorder.register(connection);
      return streams ? connection : new RecordedReadings(connection, recorder);
    },
    accept(
      stream: DetachedStream,
      options: WebSocketAcceptOptions,
      queue: StagingQueue,
      target: StagedEventTarget,
    ) {
      recorder.install(queue);
      recorder.register(target);
      const result = webSocket.accept(stream, options, queue, target);
      if (typeof result !== "number") recorder.register(result);
      recorder.result(typeof result === "number" ? result : 0);
      return result;
    },
    listen(request: WebSocketListenRequest, queue: StagingQueue, target: StagedEventTarget) {
      recorder.install(queue);
      recorder.register(target);
      const result = webSocket.listen(request, queue, target);
      recorder.result(typeof result === "number" ? result : { localPort: result.localPort });
      return result;
    },
    prepareFrame: (data: Uint8Array, text: boolean) => webSocket.prepareFrame(data, text),
  };
  const recordedTcp: TcpTransport | null =
    tcp === null
      ? null
      : {
          connect(request: TcpConnectRequest, queue: StagingQueue, target: StagedEventTarget) {
            recorder.install(queue);
            recorder.register(target);
            const connection = tcp.connect(request, queue, target);
            recorder.register(connection);
            return connection;
          },
          listen(port: number, bindAddress: string, queue: StagingQueue, target: StagedEventTarget) {
            recorder.install(queue);
            recorder.register(target);
            const result = tcp.listen(port, bindAddress, queue, target);
            recorder.result(typeof result === "number" ? result : { localPort: result.localPort });
            return result;
          },
        };
  const http = transport.http;
  const recordedHttp: HttpTransport = {
    start(request: HttpExchangeRequest, queue: StagingQueue, target: StagedEventTarget) {
      recorder.install(queue);
      recorder.register(target);
      const exchange = http.start(request, queue, target);
      recorder.register(exchange);
      return exchange;
    },
  };
  return {
    platform: transport.platform,
    now: () => transport.now(),
    random: recorder.recordedRandom(transport.random),
    tcp: recordedTcp,
    webSocket: recordedWebSocket,
    http: recordedHttp,
    adopt: (queue: StagingQueue, target: StagedEventTarget) => recorder.adopt(queue, target),
  };
}

/**
 * A plain `ws://` client over the platform's TCP, speaking gdnet's own WebSocket as the
 * platform's WebSocket transport does, with its handshake key written down: the replay
 * must send the same key to accept the recorded answer.
 */
function recordedClient(
  tcp: TcpTransport,
  recorder: Recorder,
  request: WebSocketConnectRequest,
  queue: StagingQueue,
  target: StagedEventTarget,
): WebSocketConnection {
  const platform: StreamWebSocketPlatform = {
    nextMask: () => globalThis.crypto.getRandomValues(new Uint8Array(4)),
    handshakeKey: () => {
      const key = globalThis.crypto.getRandomValues(new Uint8Array(16));
      recorder.result(key);
      return key;
    },
    allocate: (size) => new Uint8Array(size),
  };
  const webSocket = new StreamWebSocket(platform, true, queue, target);
  const stream = tcp.connect({ host: request.host, port: request.port }, queue, webSocket);
  stream.setNoDelay(true);
  webSocket.startClient(
    stream,
    request.hostHeader,
    request.path,
    request.protocols,
    request.headers,
    request.maxPayload,
  );
  return webSocket;
}

/** A connection whose buffered amount and queued messages are written down as they are read. */
class RecordedReadings implements WebSocketConnection {
  readonly #connection: WebSocketConnection;
  readonly #recorder: Recorder;

  constructor(connection: WebSocketConnection, recorder: Recorder) {
    this.#connection = connection;
    this.#recorder = recorder;
  }

  get bufferedAmount(): number {
    return this.#recorder.observe(this.#connection.bufferedAmount);
  }

  get queuedMessages(): number {
    return this.#recorder.observe(this.#connection.queuedMessages);
  }

  send(data: Uint8Array, text: boolean): void {
    this.#connection.send(data, text);
  }

  sendPrepared(frame: PreparedFrame): void {
    this.#connection.sendPrepared(frame);
  }

  ping(): void {
    this.#connection.ping();
  }

  close(code: number, reason: string): void {
    this.#connection.close(code, reason);
  }

  shutdown(code: number, reason: string): void {
    this.#connection.shutdown(code, reason);
  }

  destroy(): void {
    this.#connection.destroy();
  }

  flush(): void {
    this.#connection.flush();
  }

  setNoDelay(enabled: boolean): void {
    this.#connection.setNoDelay(enabled);
  }

  setReceiving(enabled: boolean): void {
    this.#connection.setReceiving(enabled);
  }
}
