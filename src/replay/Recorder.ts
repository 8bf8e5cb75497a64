import { DelayLine } from "../conditions/DelayLine.js";
import type { Clock } from "../core/Clock.js";
import { RandomSource } from "../core/Random.js";
import type { StagedEventTarget, StagingQueue, StagingTap } from "../core/StagingQueue.js";
import { Signal } from "../Signal.js";
import { CLOCK, DRAIN, DRAIN_OF, EntryWriter, EVENT, MAGIC, POLL, RANDOM, READ, RESULT } from "./format.js";
import type { RecordingSink } from "./sinks.js";

/*
 * The recorder writes down, poll by poll, everything that reaches one object from outside:
 * the events its transport staged (at the transport boundary, before the object applies
 * them), its clock readings, its random draws, and the answers of calls that read live
 * transport state. Replayed (Replay.ts) with no network, they give the same observations.
 * It is a StagingTap on the object's queue, so it adds nothing to a poll but the writing.
 */

/** Options of a {@link Recorder}. */
export interface RecorderOptions {
  /**
   * The most bytes the recording may have waiting (in the recorder and in the sink's
   * backlog) before it ends with {@link Recorder.failed}. Default 8 MiB.
   */
  bufferLimit?: number;
}

/** Something with a `poll()`, whose polls the recorder marks. */
interface Polled {
  poll(): unknown;
}

/** Chunks are handed to the sink when this big, and at the latest every FLUSH_POLLS polls. */
const CHUNK_BYTES = 32 * 1024;
const FLUSH_POLLS = 16;
/** Ids of objects named by transport calls are even; those handed over inside events odd. */
const FIRST_CALL_ID = 2;

/**
 * Records one object (a `WebSocketServer`, a `WebSocketPeer`, a `TCPServer`, an `HTTPRequest`) for exact
 * replay: pass it as the `recorder` option (`new WebSocketServer({ recorder })`). The
 * recording streams to a {@link RecordingSink} within a bounded buffer; a sink that falls
 * behind ends the recording, never the game: {@link Recorder.failed} is emitted inside
 * the object's next `poll()` and the object goes on unrecorded. One recorder records one
 * object (the first it is given to; a server's peers are part of their server, and so
 * are the `StreamPeerTCP`s a `TCPServer` hands out). gdnet
 * addition (Godot has no recorder). See docs/debugging.md.
 */
export class Recorder implements StagingTap {
  /** The recording ended early; `reason` says why. Emitted inside the recorded object's `poll()`. gdnet addition. */
  readonly failed = new Signal<[reason: string]>();
  readonly #sink: RecordingSink;
  readonly #limit: number;
  readonly #writer = new EntryWriter();
  /** Names of the objects seen, held weakly: a long recording keeps no dropped peer alive. */
  readonly #ids = new WeakMap<object, number>();
  #nextCallId = FIRST_CALL_ID;
  #nextEventId = 1;
  #owner: Polled | null = null;
  #queue: StagingQueue | null = null;
  #transport: object | null = null;
  #recording = true;
  #failure: string | null = null;
  #polls = 0;
  #pollsSinceFlush = 0;
  #bytes = 0;
  #adoptedQueues = 0;

  /** A recorder writing to `sink`. gdnet addition. */
  constructor(sink: RecordingSink, options: RecorderOptions = {}) {
    this.#sink = sink;
    this.#limit = options.bufferLimit ?? 8 * 1024 * 1024;
    this.#writer.string(MAGIC);
  }

  /** Whether it is still recording (false once closed or failed). gdnet addition. */
  get recording(): boolean {
    return this.#recording;
  }

  /** Polls of the recorded object recorded so far. gdnet addition. */
  get polls(): number {
    return this.#polls;
  }

  /** Bytes of recording produced so far (handed to the sink or waiting). gdnet addition. */
  get bytesRecorded(): number {
    return this.#bytes + this.#writer.length;
  }

  /** Ends the recording: what is buffered goes to the sink, which is closed. gdnet addition. */
  close(): void {
    if (!this.#recording) return;
    this.#handOver();
    this.#recording = false;
    this.#sink.close();
  }

  /** @internal The object this recorder records: its polls are marked. The first one only. */
  attach(owner: Polled, platform: string): boolean {
    if (this.#owner !== null) return this.#owner === owner;
    this.#owner = owner;
    this.#writer.string(platform);
    const poll = owner.poll;
    const recorder = this;
    Object.defineProperty(owner, "poll", {
      configurable: true,
      writable: true,
      value: function recordedPoll(this: Polled): unknown {
        recorder.#pollStarts();
        const result = poll.call(this);
        recorder.#pollEnds();
        return result;
      },
    });
    return true;
  }

  /** @internal The transport the recorded object uses, wrapped once (see recordingTransport). */
  wrappedTransport<T extends object>(make: () => T): T {
    this.#transport ??= make();
    return this.#transport as T;
  }

  /** @internal The clock the recorded object reads: each reading is written down. */
  recordedClock(clock: Clock): Clock {
    return () => {
      const now = clock();
      if (this.#recording) {
        this.#writer.tag(CLOCK);
        this.#writer.float(now);
      }
      return now;
    };
  }

  /** @internal A random source whose draws are written down. */
  recordedRandom(random: RandomSource): RandomSource {
    return recordedRandom(random, this);
  }

  /** @internal Writes down one random draw. */
  drew(value: number): void {
    if (!this.#recording) return;
    this.#writer.tag(RANDOM);
    this.#writer.uint(value);
  }

  /** @internal Puts this recorder on the object's queue (after any conditions: it records what the object sees). */
  install(queue: StagingQueue): void {
    if (this.#queue !== null) return;
    this.#queue = queue;
    chainTap(queue, this);
  }

  /**
   * @internal A connection the recorded object handed out (a `TCPServer`'s, taken as a
   * `StreamPeerTCP`) now stages into `queue` for `target`: the target is named, and that
   * queue's drains and live readings are written down in the same stream, numbered in
   * the order queues are adopted (the replay adopts them in the same order).
   */
  adopt(queue: StagingQueue, target: object): void {
    this.register(target);
    // A peer is adopted once, when it takes its connection (as in the replay).
    if (queue === this.#queue) return;
    chainTap(queue, new AdoptedQueueTap(this, ++this.#adoptedQueues));
  }

  /** @internal A drain of adopted queue `index` starts. */
  drainOf(index: number): void {
    if (!this.#recording) return;
    this.#writer.tag(DRAIN_OF);
    this.#writer.uint(index);
  }

  /** @internal Names an object a transport call made or was given, in call order (replay names them in the same order). */
  register(object: object): void {
    if (!this.#ids.has(object)) {
      this.#ids.set(object, this.#nextCallId);
      this.#nextCallId += 2;
    }
  }

  /** @internal Writes down what a transport call answered. */
  result(value: unknown): void {
    if (!this.#recording) return;
    this.#writer.tag(RESULT);
    this.#writer.value(value, this.#eventId);
  }

  /** @internal StagingTap: writes the event down and lets it through. */
  staged(target: StagedEventTarget, kind: number, a: unknown, b: unknown): boolean {
    if (!this.#recording) return false;
    let named: object | undefined = target;
    // A forwarder that holds its owner weakly stands for that owner.
    if ("forwardsTo" in target) named = (target as { forwardsTo: StagedEventTarget | undefined }).forwardsTo;
    if (named === undefined) return false;
    const writer = this.#writer;
    writer.tag(EVENT);
    writer.uint(this.#ids.get(named) ?? 0);
    writer.uint(kind);
    writer.value(a, this.#eventId);
    writer.value(b, this.#eventId);
    if (writer.length >= CHUNK_BYTES) this.#handOver();
    return false;
  }

  /** @internal StagingTap: a drain starts; events written before it land in it. */
  beforeDrain(): void {
    if (this.#recording) this.#writer.tag(DRAIN);
  }

  /** @internal StagingTap: the recorder holds nothing back. */
  get holding(): boolean {
    return false;
  }

  /** @internal StagingTap: writes down a live reading. */
  observe(value: number): number {
    if (this.#recording) {
      this.#writer.tag(READ);
      this.#writer.uint(value);
    }
    return value;
  }

  /** Names an object handed over inside an event (an accepted connection). */
  readonly #eventId = (object: object): number => {
    let id = this.#ids.get(object);
    if (id === undefined) {
      id = this.#nextEventId;
      this.#nextEventId += 2;
      this.#ids.set(object, id);
    }
    return id;
  };

  #pollStarts(): void {
    if (!this.#recording) return;
    this.#polls++;
    this.#writer.tag(POLL);
  }

  #pollEnds(): void {
    if (this.#recording && (++this.#pollsSinceFlush >= FLUSH_POLLS || this.#writer.length >= CHUNK_BYTES)) {
      this.#handOver();
    }
    const failure = this.#failure;
    if (failure !== null) {
      this.#failure = null;
      this.failed.emit(failure);
    }
  }

  /** Hands what is written to the sink, or ends the recording if the sink is behind. */
  #handOver(): void {
    this.#pollsSinceFlush = 0;
    const length = this.#writer.length;
    if (length === 0 || !this.#recording) return;
    if (this.#sink.pendingBytes + length > this.#limit) {
      this.#fail(`the sink fell behind (${this.#sink.pendingBytes} bytes not yet stored)`);
      return;
    }
    const chunk = this.#writer.take();
    this.#bytes += length;
    if (!this.#sink.write(chunk)) this.#fail("the sink took no more");
  }

  #fail(reason: string): void {
    this.#recording = false;
    this.#writer.take();
    this.#failure = reason;
    this.#sink.close();
  }
}

/** A random source whose draws come from `inner` and are written down (nextFloat and nextPeerId draw through nextUint32). */
function recordedRandom(inner: RandomSource, recorder: Recorder): RandomSource {
  const random = new RandomSource(0);
  random.nextUint32 = () => {
    const value = inner.nextUint32();
    recorder.drew(value);
    return value;
  };
  return random;
}

/** `tap` on `queue`, after any conditions (so it sees what the owner sees). */
function chainTap(queue: StagingQueue, tap: StagingTap): void {
  let last = queue.tap;
  if (last === null) {
    queue.tap = tap;
    return;
  }
  while (last instanceof DelayLine && last.next !== null) last = last.next;
  if (last instanceof DelayLine) last.next = tap;
}

/** The recorder's tap on a queue it adopted: events and readings as on its own, drains numbered. */
class AdoptedQueueTap implements StagingTap {
  readonly #recorder: Recorder;
  readonly #index: number;

  constructor(recorder: Recorder, index: number) {
    this.#recorder = recorder;
    this.#index = index;
  }

  staged(target: StagedEventTarget, kind: number, a: unknown, b: unknown): boolean {
    return this.#recorder.staged(target, kind, a, b);
  }

  beforeDrain(): void {
    this.#recorder.drainOf(this.#index);
  }

  get holding(): boolean {
    return false;
  }

  observe(value: number): number {
    return this.#recorder.observe(value);
  }
}
