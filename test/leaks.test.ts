import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);

// SPEC §4: a connect–fail loop of thousands of attempts leaves heap and handle counts
// flat. (StreamPeerTCP has its own in StreamPeerTCP.test.ts.) Measured in a child
// process with --expose-gc, against the build.
for (const kind of ["http", "websocket", "websocket-server"] as const) {
  it(`${kind}: 2,000 failed attempts leave the handle count and the heap flat`, async () => {
    const script = fileURLToPath(new URL("./fixtures/connect-fail-leak.mjs", import.meta.url));
    const entry = new URL("../dist/index.js", import.meta.url).href;
    const { stdout } = await run(process.execPath, ["--expose-gc", script, entry, kind, "2000"], {
      timeout: 150_000,
    });
    const report = JSON.parse(stdout.trim().split("\n").pop()!);
    expect(report.failedAsExpected).toBe(2000);
    expect(report.handlesAfter).toBeLessThanOrEqual(report.handlesBefore);
    expect(report.heapGrowth).toBeLessThan(2 * 1024 * 1024);
  }, 180_000);
}
