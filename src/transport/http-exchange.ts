import { StagedSource } from "../core/StagedSource.js";
import { HTTP_FAILED, type HttpExchange, type HttpFailure } from "./http.js";

/**
 * What every platform's exchange shares: it stages events for its owner until it is
 * released, and a failure is staged once and then aborts it.
 */
export abstract class StagedHttpExchange extends StagedSource implements HttpExchange {
  /** Whether the exchange has ended (failed, done or aborted): it stages nothing more. */
  get released(): boolean {
    return this.silenced;
  }

  /** Stages the failure and aborts. Only the first failure counts. */
  fail(kind: HttpFailure, detail: string): void {
    if (this.released) return;
    this.stage(HTTP_FAILED, kind, detail);
    this.abort();
  }

  abstract receiveBody(): void;
  abstract abort(): void;
}
