import { ErrorCode } from "../ErrorCode.js";
import type { ClusterBus, PresenceChange } from "./bus.js";
import {
  encodeBye,
  encodeClose,
  encodeData,
  encodePresence,
  MESSAGE_BROADCAST,
  MESSAGE_SEND,
} from "./messages.js";
import type { ProcessState } from "./processes.js";

/** Staged when a write was answered. `a`: the inbox lengths or `null`, `b`: the processes written to. */
export const OUTBOX_WRITTEN = 8;
/** Staged when an inbox length query was answered. `a`: the length or `null`, `b`: the process. */
export const OUTBOX_LENGTH = 9;

/**
 * What this process writes into the other processes' inboxes: forwarded sends and
 * closes, broadcasts, announcements, all in call order on one bus connection, each
 * numbered (so a resent write is applied once). It keeps each inbox's length as the last
 * answer gave it plus the writes still unanswered, so a send that would pass the inbox
 * limit is refused at the call, never trimmed away later.
 * @internal
 */
export class Outbox {
  readonly #bus: ClusterBus;
  readonly #me: string;
  readonly #limit: number;
  /** Stages an answer in the server's queue (the membership applies it in poll()). */
  readonly #stage: (kind: number, a: unknown, b: unknown) => void;
  #seq = 0;

  constructor(bus: ClusterBus, limit: number, stage: (kind: number, a: unknown, b: unknown) => void) {
    this.#bus = bus;
    this.#me = bus.processId;
    this.#limit = limit;
    this.#stage = stage;
  }

  /** Whether `process`'s inbox is at the limit (then its length is asked again). */
  full(process: ProcessState): boolean {
    if (!process.inboxFull(this.#limit)) return false;
    if (!process.measuring) {
      process.measuring = true;
      this.#bus.inboxLength(process.id, (length) => this.#stage(OUTBOX_LENGTH, length, process));
    }
    return true;
  }

  /** One atomic write of a broadcast to every process, or `ERR_OUT_OF_MEMORY` (nothing written) when an inbox is full. */
  broadcast(processes: ProcessState[], data: Uint8Array, text: boolean, exceptId: number): ErrorCode {
    for (const process of processes) if (this.full(process)) return ErrorCode.ERR_OUT_OF_MEMORY;
    this.#write(
      processes,
      true,
      encodeData(MESSAGE_BROADCAST, this.#me, ++this.#seq, exceptId, text, data),
      null,
    );
    return ErrorCode.OK;
  }

  /** A message for peer `id`, held by `process`. */
  send(process: ProcessState, id: number, data: Uint8Array, text: boolean): void {
    this.#write([process], false, encodeData(MESSAGE_SEND, this.#me, ++this.#seq, id, text, data), null);
  }

  /** A close of peer `id`, held by `process`. */
  close(process: ProcessState, id: number, code: number, reason: string): void {
    this.#write([process], false, encodeClose(this.#me, ++this.#seq, id, code, reason), null);
  }

  /** A local peer joined (`entry`) or left (`null`) at presence revision `rev`: announced and registered at once. */
  announce(processes: ProcessState[], id: number, entry: string | null, rev: number): void {
    const presence: PresenceChange = { id, entry, rev };
    this.#write(processes, true, encodePresence(this.#me, ++this.#seq, rev, id, entry), presence);
  }

  /** The goodbye a stopping process leaves in every inbox. */
  bye(): Uint8Array {
    return encodeBye(this.#me, ++this.#seq);
  }

  /** A write was answered: its processes' inbox lengths as the store saw them. */
  written(lengths: ReadonlyMap<string, number> | null, targets: ProcessState[]): void {
    for (const process of targets) process.pendingWrites = Math.max(0, process.pendingWrites - 1);
    if (lengths === null) return;
    for (const process of targets) {
      const length = lengths.get(process.id);
      if (length !== undefined) process.inboxLength = length;
    }
  }

  #write(
    targets: ProcessState[],
    toAll: boolean,
    message: Uint8Array,
    presence: PresenceChange | null,
  ): void {
    // With toAll the store writes to every registered process; the known ones are named
    // too, so one that has not re-registered after a store restart still gets it.
    const ids: string[] = [];
    for (const process of targets) {
      process.pendingWrites++;
      ids.push(process.id);
    }
    this.#bus.write(ids, toAll, message, presence, (lengths) =>
      this.#stage(OUTBOX_WRITTEN, lengths, targets),
    );
  }
}
