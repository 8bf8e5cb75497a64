import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);

async function transcript(seed: number): Promise<string> {
  const script = fileURLToPath(new URL("./fixtures/determinism-scenario.mjs", import.meta.url));
  const entry = new URL("../dist/index.js", import.meta.url).href;
  const { stdout } = await run(process.execPath, [script, entry, String(seed)], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** The transcript with every peer id replaced by its order of first appearance. */
function withoutIds(text: string, ids: string[]): string {
  let out = text;
  ids.forEach((id, index) => {
    out = out.replaceAll(id, `<peer${index}>`);
  });
  return out;
}

function peerIds(text: string): string[] {
  return [...new Set([...text.matchAll(/server: (\d+) connected/g)].map((m) => m[1]!))];
}

it("the scripted scenario gives identical transcripts, peer ids included, in two separate processes", async () => {
  const [first, second] = await Promise.all([transcript(7), transcript(7)]);
  expect(first.length).toBeGreaterThan(10_000);
  expect(second).toBe(first);
  // The scenario did what it says: 3 clients + 1 reconnect, 100 messages each way, a reset.
  expect(peerIds(first)).toHaveLength(4);
  expect(first).toContain("reset: c3");
  expect(first).toMatch(/c3: state 3 code=-1/);
  expect(first).toMatch(/server: \d+ disconnected clean=false/);
  expect(first.match(/c1: got tick \d+/g)).toHaveLength(100);
  expect(first.match(/server: from \d+: c1-\d+/g)).toHaveLength(100);
});

it("a different seed changes the peer ids and nothing else", async () => {
  const [a, b] = await Promise.all([transcript(7), transcript(8)]);
  const idsA = peerIds(a);
  const idsB = peerIds(b);
  expect(idsA).toHaveLength(4);
  expect(idsB).toHaveLength(4);
  expect(idsA.some((id) => idsB.includes(id))).toBe(false);
  expect(b).not.toBe(a);
  expect(withoutIds(b, idsB)).toBe(withoutIds(a, idsA));
});
