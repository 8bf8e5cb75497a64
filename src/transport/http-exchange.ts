import { StagedSource } from "../core/StagedSource.js";
import { type HoldableReader, StagingBudget } from "../core/StagingBudget.js";
import type { StagedEventTarget, StagingQueue } from "../core/StagingQueue.js";
import { HTTP_BODY, HTTP_FAILED, type HttpExchange, type HttpFailure } from "./http.js";

/**
 * What every platform's exchange shares: it stages events for its owner until it is
 * released, a failure is staged once and then aborts it, and body progress goes through
 * {@link StagedHttpExchange.stageBody}, which applies the body size limit as the bytes
 * arrive and counts them in the staging budget shared with TCP and WebSocket.
 */
export abstract class StagedHttpExchange extends StagedSource implements HttpExchange, HoldableReader {
  readonly #bodySizeLimit: number;
  #decoded = 0;
  /** Bounds what is staged between two polls of the owner; made with the first body event. */
  #budget: StagingBudget | null = null;

  constructor(queue: StagingQueue, target: StagedEventTarget, bodySizeLimit: number) {
    super(queue, target);
    this.#bodySizeLimit = bodySizeLimit;
  }

  /** Whether the exchange has ended (failed, done or aborted): it stages nothing more. */
  get released(): boolean {
    return this.silenced;
  }

  /** Whether the staging budget holds reading until the owner's next poll. */
  get holding(): boolean {
    return this.#budget?.holding ?? false;
  }

  /** @internal Body bytes staged since the owner's last poll (what the staging budget caps). */
  get stagedBodyBytes(): number {
    return this.#budget?.stagedBytes ?? 0;
  }

  /** @internal Body events staged since the owner's last poll (what the staging budget caps). */
  get stagedBodyEvents(): number {
    return this.#budget?.stagedMessages ?? 0;
  }

  /**
   * Stages body progress: decoded bytes (or their number, when they went to the download
   * file) and the raw bytes off the wire they account for. Once the decoded bytes pass
   * the body size limit it fails instead, and stages nothing of them. Returns whether
   * the platform may read on: `false` once the exchange ended or the staging budget
   * holds it (then {@link HoldableReader.holdForDrain} says when to go on).
   */
  stageBody(decoded: Uint8Array | number, raw: number): boolean {
    if (this.released) return false;
    const size = typeof decoded === "number" ? decoded : decoded.byteLength;
    this.#decoded += size;
    if (this.#bodySizeLimit >= 0 && this.#decoded > this.#bodySizeLimit) {
      // Counted (as Godot counts the chunk that passed the limit) but not kept.
      this.stage(HTTP_BODY, size, raw);
      this.fail("body-size-limit", `the body passed ${this.#bodySizeLimit} bytes`);
      return false;
    }
    this.stage(HTTP_BODY, decoded, raw);
    if (this.#budget === null) this.#budget = new StagingBudget(this.owner!.queue, this);
    // Bytes written to the download file are not held here: only the event counts.
    this.#budget.staged(typeof decoded === "number" ? 0 : size);
    return !this.#budget.holding;
  }

  /** Stages the failure and aborts. Only the first failure counts. */
  fail(kind: HttpFailure, detail: string): void {
    if (this.released) return;
    this.stage(HTTP_FAILED, kind, detail);
    this.abort();
  }

  /**
   * @internal The staging budget holds reading until the owner's next poll (`true`) or
   * lets it go on. Platforms whose reading is driven by polls already ignore it.
   */
  abstract holdForDrain(held: boolean): void;
  abstract receiveBody(): void;
  abstract abort(): void;
}
