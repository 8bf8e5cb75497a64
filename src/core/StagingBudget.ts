import type { DrainListener, StagingQueue } from "./StagingQueue.js";

/*
 * Node reads sockets eagerly and stages what arrives until the owner's next poll(). A
 * game that stops polling for a while (a paused game, a long frame) would then hold
 * everything the remote sends. A StagingBudget bounds what one connection stages
 * between two drains of its owner's queue: past the limit the connection stops reading
 * (TCP pushes back on the sender, as with Godot, which reads only inside poll()), and
 * reading resumes when the owner has drained. Nothing is dropped.
 */

/** Bytes one connection may stage between two drains before it stops reading. */
export const STAGING_BYTES_LIMIT = 4 * 1024 * 1024;
/** Messages one connection may stage between two drains before it stops reading. */
export const STAGING_MESSAGES_LIMIT = 4096;

/** What a budget holds back: a connection that can stop and resume reading. */
export interface HoldableReader {
  /** Stop reading (`true`) until called again with `false`. */
  holdForDrain(held: boolean): void;
}

/** Counts what one connection staged since its owner's last drain. */
export class StagingBudget implements DrainListener {
  readonly #queue: StagingQueue;
  readonly #reader: HoldableReader;
  #drains = -1;
  #bytes = 0;
  #messages = 0;
  #holding = false;

  constructor(queue: StagingQueue, reader: HoldableReader) {
    this.#queue = queue;
    this.#reader = reader;
  }

  /** Whether the connection is held until the next drain. */
  get holding(): boolean {
    return this.#holding;
  }

  /** Bytes staged since the owner's last drain (what the budget holds against its limit). */
  get stagedBytes(): number {
    return this.#queue.drains === this.#drains ? this.#bytes : 0;
  }

  /** Messages staged since the owner's last drain. */
  get stagedMessages(): number {
    return this.#queue.drains === this.#drains ? this.#messages : 0;
  }

  /** Counts one staged message of `bytes`; holds the reader once past a limit. */
  staged(bytes: number): void {
    const drains = this.#queue.drains;
    if (drains !== this.#drains) {
      this.#drains = drains;
      this.#bytes = 0;
      this.#messages = 0;
    }
    this.#bytes += bytes;
    this.#messages++;
    if (this.#holding || (this.#bytes < STAGING_BYTES_LIMIT && this.#messages < STAGING_MESSAGES_LIMIT))
      return;
    this.#holding = true;
    this.#queue.afterNextDrain(this);
    this.#reader.holdForDrain(true);
  }

  /** @internal The owner drained: reading may go on. */
  drained(): void {
    if (!this.#holding) return;
    this.#holding = false;
    this.#reader.holdForDrain(false);
  }
}
