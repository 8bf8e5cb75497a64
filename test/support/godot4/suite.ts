import { afterAll, beforeAll, describe, it } from "vitest";
import { Godot4Browser, godot4Missing } from "./engine.js";

const onCi = process.env.CI === "true" || process.env.CI === "1";

/**
 * `describe` for tests that run GDScript in the real Godot 4.6 web engine. The suite
 * shares one {@link Godot4Browser} (Chromium with the wasm compiled once), started before
 * its first test and closed after its last; `body` gets a getter for it.
 *
 * Without the engine files or Chromium the suite is skipped with a printed notice, except
 * on CI (`CI=true`), where that is a failing test: `.ci/run` fetches the engine
 * (`scripts/fetch-godot4.mjs`) and installs Chromium, so a missing one is a broken CI.
 */
export function describeWithGodot4(name: string, body: (godot: () => Godot4Browser) => void): void {
  const missing = godot4Missing();
  if (missing === undefined) {
    describe(name, () => {
      let browser: Godot4Browser | undefined;
      beforeAll(async () => {
        browser = await Godot4Browser.launch();
      }, 60_000);
      afterAll(async () => {
        await browser?.close();
      });
      body(() => {
        if (!browser) throw new Error("the Godot 4.6 browser did not start (see beforeAll)");
        return browser;
      });
    });
    return;
  }
  if (onCi) {
    describe(name, () => {
      it("needs the Godot 4.6 web engine and Chromium, which CI must provide", () => {
        throw new Error(`${missing} (CI=true makes this a failure)`);
      });
    });
    return;
  }
  // Conditional: reached only when the engine or Chromium is missing outside CI, and said aloud.
  console.warn(`[gdnet tests] skipping "${name}": ${missing}`);
  describe.skip(name, () => body(() => undefined as unknown as Godot4Browser));
}

/**
 * Polls gdnet objects (a server in the test process) until `promise` settles, and returns
 * its result: a test waits for the engine's line while its own side keeps running.
 */
export async function pollUntilSettled<T>(objects: { poll(): unknown }[], promise: Promise<T>): Promise<T> {
  let settled = false;
  const markSettled = () => {
    settled = true;
  };
  // Handled at once, so a rejection is not reported as unhandled while the loop runs.
  promise.then(markSettled, markSettled);
  while (!settled) {
    for (const object of objects) object.poll();
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return promise;
}

/**
 * Resolves once `condition` holds (checked every 2 ms); rejects after `timeoutMs`. Pair it
 * with {@link pollUntilSettled} so the objects it watches are polled meanwhile.
 */
export function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = setInterval(() => {
      if (condition()) {
        clearInterval(check);
        resolve();
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(check);
        reject(new Error(`condition not reached within ${timeoutMs} ms`));
      }
    }, 2);
  });
}
