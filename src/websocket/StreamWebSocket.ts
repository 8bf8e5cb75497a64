// Why this file is long: it is one connection's state machine (the client and server
// handshakes, then the frames both ways, then the closing handshake), which reads best
// in one place; the framing is in frames.ts and the HTTP heads in handshake.ts.
import { utf8Encode } from "../core/bytes.js";
import { STAGING_BYTES_LIMIT } from "../core/StagingBudget.js";
import type { StagedEventTarget, StagingQueue } from "../core/StagingQueue.js";
import {
  STREAM_CONNECTED,
  STREAM_DATA,
  STREAM_END,
  STREAM_ERROR,
  type StreamConnection,
  type StreamEndpoints,
} from "../transport/tcp.js";
import {
  type PreparedFrame,
  type WebSocketAcceptOptions,
  type WebSocketConnection,
  type WebSocketHandshake,
  WS_CLOSE_REQUEST,
  WS_CLOSED,
  WS_FAILED,
  WS_MESSAGE,
  WS_OPEN,
  WS_PONG,
  WS_SERVER_REFUSED,
  WS_SERVER_REQUEST,
} from "../transport/websocket.js";
import {
  closePayload,
  encodeFrame,
  FrameDecoder,
  type FrameHandler,
  OPCODE_BINARY,
  OPCODE_CLOSE,
  OPCODE_PING,
  OPCODE_PONG,
  OPCODE_TEXT,
} from "./frames.js";
import {
  base64,
  buildClientRequest,
  buildRefusal,
  buildServerResponse,
  checkClientRequest,
  checkServerResponse,
  HeadReader,
  latin1Bytes,
  parseHead,
  selectProtocol,
} from "./handshake.js";

/*
 * A WebSocket over any byte stream of the transport interface: the HTTP/1.1 upgrade and
 * RFC 6455 frames, both directions, spoken by gdnet itself. The in-memory network and
 * Node's sockets (plain and TLS) both run it, so the two behave alike by construction,
 * and every byte a connection sends (data, ping, pong, close) leaves through one
 * writer, its stream, in the order it was produced.
 *
 * It does its work when its owner polls: the stream stages received bytes into the
 * owner's queue with this object as the target, and this object parses them and applies
 * the WebSocket events they make to its own target at once (Godot parses frames inside
 * `poll()` too).
 */

/** What a platform supplies to a {@link StreamWebSocket}. */
export interface StreamWebSocketPlatform {
  /**
   * Four fresh mask bytes for a client frame, valid until the next call. Node draws them
   * from its secure generator; the in-memory network from its seeded source, so its runs
   * repeat.
   */
  nextMask(): Uint8Array;
  /** Sixteen bytes for a client's `Sec-WebSocket-Key`. */
  handshakeKey(): Uint8Array;
  /** Memory for an encoded frame (Node hands out pooled `Buffer`s). */
  allocate(size: number): Uint8Array;
}

/** Where a connection is in its life. */
enum Phase {
  Connecting,
  AwaitingResponse,
  AwaitingRequest,
  Deciding,
  Open,
  Done,
}

const EMPTY = new Uint8Array(0);
/**
 * A ping is not answered while this many bytes wait to be sent: a remote that floods
 * pings and never reads would otherwise grow the pong backlog without bound. RFC 6455
 * lets an endpoint answer only the most recent of several pings.
 */
export const PONG_BACKLOG_LIMIT = 64 * 1024;
const EMPTY_HEADERS: ReadonlyMap<string, string> = new Map();

/** One WebSocket, client or server side, over a {@link StreamConnection}. */
export class StreamWebSocket
  implements WebSocketConnection, WebSocketHandshake, StagedEventTarget, FrameHandler
{
  readonly #platform: StreamWebSocketPlatform;
  readonly #client: boolean;
  #stream: StreamConnection | null = null;
  #queue: StagingQueue;
  #target: StagedEventTarget;
  #phase: Phase;
  #head: HeadReader | null = new HeadReader();
  #decoder: FrameDecoder | null = null;
  #maxPayload = 0;
  #secure = false;
  /** Server side with `acceptStream`: decide by these options instead of asking a server. */
  #autoAccept: WebSocketAcceptOptions | null = null;
  #key = "";
  #offered: readonly string[] = [];
  #requestHeaders: readonly string[] = [];
  #hostHeader = "";
  #requestPath = "";
  #held: Uint8Array = EMPTY;
  #closeSent = false;
  #closeReceived = false;
  #receivedCode = 1005;
  #receivedReason = "";
  #reporting = true;
  #settled = false;
  /** The owner does not read: frames already received wait unparsed. */
  #ownerPaused = false;
  /** The stream ended: what it brought is parsed whatever the frame budget says. */
  #draining = false;
  /** Whether the stream was last told to read (streams start reading). */
  #reading = true;
  path = "";
  headers: ReadonlyMap<string, string> = EMPTY_HEADERS;
  protocols: readonly string[] = [];
  remoteAddress = "";
  remotePort = 0;

  constructor(
    platform: StreamWebSocketPlatform,
    client: boolean,
    queue: StagingQueue,
    target: StagedEventTarget,
  ) {
    this.#platform = platform;
    this.#client = client;
    this.#queue = queue;
    this.#target = target;
    this.#phase = client ? Phase.Connecting : Phase.AwaitingRequest;
  }

  /** Client side: what to ask for once the stream is up, and the stream that will carry it. */
  startClient(
    stream: StreamConnection,
    hostHeader: string,
    path: string,
    protocols: readonly string[],
    headers: readonly string[],
    maxPayload: number,
  ): void {
    this.#stream = stream;
    this.#hostHeader = hostHeader;
    this.#requestPath = path;
    this.#offered = protocols.slice();
    this.#requestHeaders = headers.slice();
    this.#maxPayload = maxPayload;
  }

  /**
   * Server side: the stream of an accepted connection (already staging into this
   * object's queue with this object as target, or about to), and how to decide: `null`
   * asks the server (WS_SERVER_REQUEST), options accept by Godot's rules and report to
   * the peer (`acceptStream`).
   */
  serve(
    stream: StreamConnection,
    endpoints: StreamEndpoints,
    autoAccept: WebSocketAcceptOptions | null,
    secure: boolean,
  ): void {
    this.#stream = stream;
    this.remoteAddress = endpoints.remoteAddress;
    this.remotePort = endpoints.remotePort;
    this.#autoAccept = autoAccept;
    this.#secure = secure;
    // A server's connection reports to its peer only once accepted; until then the
    // server learns of it through `settled`.
    this.#reporting = autoAccept !== null;
  }

  get settled(): boolean {
    return this.#settled;
  }

  get bufferedAmount(): number {
    return this.#stream?.bufferedAmount ?? 0;
  }

  get queuedMessages(): number {
    return this.#stream?.queuedWrites ?? 0;
  }

  /** Applies one staged stream event (inside the owner's poll). */
  applyStagedEvent(kind: number, a: unknown, b: unknown): void {
    void b;
    if (this.#stream === null) return;
    switch (kind) {
      case STREAM_CONNECTED:
        if (this.#phase !== Phase.Connecting) return;
        this.#phase = Phase.AwaitingResponse;
        this.#sendRequest(a as StreamEndpoints);
        return;
      case STREAM_DATA:
        this.#receive(a as Uint8Array);
        return;
      case STREAM_END:
      case STREAM_ERROR:
        // Frames that arrived before the end come first, budget or not.
        if (this.#phase === Phase.Open && !this.#ownerPaused && this.#decoder!.pendingBytes > 0) {
          this.#draining = true;
          this.#decoder!.push(EMPTY, this);
        }
        this.#lost();
        return;
    }
  }

  accept(
    protocol: string,
    options: WebSocketAcceptOptions,
    queue: StagingQueue,
    target: StagedEventTarget,
  ): WebSocketConnection {
    this.#queue = queue;
    this.#target = target;
    this.#reporting = true;
    this.#open(protocol, options, false);
    return this;
  }

  refuse(status: number): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#reporting = false;
    this.#phase = Phase.Done;
    this.#stream?.write(latin1Bytes(buildRefusal(status)), true);
    this.#closeStream();
  }

  send(data: Uint8Array, text: boolean): void {
    this.#write(text ? OPCODE_TEXT : OPCODE_BINARY, data);
  }

  sendPrepared(frame: PreparedFrame): void {
    if (this.#phase === Phase.Open && !this.#closeSent) this.#stream?.write(frame as Uint8Array, true);
  }

  ping(): void {
    this.#write(OPCODE_PING, EMPTY);
  }

  close(code: number, reason: string): void {
    if (this.#phase !== Phase.Open || this.#closeSent) return;
    this.#sendClose(code, utf8Encode(reason));
  }

  shutdown(code: number, reason: string): void {
    if (this.#phase === Phase.Open && !this.#closeSent) this.#sendClose(code, utf8Encode(reason));
    this.#reporting = false;
    this.#phase = Phase.Done;
    this.#closeStream();
  }

  destroy(): void {
    this.#settled = true;
    this.#reporting = false;
    this.#phase = Phase.Done;
    const stream = this.#stream;
    this.#stream = null;
    stream?.destroy();
  }

  flush(): void {
    this.#stream?.flush();
  }

  abortWhenCollected(owner: object): void {
    this.#stream?.abortWhenCollected?.(owner);
  }

  setNoDelay(enabled: boolean): void {
    this.#stream?.setNoDelay(enabled);
  }

  /**
   * Whether parsing stops after the current frame: the owner does not read, or its poll
   * has spent its frame budget (SPEC §1.3; the rest is parsed at a later poll).
   */
  get receivingPaused(): boolean {
    return this.#ownerPaused || (this.#queue.exhausted && !this.#draining);
  }

  setReceiving(enabled: boolean): void {
    this.#ownerPaused = !enabled;
    this.#updateReading();
    // Frames held while paused are parsed at the owner's next poll.
    if (enabled && (this.#decoder?.pendingBytes ?? 0) > 0) this.#queue.push(this, STREAM_DATA, EMPTY);
  }

  /**
   * Reads from the stream while the owner reads and the received bytes not parsed yet
   * stay under the staging cap. Those bytes count against it: an owner that takes one
   * message per poll would otherwise let the stream read (and stage) a budget's worth
   * per poll on top of what waits unparsed, without bound.
   */
  #updateReading(): void {
    const wanted = !this.#ownerPaused && (this.#decoder?.pendingBytes ?? 0) < STAGING_BYTES_LIMIT;
    if (wanted === this.#reading) return;
    this.#reading = wanted;
    this.#stream?.setReceiving(wanted);
  }

  onMessage(data: Uint8Array, isText: boolean): void {
    this.#queue.spend(1);
    this.#report(WS_MESSAGE, data, isText);
  }

  onPing(data: Uint8Array): void {
    this.#queue.spend(1);
    if (this.#closeSent || (this.#stream?.bufferedAmount ?? 0) > PONG_BACKLOG_LIMIT) return;
    this.#write(OPCODE_PONG, data);
  }

  onPong(): void {
    this.#queue.spend(1);
    this.#report(WS_PONG);
  }

  onClose(code: number, reason: string): void {
    this.#closeReceived = true;
    this.#receivedCode = code;
    this.#receivedReason = reason;
    this.#report(WS_CLOSE_REQUEST, code, reason);
    if (!this.#closeSent) this.#sendClose(code, code === 1005 ? null : utf8Encode(reason));
    // Both close frames are through: the closing handshake is complete.
    this.#finish(WS_CLOSED, code, reason);
  }

  onFailure(code: number, reason: string): void {
    if (!this.#closeSent) this.#sendClose(code, EMPTY);
    this.#finish(WS_FAILED, code, reason);
  }

  #receive(chunk: Uint8Array): void {
    switch (this.#phase) {
      case Phase.AwaitingResponse:
      case Phase.AwaitingRequest: {
        const result = this.#head!.push(chunk);
        if (result === null) return;
        this.#head = null;
        if (result === "too-big") {
          this.#failHandshake(400, "HTTP head over 4096 bytes");
          return;
        }
        if (this.#client) this.#checkResponse(result.head, result.rest);
        else this.#checkRequest(result.head, result.rest);
        return;
      }
      case Phase.Deciding:
        this.#held = concat(this.#held, chunk);
        return;
      case Phase.Open: {
        const decoder = this.#decoder!;
        decoder.push(chunk, this);
        this.#updateReading();
        // The frame budget stopped parsing: go on at the next poll, after what others staged.
        if (decoder.pendingBytes > 0 && !this.#ownerPaused && this.#queue.exhausted && !decoder.stopped) {
          this.#queue.push(this, STREAM_DATA, EMPTY);
        }
        return;
      }
    }
  }

  #sendRequest(endpoints: StreamEndpoints): void {
    this.remoteAddress = endpoints.remoteAddress;
    this.remotePort = endpoints.remotePort;
    this.#key = base64(this.#platform.handshakeKey());
    const request = buildClientRequest({
      host: this.#hostHeader,
      path: this.#requestPath,
      key: this.#key,
      protocols: this.#offered,
      headers: this.#requestHeaders,
    });
    this.#stream!.write(latin1Bytes(request), true);
  }

  #checkResponse(text: string, rest: Uint8Array): void {
    const head = parseHead(text);
    const protocol = head === null ? null : checkServerResponse(head, this.#key, this.#offered);
    if (protocol === null) {
      // The status line says why when the server refused (a 400 or 503, say).
      const statusLine = text.slice(0, Math.max(0, text.indexOf("\r\n")) || text.length);
      const refused = head !== null && head.startLine[1] !== "101";
      this.#failHandshake(0, refused ? statusLine.slice(0, 123) : "");
      return;
    }
    this.#phase = Phase.Open;
    this.#decoder = new FrameDecoder(false, this.#maxPayload);
    this.#report(WS_OPEN, protocol, { remoteAddress: this.remoteAddress, remotePort: this.remotePort });
    if (rest.byteLength > 0) this.#decoder.push(rest, this);
  }

  #checkRequest(text: string, rest: Uint8Array): void {
    const head = parseHead(text);
    const request = head === null ? 400 : checkClientRequest(head);
    if (typeof request === "number") {
      this.#failHandshake(
        request,
        request === 426 ? "unsupported WebSocket version" : "malformed upgrade request",
      );
      return;
    }
    this.path = request.path;
    this.headers = request.headers;
    this.protocols = request.protocols;
    this.#key = request.key;
    this.#held = rest;
    const options = this.#autoAccept;
    if (options === null) {
      this.#phase = Phase.Deciding;
      this.#target.applyStagedEvent(WS_SERVER_REQUEST, this, undefined);
      return;
    }
    const protocol = selectProtocol(request.protocols, options.protocols);
    if (protocol === null) {
      this.#failHandshake(400, "no common subprotocol");
      return;
    }
    this.#open(protocol, options, true);
  }

  /** Server side: writes the 101 and starts reading frames. */
  #open(protocol: string, options: WebSocketAcceptOptions, report: boolean): void {
    this.#settled = true;
    this.#phase = Phase.Open;
    this.#stream!.write(latin1Bytes(buildServerResponse(this.#key, protocol, options.headers)), true);
    this.#decoder = new FrameDecoder(true, options.maxPayload);
    const held = this.#held;
    this.#held = EMPTY;
    if (report) {
      const url = `${this.#secure ? "wss" : "ws"}://${this.headers.get("host") ?? ""}${this.path}`;
      this.#report(WS_OPEN, protocol, {
        remoteAddress: this.remoteAddress,
        remotePort: this.remotePort,
        requestedUrl: url,
      });
    }
    // Frames that came with the request are parsed at the owner's next poll, when the
    // new target is ready for them.
    if (held.byteLength > 0) this.#queue.push(this, STREAM_DATA, held);
  }

  /**
   * The handshake failed. Server side (`status` > 0): answer with that HTTP error and tell
   * the server why (a peer of `acceptStream` learns it as its close reason); client side:
   * `reason` is the server's status line when it refused.
   */
  #failHandshake(status: number, reason: string): void {
    this.#settled = true;
    if (status > 0) {
      this.#stream?.write(latin1Bytes(buildRefusal(status)), true);
      const why = `${reason} (HTTP ${status})`;
      if (!this.#reporting) this.#target.applyStagedEvent(WS_SERVER_REFUSED, this, why);
      this.#finish(WS_CLOSED, -1, why);
      return;
    }
    this.#finish(WS_CLOSED, -1, reason);
  }

  /** The stream ended or broke. */
  #lost(): void {
    if (this.#phase === Phase.Done) return;
    this.#settled = true;
    if (this.#closeReceived) this.#finish(WS_CLOSED, this.#receivedCode, this.#receivedReason);
    else this.#finish(WS_CLOSED, -1, "");
  }

  #sendClose(code: number, reason: Uint8Array | null): void {
    this.#closeSent = true;
    this.#write(OPCODE_CLOSE, reason === null ? EMPTY : closePayload(code, reason), true);
  }

  #write(opcode: number, payload: Uint8Array, force = false): void {
    if (this.#phase !== Phase.Open || (this.#closeSent && !force) || this.#stream === null) return;
    const platform = this.#platform;
    this.#stream.write(
      encodeFrame(opcode, payload, this.#client ? platform.nextMask() : null, platform.allocate),
      true,
    );
  }

  /** Reports the terminal event and lets go of the stream. */
  #finish(kind: number, code: number, reason: string): void {
    this.#phase = Phase.Done;
    this.#closeStream();
    this.#report(kind, code, reason);
    this.#reporting = false;
  }

  #closeStream(): void {
    const stream = this.#stream;
    this.#stream = null;
    stream?.close();
  }

  #report(kind: number, a?: unknown, b?: unknown): void {
    if (this.#reporting) this.#target.applyStagedEvent(kind, a, b);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.byteLength === 0) return b;
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}

/**
 * The server side of `acceptStream` on any transport: a WebSocket over `connection`
 * (taken from a `StreamPeerTCP`), deciding by `options`; bytes the stream had received
 * already are parsed first, at the owner's next poll.
 */
export function acceptOverStream(
  platform: StreamWebSocketPlatform,
  connection: StreamConnection,
  buffered: Uint8Array,
  endpoints: StreamEndpoints,
  options: WebSocketAcceptOptions,
  queue: StagingQueue,
  target: StagedEventTarget,
): StreamWebSocket {
  const socket = new StreamWebSocket(platform, false, queue, target);
  socket.serve(
    connection,
    endpoints,
    {
      protocols: options.protocols.slice(),
      headers: options.headers.slice(),
      maxPayload: options.maxPayload,
    },
    false,
  );
  if (buffered.byteLength > 0) queue.push(socket, STREAM_DATA, buffered);
  connection.attach(queue, socket);
  connection.setReceiving(true);
  return socket;
}
