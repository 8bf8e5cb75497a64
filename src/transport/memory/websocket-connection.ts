import { utf8Encode } from "../../core/bytes.js";
import type { StagedEventTarget, StagingQueue } from "../../core/StagingQueue.js";
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
} from "../../websocket/frames.js";
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
} from "../../websocket/handshake.js";
import { STREAM_CONNECTED, STREAM_DATA, STREAM_END, STREAM_ERROR, type StreamEndpoints } from "../tcp.js";
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
  WS_SERVER_REQUEST,
} from "../websocket.js";
import type { MemoryHost } from "./network.js";
import type { MemoryStreamConnection } from "./tcp.js";

/** Where a memory WebSocket is in its life. */
enum Phase {
  Connecting,
  AwaitingResponse,
  AwaitingRequest,
  Deciding,
  Open,
  Done,
}

const EMPTY = new Uint8Array(0);
const EMPTY_HEADERS: ReadonlyMap<string, string> = new Map();

/**
 * One WebSocket on a {@link MemoryNetwork}, speaking the real protocol (HTTP/1.1 upgrade,
 * RFC 6455 frames) over a memory TCP connection, so a raw `StreamPeerTCP` can talk to it
 * and bandwidth, faults and junk input behave as on a real network.
 *
 * It processes bytes when its owner polls: the memory stream stages them into the
 * owner's queue with this object as the target, and this object parses them and applies
 * the resulting WebSocket events to its own target at once (Godot processes frames in
 * `poll()` too). Events it makes outside a drain (bytes known before the owner polls)
 * are staged instead.
 */
export class MemoryWebSocket
  implements WebSocketConnection, WebSocketHandshake, StagedEventTarget, FrameHandler
{
  readonly #host: MemoryHost;
  readonly #client: boolean;
  #stream: MemoryStreamConnection | null = null;
  #queue: StagingQueue;
  #target: StagedEventTarget;
  #phase: Phase;
  #head = new HeadReader();
  #decoder: FrameDecoder | null = null;
  #maxPayload = 0;
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
  receivingPaused = false;
  path = "";
  headers: ReadonlyMap<string, string> = EMPTY_HEADERS;
  protocols: readonly string[] = [];
  remoteAddress = "";
  remotePort = 0;

  constructor(host: MemoryHost, client: boolean, queue: StagingQueue, target: StagedEventTarget) {
    this.#host = host;
    this.#client = client;
    this.#queue = queue;
    this.#target = target;
    this.#phase = client ? Phase.Connecting : Phase.AwaitingRequest;
  }

  /** @internal Client side: what to ask for once the TCP connection is up. */
  prepareRequest(
    hostHeader: string,
    path: string,
    protocols: readonly string[],
    headers: readonly string[],
    maxPayload: number,
  ): void {
    this.#hostHeader = hostHeader;
    this.#requestPath = path;
    this.#offered = protocols.slice();
    this.#requestHeaders = headers.slice();
    this.#maxPayload = maxPayload;
  }

  /** @internal Server side: the stream of an accepted connection, and how to decide (null: ask the server). */
  serve(
    stream: MemoryStreamConnection,
    endpoints: StreamEndpoints,
    autoAccept: WebSocketAcceptOptions | null,
  ): void {
    this.#stream = stream;
    this.remoteAddress = endpoints.remoteAddress;
    this.remotePort = endpoints.remotePort;
    this.#autoAccept = autoAccept;
    // A server's connection reports to its peer only once accepted; until then the
    // server learns of it through `settled`.
    this.#reporting = autoAccept !== null;
  }

  /** @internal The client's stream, once `connect` made it. */
  setStream(stream: MemoryStreamConnection): void {
    this.#stream = stream;
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

  /** @internal Applies one staged stream event (inside the owner's poll). */
  applyStagedEvent(kind: number, a: unknown): void {
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
    this.#stream?.write(latin1Bytes(buildRefusal(status)));
    this.#closeStream();
  }

  send(data: Uint8Array, text: boolean): void {
    this.#write(text ? OPCODE_TEXT : OPCODE_BINARY, data);
  }

  sendPrepared(frame: PreparedFrame): void {
    if (this.#phase === Phase.Open && !this.#closeSent) this.#stream?.write(frame as Uint8Array);
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
    this.#closeStream();
  }

  destroy(): void {
    this.#settled = true;
    this.#reporting = false;
    this.#closeStream();
  }

  flush(): void {}

  setNoDelay(_enabled: boolean): void {}

  setReceiving(enabled: boolean): void {
    this.receivingPaused = !enabled;
    this.#stream?.setReceiving(enabled);
    // Frames held while paused are parsed at the owner's next poll.
    if (enabled && (this.#decoder?.pendingBytes ?? 0) > 0) this.#queue.push(this, STREAM_DATA, EMPTY);
  }

  onMessage(data: Uint8Array, isText: boolean): void {
    this.#report(WS_MESSAGE, data, isText);
  }

  onPing(data: Uint8Array): void {
    if (!this.#closeSent) this.#write(OPCODE_PONG, data);
  }

  onPong(): void {
    this.#report(WS_PONG);
  }

  onClose(code: number, reason: string): void {
    this.#closeReceived = true;
    this.#receivedCode = code;
    this.#receivedReason = reason;
    this.#report(WS_CLOSE_REQUEST, code, reason);
    if (!this.#closeSent) {
      this.#sendClose(code, code === 1005 ? null : utf8Encode(reason));
    }
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
        const result = this.#head.push(chunk);
        if (result === null) return;
        if (result === "too-big") {
          this.#failHandshake(400);
          return;
        }
        if (this.#client) this.#checkResponse(result.head, result.rest);
        else this.#checkRequest(result.head, result.rest);
        return;
      }
      case Phase.Deciding:
        this.#held = concat(this.#held, chunk);
        return;
      case Phase.Open:
        this.#decoder!.push(chunk, this);
        return;
    }
  }

  #sendRequest(endpoints: StreamEndpoints): void {
    this.remoteAddress = endpoints.remoteAddress;
    this.remotePort = endpoints.remotePort;
    const random = this.#host.random;
    const keyBytes = new Uint8Array(16);
    const view = new DataView(keyBytes.buffer);
    for (let i = 0; i < 16; i += 4) view.setUint32(i, random.nextUint32());
    this.#key = base64(keyBytes);
    const request = buildClientRequest({
      host: this.#hostHeader,
      path: this.#requestPath,
      key: this.#key,
      protocols: this.#offered,
      headers: this.#requestHeaders,
    });
    this.#stream!.write(latin1Bytes(request));
  }

  #checkResponse(text: string, rest: Uint8Array): void {
    const head = parseHead(text);
    const protocol = head === null ? null : checkServerResponse(head, this.#key, this.#offered);
    if (protocol === null) {
      this.#failHandshake(0);
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
      this.#failHandshake(request);
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
      this.#failHandshake(400);
      return;
    }
    this.#open(protocol, options, true);
  }

  /** Server side: writes the 101 and starts reading frames. */
  #open(protocol: string, options: WebSocketAcceptOptions, report: boolean): void {
    this.#settled = true;
    this.#phase = Phase.Open;
    this.#stream!.write(latin1Bytes(buildServerResponse(this.#key, protocol, options.headers)));
    this.#decoder = new FrameDecoder(true, options.maxPayload);
    const held = this.#held;
    this.#held = EMPTY;
    if (report) {
      const url = `ws://${this.headers.get("host") ?? ""}${this.path}`;
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

  /** The handshake failed: answer a server-side failure with `status`, then close. */
  #failHandshake(status: number): void {
    if (status > 0) this.#stream?.write(latin1Bytes(buildRefusal(status)));
    this.#settled = true;
    this.#finish(WS_CLOSED, -1, "");
  }

  /** The TCP connection ended or broke. */
  #lost(): void {
    if (this.#phase === Phase.Done) return;
    this.#settled = true;
    this.#closeStream();
    if (this.#closeReceived) this.#finish(WS_CLOSED, this.#receivedCode, this.#receivedReason);
    else this.#finish(WS_CLOSED, -1, "");
  }

  #sendClose(code: number, reason: Uint8Array | null): void {
    this.#closeSent = true;
    this.#write(OPCODE_CLOSE, reason === null ? EMPTY : closePayload(code, reason), true);
  }

  #write(opcode: number, payload: Uint8Array, force = false): void {
    if (this.#phase !== Phase.Open || (this.#closeSent && !force) || this.#stream === null) return;
    let mask: Uint8Array | null = null;
    if (this.#client) {
      mask = new Uint8Array(4);
      new DataView(mask.buffer).setUint32(0, this.#host.random.nextUint32());
    }
    this.#stream.write(encodeFrame(opcode, payload, mask));
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
