// Why this file is long: it is one transport (TCP, WebSocket and HTTP calls answered from the recording) plus the reader that walks the recording, drains of adopted queues included; split, each part would reach into the other's cursor.
import { RandomSource } from "../core/Random.js";
import type { StagedEventTarget, StagingQueue, StagingTap } from "../core/StagingQueue.js";
import { ErrorCode } from "../ErrorCode.js";
import type { HttpExchange, HttpTransport } from "../transport/http.js";
import type { Transport } from "../transport/Transport.js";
import { LISTENER_CONNECTION, type TcpTransport } from "../transport/tcp.js";
import {
  type WebSocketConnection,
  type WebSocketConnectRequest,
  type WebSocketListenRequest,
  type WebSocketTransport,
  WS_SERVER_INCOMING,
} from "../transport/websocket.js";
import { encodeFrame, OPCODE_BINARY, OPCODE_TEXT } from "../websocket/frames.js";
import { StreamWebSocket } from "../websocket/StreamWebSocket.js";
import {
  CLOCK,
  DRAIN,
  DRAIN_OF,
  EntryReader,
  EVENT,
  isRecordedConnection,
  MAGIC,
  POLL,
  RANDOM,
  READ,
  RESULT,
  TAG_NAMES,
} from "./format.js";
import {
  ReplayStreamConnection,
  ReplayWebSocketConnection,
  replayWebSocketPlatform,
} from "./ReplayConnections.js";

/*
 * A recording played back as a transport with no network at all: the recorded object's
 * polls, drains, clock readings, random draws, live readings and call results come back
 * in recorded order, and the recorded events are staged into its queue at the drains
 * where they landed. The object's own code (and gdnet's WebSocket protocol code) runs as
 * it did, so it makes the same observations.
 */

interface Entry {
  tag: number;
  value: unknown;
  id: number;
  kind: number;
  b: unknown;
}

const FIRST_CALL_ID = 2;

/**
 * Plays a recording (from a {@link Recorder}) back: pass it as the `network` option of the
 * same class with the same settings and calls (`new WebSocketServer({ network: replay })`),
 * then {@link Replay.step} (or call the object's `poll()`) as many times as
 * {@link Replay.polls}. Every poll makes the observations of the recorded poll: states,
 * packets, signals, close codes, HTTP results, the clock. No socket is opened. If the
 * object asks for something the recording does not have next (other code, other
 * settings), the replay stops feeding it and says where in {@link Replay.diverged}.
 * gdnet addition.
 */
export class Replay implements Transport {
  /** The platform the recording was made on. gdnet addition. */
  readonly platform: "node" | "browser" | "memory";
  /** Random draws, answered from the recording. gdnet addition. */
  readonly random: RandomSource;
  /** TCP calls, answered from the recording. gdnet addition. */
  readonly tcp: TcpTransport;
  /** WebSocket calls, answered from the recording. gdnet addition. */
  readonly webSocket: WebSocketTransport;
  /** HTTP calls, answered from the recording. gdnet addition. */
  readonly http: HttpTransport;
  readonly #entries: Entry[] = [];
  readonly #polls: number;
  #at = 0;
  #pollIndex = 0;
  #pending: Entry[] = [];
  #diverged: string | null = null;
  #lastClock = 0;
  #owner: { poll(): unknown } | null = null;
  readonly #objects = new Map<number, object>();
  #nextCallId = FIRST_CALL_ID;
  #queue: StagingQueue | null = null;
  /** The adopted queue (see `adopt`) each handed-out peer stages into, by number; the object's own is 0. */
  readonly #queueOf = new WeakMap<object, number>();
  #adoptedQueues = 0;
  #secure = false;

  /** A replay of `recording` (the bytes a {@link Recorder} wrote). Throws `TypeError` for bytes that are no recording. gdnet addition. */
  constructor(recording: Uint8Array) {
    const reader = new EntryReader(recording);
    if (reader.atEnd || reader.string() !== MAGIC) throw new TypeError("not a gdnet recording");
    const platform = reader.atEnd ? "node" : reader.string();
    this.platform = platform === "browser" || platform === "memory" ? platform : "node";
    let polls = 0;
    // A recording cut short (a process that died) replays up to its last whole entry.
    try {
      while (!reader.atEnd) {
        const start = reader.offset;
        const tag = reader.tag();
        const entry: Entry = { tag, value: undefined, id: 0, kind: 0, b: undefined };
        if (tag === CLOCK) entry.value = reader.float();
        else if (tag === RANDOM || tag === READ || tag === DRAIN_OF) entry.value = reader.uint();
        else if (tag === RESULT) entry.value = reader.value();
        else if (tag === EVENT) {
          entry.id = reader.uint();
          entry.kind = reader.uint();
          entry.value = reader.value();
          entry.b = reader.value();
        } else if (tag === POLL) polls++;
        else if (tag !== DRAIN) throw new RangeError(`unknown entry at byte ${start}`);
        this.#entries.push(entry);
      }
    } catch {
      // Keep what was read whole.
    }
    this.#polls = polls;
    this.random = replayRandom(this);
    this.tcp = this.#tcp();
    this.webSocket = this.#webSocket();
    this.http = this.#http();
  }

  /** Polls recorded. gdnet addition. */
  get polls(): number {
    return this.#polls;
  }

  /** Polls replayed so far. gdnet addition. */
  get pollIndex(): number {
    return this.#pollIndex;
  }

  /** Where the object left the recording's path (`null` while it follows it). gdnet addition. */
  get diverged(): string | null {
    return this.#diverged;
  }

  /** The recorded clock: the next reading the object made at this point. gdnet addition. */
  now(): number {
    const entry = this.#take(CLOCK);
    if (entry !== null) this.#lastClock = entry.value as number;
    return this.#lastClock;
  }

  /** Polls the replayed object once; `false` when every recorded poll has been replayed. gdnet addition. */
  step(): boolean {
    if (this.#pollIndex >= this.#polls || this.#owner === null || this.#diverged !== null) return false;
    this.#owner.poll();
    return true;
  }

  /** Polls the replayed object until `poll` polls have been replayed (forward only). gdnet addition. */
  seek(poll: number): void {
    while (this.#pollIndex < poll && this.step()) {}
  }

  /** @internal The replayed object: its polls follow the recorded ones. */
  attach(owner: { poll(): unknown }): void {
    if (this.#owner !== null) return;
    this.#owner = owner;
    const poll = owner.poll;
    const replay = this;
    Object.defineProperty(owner, "poll", {
      configurable: true,
      writable: true,
      value: function replayedPoll(this: { poll(): unknown }): unknown {
        // Counted even off the path, so a loop up to `polls` ends.
        replay.#take(POLL);
        replay.#pollIndex++;
        return poll.call(this);
      },
    });
  }

  /** @internal The next recorded live reading. */
  read(): number {
    return (this.#take(READ)?.value as number | undefined) ?? 0;
  }

  /** @internal The next recorded random draw. */
  draw(): number {
    return (this.#take(RANDOM)?.value as number | undefined) ?? 0;
  }

  /** A client's platform: its handshake key is the recorded one, so the recorded answer fits. */
  #clientPlatform(): typeof replayWebSocketPlatform {
    return {
      ...replayWebSocketPlatform,
      handshakeKey: () => {
        const key = this.#result();
        return key instanceof Uint8Array ? key : new Uint8Array(16);
      },
    };
  }

  #result(): unknown {
    return this.#take(RESULT)?.value;
  }

  #register(object: object): void {
    this.#objects.set(this.#nextCallId, object);
    this.#nextCallId += 2;
  }

  #install(queue: StagingQueue): void {
    if (this.#queue !== null) return;
    this.#queue = queue;
    queue.tap = new ReplayTap(this, 0, queue);
  }

  /**
   * @internal A connection the replayed object handed out (a `TCPServer`'s, taken as a
   * `StreamPeerTCP`) stages into `queue` for `target` from now on, as it did when recorded.
   */
  adopt(queue: StagingQueue, target: object): void {
    this.#register(target);
    if (queue === this.#queue) return;
    const index = ++this.#adoptedQueues;
    this.#queueOf.set(target, index);
    queue.tap = new ReplayTap(this, index, queue);
  }

  /** @internal Whether the next step of queue `index` is a drain (a queue that looks empty drains anyway). */
  drainIsNext(index: number): boolean {
    if (this.#diverged !== null) return false;
    for (let i = this.#at; i < this.#entries.length; i++) {
      const entry = this.#entries[i]!;
      if (entry.tag !== EVENT)
        return index === 0 ? entry.tag === DRAIN : entry.tag === DRAIN_OF && entry.value === index;
    }
    return false;
  }

  /** @internal A drain of queue `index` starts: the events recorded for it before this drain are staged now, in order. */
  drainStarts(index: number, queue: StagingQueue): void {
    const drain = this.#take(index === 0 ? DRAIN : DRAIN_OF);
    if (drain === null) return;
    if (index !== 0 && drain.value !== index) {
      this.#diverged = `at poll ${this.#pollIndex}: handed-out peer ${index} drained, the recording has a drain of peer ${String(drain.value)}`;
      return;
    }
    const pending = this.#pending;
    this.#pending = [];
    for (const entry of pending) {
      const target = this.#objects.get(entry.id) as StagedEventTarget | undefined;
      if (target === undefined) continue;
      // Events of another queue wait for its drain.
      if ((this.#queueOf.get(target) ?? 0) !== index) {
        this.#pending.push(entry);
        continue;
      }
      queue.stageNow(target, entry.kind, this.#materialize(entry, target, queue), entry.b);
    }
  }

  /** The `a` of an event, with a connection handed over inside it made anew. */
  #materialize(entry: Entry, target: StagedEventTarget, queue: StagingQueue): unknown {
    const value = entry.value;
    if (!isRecordedConnection(value)) return value;
    if (entry.kind === WS_SERVER_INCOMING) {
      const webSocket = new StreamWebSocket(replayWebSocketPlatform, false, queue, target);
      const info = value.info;
      webSocket.serve(
        new ReplayStreamConnection(this),
        {
          localAddress: "",
          localPort: 0,
          remoteAddress: String(info.remoteAddress ?? ""),
          remotePort: Number(info.remotePort ?? 0),
        },
        null,
        this.#secure,
      );
      this.#objects.set(value.connectionId, webSocket);
      return webSocket;
    }
    if (entry.kind === LISTENER_CONNECTION) {
      const connection = new ReplayStreamConnection(this);
      this.#objects.set(value.connectionId, connection);
      return connection;
    }
    return undefined;
  }

  /** Moves to the next entry of `tag`, collecting the events on the way; `null` past the end or off the path. */
  #take(tag: number): Entry | null {
    if (this.#diverged !== null) return null;
    const entries = this.#entries;
    while (this.#at < entries.length) {
      const entry = entries[this.#at]!;
      if (entry.tag === EVENT) {
        this.#pending.push(entry);
        this.#at++;
        continue;
      }
      if (entry.tag !== tag) {
        this.#diverged = `at poll ${this.#pollIndex}: the object asked for a ${TAG_NAMES[tag]}, the recording has a ${TAG_NAMES[entry.tag]}`;
        return null;
      }
      this.#at++;
      return entry;
    }
    // Past the end: polls and readings after the recording ended are not divergences.
    return null;
  }

  #webSocket(): WebSocketTransport {
    const replay = this;
    return {
      canServe: this.platform !== "browser",
      hasTls: true,
      connect(
        request: WebSocketConnectRequest,
        queue: StagingQueue,
        target: StagedEventTarget,
      ): WebSocketConnection {
        replay.#install(queue);
        replay.#register(target);
        let connection: WebSocketConnection;
        if (replay.platform === "browser") {
          connection = new ReplayWebSocketConnection(replay);
        } else {
          const webSocket = new StreamWebSocket(replay.#clientPlatform(), true, queue, target);
          webSocket.startClient(
            new ReplayStreamConnection(replay),
            request.hostHeader,
            request.path,
            request.protocols,
            request.headers,
            request.maxPayload,
          );
          connection = webSocket;
        }
        replay.#register(connection);
        return connection;
      },
      accept(_stream, _options, queue: StagingQueue, target: StagedEventTarget) {
        replay.#install(queue);
        replay.#register(target);
        const result = replay.#result();
        return typeof result === "number" && result !== 0 ? (result as ErrorCode) : ErrorCode.ERR_UNAVAILABLE;
      },
      listen(request: WebSocketListenRequest, queue: StagingQueue, target: StagedEventTarget) {
        replay.#install(queue);
        replay.#register(target);
        replay.#secure = request.tlsKey !== null;
        return listenResult(replay.#result());
      },
      prepareFrame: (data: Uint8Array, text: boolean) =>
        encodeFrame(text ? OPCODE_TEXT : OPCODE_BINARY, data, null, replayWebSocketPlatform.allocate),
    };
  }

  #tcp(): TcpTransport {
    const replay = this;
    return {
      connect(_request, queue: StagingQueue, target: StagedEventTarget) {
        replay.#install(queue);
        replay.#register(target);
        const connection = new ReplayStreamConnection(replay);
        replay.#register(connection);
        return connection;
      },
      listen(_port, _bindAddress, queue: StagingQueue, target: StagedEventTarget) {
        replay.#install(queue);
        replay.#register(target);
        return listenResult(replay.#result());
      },
    };
  }

  #http(): HttpTransport {
    const replay = this;
    return {
      start(_request, queue: StagingQueue, target: StagedEventTarget): HttpExchange {
        replay.#install(queue);
        replay.#register(target);
        const exchange: HttpExchange = { receiveBody() {}, abort() {} };
        replay.#register(exchange);
        return exchange;
      },
    };
  }
}

/** What a recorded `listen` answered: an error code, or a listener on the recorded port. */
function listenResult(result: unknown): ErrorCode | { localPort: number; close(): void } {
  if (typeof result === "number") return result as ErrorCode;
  const localPort = Number((result as { localPort?: unknown } | undefined)?.localPort ?? 0);
  return { localPort, close() {} };
}

/** The replay's tap on the object's queue: drains where the recording drained, events where they landed. */
class ReplayTap implements StagingTap {
  readonly #replay: Replay;
  readonly #index: number;
  readonly #queue: StagingQueue;

  /** The tap of queue `index` (0: the object's own; above: an adopted one). */
  constructor(replay: Replay, index: number, queue: StagingQueue) {
    this.#replay = replay;
    this.#index = index;
    this.#queue = queue;
  }

  /**
   * Something staged outside a drain (gdnet's own code reacting to a call, as a peer that
   * resumes reading): the recording has it at its place, so it is taken here, not twice.
   */
  staged(): boolean {
    return true;
  }

  beforeDrain(): void {
    this.#replay.drainStarts(this.#index, this.#queue);
  }

  get holding(): boolean {
    return this.#replay.drainIsNext(this.#index);
  }
}

/** Random draws answered from the recording (nextFloat and nextPeerId draw through nextUint32). */
function replayRandom(replay: Replay): RandomSource {
  const random = new RandomSource(0);
  random.nextUint32 = () => replay.draw();
  return random;
}
