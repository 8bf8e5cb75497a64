import { createRequire } from "node:module";
import type { Redis, RedisOptions } from "ioredis";
import { ErrorCode } from "../ErrorCode.js";
import type {
  ClusterBus,
  ClusterBusEvents,
  HeartbeatReply,
  PresenceChange,
  ProcessSnapshot,
  ProcessStamp,
  RegisterReply,
} from "./bus.js";
import { REDIS_SCRIPTS } from "./redis-scripts.js";

/*
 * The one file that speaks to Redis (through ioredis, loaded only when a server is
 * clustered). Why Streams and not pub/sub: a subscriber that reconnects misses what was
 * published meanwhile, and a send that returned OK must arrive; a stream keeps it until
 * its reader has read it. Each process reads only its own inbox stream.
 *
 * Two connections per process:
 * - the writer sends every command but reads. It retries forever and keeps its offline
 *   queue (ioredis's default retry limit would reject queued writes after the send had
 *   returned OK); commands in flight when the connection broke are resent, and the
 *   readers drop the duplicates by sequence number. What waits is bounded by the
 *   senders' inbox limit.
 * - the reader runs one blocking XREAD at a time, issued from poll(). It has no offline
 *   queue and resends nothing: a read in flight when the connection breaks is failed at
 *   once (ioredis could otherwise drop it and leave poll() waiting forever) and issued
 *   again on the next connection. Before its first read on each connection it asks
 *   Redis's run_id: a new run_id is a Redis that restarted empty, whose stream ids start
 *   again from its own clock, so reading resumes from the start of the inbox instead of
 *   from the last id seen.
 */

type ScriptedRedis = Redis & {
  gdnetWrite(...args: (string | Uint8Array | number)[]): Promise<unknown>;
  gdnetHeartbeat(...args: (string | number)[]): Promise<unknown>;
  gdnetRegister(...args: (string | number)[]): Promise<unknown>;
  gdnetLease(...args: (string | number)[]): Promise<unknown>;
  gdnetFetch(...args: string[]): Promise<unknown>;
  gdnetReap(...args: string[]): Promise<unknown>;
};

type RedisConstructor = new (url: string, options: RedisOptions) => Redis;

let redisClass: RedisConstructor | null | undefined;

/** ioredis, loaded on first use; `null` when the package is not installed. */
function loadRedis(): RedisConstructor | null {
  if (redisClass !== undefined) return redisClass;
  try {
    const module = createRequire(import.meta.url)("ioredis") as {
      default?: RedisConstructor;
    } & RedisConstructor;
    redisClass = module.default ?? module;
  } catch {
    redisClass = null;
  }
  return redisClass;
}

/** Makes a Redis bus, or `ERR_UNAVAILABLE` when ioredis cannot be loaded. @internal */
export function redisClusterBus(url: string, name: string, processId: string): ClusterBus | ErrorCode {
  const Redis = loadRedis();
  if (Redis === null) return ErrorCode.ERR_UNAVAILABLE;
  return new RedisClusterBus(Redis, url, name, processId);
}

function runId(info: string): string {
  const match = /run_id:(\w+)/.exec(info);
  return match === null ? "" : match[1]!;
}

/** Flat [key, value, key, value] → Map. */
function pairs(flat: unknown): Map<string, string> {
  const map = new Map<string, string>();
  const list = flat as string[];
  for (let i = 0; i + 1 < list.length; i += 2) map.set(String(list[i]), String(list[i + 1]));
  return map;
}

function stamps(procs: unknown, revs: unknown): Map<string, ProcessStamp> {
  const revisions = pairs(revs);
  const result = new Map<string, ProcessStamp>();
  for (const [process, stamp] of pairs(procs)) {
    result.set(process, { stamp: Number(stamp), rev: Number(revisions.get(process) ?? 0) });
  }
  return result;
}

function peerMap(flat: unknown): Map<number, string> {
  const peers = new Map<number, string>();
  for (const [id, entry] of pairs(flat)) peers.set(Number(id), entry);
  return peers;
}

/** The id just after `id` ("ms-seq"), so XTRIM MINID drops everything up to `id`. */
function nextStreamId(id: string): string {
  const dash = id.indexOf("-");
  return `${id.slice(0, dash)}-${Number(id.slice(dash + 1)) + 1}`;
}

/** The Redis {@link ClusterBus}. @internal */
class RedisClusterBus implements ClusterBus {
  readonly processId: string;
  readonly #prefix: string;
  readonly #inbox: string;
  readonly #writer: ScriptedRedis;
  readonly #reader: Redis;
  #events: ClusterBusEvents | null = null;
  #closed = false;
  #writerUp = false;
  #writerRunId = "";
  #readerReady = false;
  #readerRunId = "";
  #readerGeneration = 0;
  #lastId = "0-0";
  #trimTo: string | null = null;
  #waitingRead: { count: number; blockMs: number; done: (messages: Uint8Array[] | null) => void } | null =
    null;
  #readInFlight: ((messages: Uint8Array[] | null) => void) | null = null;

  constructor(Redis: RedisConstructor, url: string, name: string, processId: string) {
    this.processId = processId;
    // The braces keep every key of one cluster in one Redis Cluster slot (Lua needs that).
    this.#prefix = `gdnet:{${name}}:`;
    this.#inbox = `${this.#prefix}inbox:${processId}`;
    const retryStrategy = (times: number) => Math.min(50 * times, 500);
    this.#writer = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
      autoResendUnfulfilledCommands: true,
      retryStrategy,
    }) as ScriptedRedis;
    for (const [command, script] of Object.entries(REDIS_SCRIPTS)) {
      this.#writer.defineCommand(command, { numberOfKeys: 0, lua: script });
    }
    this.#reader = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: null,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      retryStrategy,
    });
  }

  open(events: ClusterBusEvents): void {
    this.#events = events;
    const writer = this.#writer;
    const reader = this.#reader;
    // An 'error' event without a listener would throw; connection errors are expected
    // (Redis away) and show up as 'close' and a later 'ready'.
    writer.on("error", () => {});
    reader.on("error", () => {});
    writer.on("ready", () => this.#writerReady());
    writer.on("close", () => {
      if (!this.#writerUp) return;
      this.#writerUp = false;
      this.#events?.busDown();
    });
    reader.on("ready", () => this.#readerConnected());
    reader.on("close", () => this.#readerLost());
    writer.connect().catch(() => {});
    reader.connect().catch(() => {});
  }

  write(
    targets: readonly string[],
    toAll: boolean,
    message: Uint8Array,
    presence: PresenceChange | null,
    done: (lengths: ReadonlyMap<string, number> | null) => void,
  ): void {
    const op = presence === null ? "" : presence.entry === null ? "del" : "set";
    this.#writer
      .gdnetWrite(
        this.#prefix,
        this.processId,
        toAll ? "1" : "0",
        Buffer.from(message.buffer, message.byteOffset, message.byteLength),
        // An inbox nobody reads (its process died) expires on its own.
        "60000",
        op,
        presence === null ? "" : String(presence.id),
        presence?.entry ?? "",
        presence === null ? "" : String(presence.rev),
        ...targets,
      )
      .then(
        (reply) => {
          const lengths = new Map<string, number>();
          for (const [target, length] of pairs(reply)) lengths.set(target, Number(length));
          done(lengths);
        },
        () => done(null),
      );
  }

  readInbox(count: number, blockMs: number, done: (messages: Uint8Array[] | null) => void): void {
    if (this.#closed) return;
    if (!this.#readerReady) {
      this.#waitingRead = { count, blockMs, done };
      return;
    }
    const generation = this.#readerGeneration;
    this.#readInFlight = done;
    if (this.#trimTo !== null) {
      this.#reader.xtrim(this.#inbox, "MINID", this.#trimTo).catch(() => {});
      this.#trimTo = null;
    }
    this.#reader
      .xreadBuffer(
        "COUNT",
        count,
        "BLOCK",
        Math.max(1, Math.round(blockMs)),
        "STREAMS",
        this.#inbox,
        this.#lastId,
      )
      .then(
        (result) => {
          if (generation !== this.#readerGeneration) return;
          this.#readInFlight = null;
          const messages: Uint8Array[] = [];
          const entries = result?.[0]?.[1] ?? [];
          for (const [id, fields] of entries) {
            for (let i = 0; i + 1 < fields.length; i += 2) {
              if (fields[i]!.toString() === "m") messages.push(fields[i + 1]!);
            }
            this.#lastId = id.toString();
          }
          if (entries.length > 0) this.#trimTo = nextStreamId(this.#lastId);
          done(messages);
        },
        () => {
          if (generation !== this.#readerGeneration) return;
          this.#readInFlight = null;
          done(null);
        },
      );
  }

  heartbeat(
    leasedIds: readonly number[],
    leaseMs: number,
    done: (reply: HeartbeatReply | null) => void,
  ): void {
    if (!this.#writerUp) {
      this.#later(() => done(null));
      return;
    }
    this.#writer.gdnetHeartbeat(this.#prefix, this.processId, leaseMs, ...leasedIds).then(
      (reply) => {
        const [lost, procs, revs] = reply as [string[], unknown, unknown];
        done({ processes: stamps(procs, revs), lostIds: lost.map(Number) });
      },
      () => done(null),
    );
  }

  register(
    peers: ReadonlyMap<number, string>,
    rev: number,
    leasedIds: readonly number[],
    leaseMs: number,
    done: (reply: RegisterReply | null) => void,
  ): void {
    if (!this.#writerUp) {
      this.#later(() => done(null));
      return;
    }
    const args: (string | number)[] = [this.#prefix, this.processId, leaseMs, rev, peers.size];
    for (const [id, entry] of peers) args.push(id, entry);
    args.push(...leasedIds);
    this.#writer.gdnetRegister(...args).then(
      (reply) => {
        const [lost, procs, revs, others] = reply as [string[], unknown, unknown, unknown[]];
        const snapshot = new Map<string, ProcessSnapshot>();
        for (let i = 0; i + 3 < others.length; i += 4) {
          snapshot.set(String(others[i]), {
            stamp: Number(others[i + 1]),
            rev: Number(others[i + 2]),
            peers: peerMap(others[i + 3]),
          });
        }
        done({ processes: stamps(procs, revs), lostIds: lost.map(Number), snapshot });
      },
      () => done(null),
    );
  }

  lease(candidates: readonly number[], leaseMs: number, done: (granted: number[] | null) => void): void {
    if (!this.#writerUp) {
      this.#later(() => done(null));
      return;
    }
    this.#writer.gdnetLease(this.#prefix, this.processId, leaseMs, ...candidates).then(
      (granted) => done((granted as string[]).map(Number)),
      () => done(null),
    );
  }

  fetch(process: string, done: (snapshot: ProcessSnapshot | null) => void): void {
    if (!this.#writerUp) {
      this.#later(() => done(null));
      return;
    }
    this.#writer.gdnetFetch(this.#prefix, process).then(
      (reply) => {
        const [stamp, rev, peers] = reply as [string | null, string | null, unknown];
        done(stamp === null ? null : { stamp: Number(stamp), rev: Number(rev ?? 0), peers: peerMap(peers) });
      },
      () => done(null),
    );
  }

  reap(process: string, stamp: number): void {
    if (!this.#writerUp) return;
    this.#writer.gdnetReap(this.#prefix, process, String(stamp)).catch(() => {});
  }

  inboxLength(process: string, done: (length: number | null) => void): void {
    if (!this.#writerUp) {
      this.#later(() => done(null));
      return;
    }
    this.#writer.xlen(`${this.#prefix}inbox:${process}`).then(
      (length) => done(length),
      () => done(null),
    );
  }

  close(farewell: Uint8Array): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#events = null;
    this.#reader.disconnect();
    if (!this.#writerUp) {
      this.#writer.disconnect();
      return;
    }
    const writer = this.#writer;
    writer
      .gdnetWrite(this.#prefix, this.processId, "1", Buffer.from(farewell), "60000", "", "", "", "")
      .catch(() => {});
    writer.gdnetReap(this.#prefix, this.processId, "").catch(() => {});
    writer.quit().catch(() => writer.disconnect());
  }

  #writerReady(): void {
    this.#writer.info("server").then(
      (info) => {
        if (this.#closed) return;
        const id = runId(info);
        const fresh = id !== this.#writerRunId;
        this.#writerRunId = id;
        this.#writerUp = true;
        this.#events?.busUp(fresh);
      },
      () => {},
    );
  }

  #readerConnected(): void {
    this.#reader.info("server").then(
      (info) => {
        if (this.#closed) return;
        const id = runId(info);
        if (id !== this.#readerRunId) {
          // A Redis that restarted empty: its stream ids start from its own clock again.
          this.#readerRunId = id;
          this.#lastId = "0-0";
          this.#trimTo = null;
        }
        this.#readerReady = true;
        const waiting = this.#waitingRead;
        this.#waitingRead = null;
        if (waiting !== null) this.readInbox(waiting.count, waiting.blockMs, waiting.done);
      },
      () => {},
    );
  }

  #readerLost(): void {
    this.#readerReady = false;
    this.#readerGeneration++;
    const done = this.#readInFlight;
    this.#readInFlight = null;
    if (done !== null) done(null);
  }

  /** Answers later, never inside the call. */
  #later(task: () => void): void {
    queueMicrotask(task);
  }
}
