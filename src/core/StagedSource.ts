import type { StagedEventTarget, StagingQueue } from "./StagingQueue.js";

/**
 * Platform code that reports to one owner: it stages events into the owner's queue until
 * it is silenced, after which it stages nothing more (a connection released by its
 * owner, an exchange that ended, an abandoned listener).
 */
export abstract class StagedSource {
  #queue: StagingQueue | null;
  #target: StagedEventTarget | null;

  constructor(queue: StagingQueue | null, target: StagedEventTarget | null) {
    this.#queue = queue;
    this.#target = target;
  }

  /** Whether this source has been silenced. */
  get silenced(): boolean {
    return this.#queue === null;
  }

  /** Stages an event for the owner unless silenced. */
  stage(kind: number, a?: unknown, b?: unknown): void {
    if (this.#queue !== null) this.#queue.push(this.#target!, kind, a, b);
  }

  /** Stops reporting, for good. */
  silence(): void {
    this.#queue = null;
    this.#target = null;
  }

  /** The owner's queue and target, for a source that hands them on; `null` once silenced. */
  protected get owner(): { queue: StagingQueue; target: StagedEventTarget } | null {
    return this.#queue === null ? null : { queue: this.#queue, target: this.#target! };
  }
}
