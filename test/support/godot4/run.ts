/** What a script run ended with. */
export interface Godot4Exit {
  /** The `quit(code)` value; `null` when the run timed out or was stopped. */
  code: number | null;
  timedOut: boolean;
  /** Every `print()` line, in order. */
  lines: string[];
  /** Every `printerr()` line, engine error and uncaught JavaScript error, in order. */
  errors: string[];
}

/** Which lines to match: a substring, a pattern or a test. */
export type LineMatch = string | RegExp | ((line: string) => boolean);

/** A GDScript running in the engine. */
export interface Godot4Run {
  /** Every `print()` line so far. */
  readonly lines: readonly string[];
  /** Every `printerr()` line, engine error and uncaught JavaScript error so far. */
  readonly errors: readonly string[];
  /**
   * Resolves with the first `print()` line (already printed or later) that matches;
   * rejects when the run ends first or after `timeoutMs` (default 15 s).
   */
  waitForLine(match: LineMatch, timeoutMs?: number): Promise<string>;
  /** As {@link Godot4Run.waitForLine}, for error lines. */
  waitForError(match: LineMatch, timeoutMs?: number): Promise<string>;
  /** Resolves when the script quits, times out or is stopped. */
  readonly exited: Promise<Godot4Exit>;
  /** Ends the run now (its exit has `code: null`) and waits until it has ended. */
  stop(): Promise<void>;
}

function matcher(match: LineMatch): (line: string) => boolean {
  if (typeof match === "function") return match;
  if (typeof match === "string") return (line) => line.includes(match);
  return (line) => match.test(line);
}

/** One stream of lines (prints or errors) with the waiters for its next lines. */
class LineStream {
  readonly lines: string[] = [];
  readonly waiters = new Set<(line: string) => void>();

  push(line: string): void {
    this.lines.push(line);
    for (const waiter of [...this.waiters]) waiter(line);
  }
}

/**
 * The Node side of one run: the lines the engine sent, its end, and the waiters on
 * both. The browser feeds it (`print`, `printError`, `finish`); tests read it as a
 * {@link Godot4Run}.
 */
export class RunRecord implements Godot4Run {
  readonly #output = new LineStream();
  readonly #errorOutput = new LineStream();
  readonly #endWaiters = new Set<() => void>();
  readonly #onLine: ((line: string) => void) | undefined;
  readonly #onEnd: () => void;
  readonly #timer: NodeJS.Timeout;
  #ended = false;
  #resolveExit!: (exit: Godot4Exit) => void;
  readonly exited = new Promise<Godot4Exit>((resolve) => {
    this.#resolveExit = resolve;
  });

  /** @param onEnd called once when the run ends, to free what the browser holds for it. */
  constructor(timeoutMs: number, onLine: ((line: string) => void) | undefined, onEnd: () => void) {
    this.#onLine = onLine;
    this.#onEnd = onEnd;
    this.#timer = setTimeout(() => this.finish(null, true), timeoutMs);
  }

  get lines(): readonly string[] {
    return this.#output.lines;
  }

  get errors(): readonly string[] {
    return this.#errorOutput.lines;
  }

  print(line: string): void {
    if (this.#ended) return;
    this.#output.push(line);
    this.#onLine?.(line);
  }

  printError(line: string): void {
    if (!this.#ended) this.#errorOutput.push(line);
  }

  finish(code: number | null, timedOut: boolean): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#timer);
    this.#onEnd();
    for (const waiter of [...this.#endWaiters]) waiter();
    this.#resolveExit({ code, timedOut, lines: this.#output.lines, errors: this.#errorOutput.lines });
  }

  async stop(): Promise<void> {
    this.finish(null, false);
    await this.exited;
  }

  waitForLine(match: LineMatch, timeoutMs = 15_000): Promise<string> {
    return this.#waitFor(this.#output, match, timeoutMs);
  }

  waitForError(match: LineMatch, timeoutMs = 15_000): Promise<string> {
    return this.#waitFor(this.#errorOutput, match, timeoutMs);
  }

  #waitFor(stream: LineStream, match: LineMatch, timeoutMs: number): Promise<string> {
    const test = matcher(match);
    const seen = stream.lines.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      const done = () => {
        clearTimeout(guard);
        stream.waiters.delete(onLine);
        this.#endWaiters.delete(onEnd);
      };
      const onLine = (line: string) => {
        if (!test(line)) return;
        done();
        resolve(line);
      };
      const onEnd = () => {
        done();
        reject(
          new Error(`the Godot run ended before a line matched ${String(match)}; ${this.#transcript()}`),
        );
      };
      const guard = setTimeout(() => {
        done();
        reject(new Error(`no Godot line matched ${String(match)} in ${timeoutMs} ms; ${this.#transcript()}`));
      }, timeoutMs);
      if (this.#ended) return onEnd();
      stream.waiters.add(onLine);
      this.#endWaiters.add(onEnd);
    });
  }

  #transcript(): string {
    return `printed:\n${this.#output.lines.join("\n")}\nerrors:\n${this.#errorOutput.lines.join("\n")}`;
  }
}
