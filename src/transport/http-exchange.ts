import type { StagedEventTarget, StagingQueue } from "../core/StagingQueue.js";
import { HTTP_FAILED, type HttpExchange, type HttpFailure } from "./http.js";

/**
 * What every platform's exchange shares: it stages events for its owner until it is
 * released, and a failure is staged once and then releases it.
 */
export abstract class StagedHttpExchange implements HttpExchange {
  #queue: StagingQueue | null;
  #target: StagedEventTarget | null;

  constructor(queue: StagingQueue, target: StagedEventTarget) {
    this.#queue = queue;
    this.#target = target;
  }

  /** Whether the exchange has ended (failed, done or aborted): it stages nothing more. */
  get released(): boolean {
    return this.#queue === null;
  }

  /** Stages an event for the owner unless the exchange was released. */
  stage(kind: number, a?: unknown, b?: unknown): void {
    if (this.#queue !== null) this.#queue.push(this.#target!, kind, a, b);
  }

  /** Stages the failure and aborts. Only the first failure counts. */
  fail(kind: HttpFailure, detail: string): void {
    if (this.released) return;
    this.stage(HTTP_FAILED, kind, detail);
    this.abort();
  }

  abstract receiveBody(): void;
  abstract abort(): void;

  /** Stops staging; the platform's `abort` and normal end call it before letting go of the rest. */
  protected detach(): void {
    this.#queue = null;
    this.#target = null;
  }
}
