import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, expect, it } from "vitest";
import { NodeProcess } from "../fixtures/node-process.js";
import { describeWithTool } from "../support/tools.js";

/*
 * A live session on real sockets, recorded on the server, replayed in a new process with
 * no network at all: the transcript of every observation at every poll is the same, byte
 * for byte. Uses dist/ (`npm run build`).
 */

const run = promisify(execFile);
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const entry = new URL("../../dist/index.js", import.meta.url).href;
const running: NodeProcess[] = [];
const directories: string[] = [];

afterEach(() => {
  for (const process of running.splice(0)) process.kill();
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describeWithTool("unshare", "a recorded server session", () => {
  it("replays with no network to the same transcript: 50 clients in another process, joins, leaves, a kick and a heartbeat timeout", async () => {
    const directory = mkdtempSync(join(tmpdir(), "gdnet-replay-"));
    directories.push(directory);
    const recording = join(directory, "session.gdrec");
    const liveTranscript = join(directory, "live.txt");
    const replayTranscript = join(directory, "replay.txt");
    const server = new NodeProcess([fixture("live-server.mjs"), entry, recording, liveTranscript]);
    running.push(server);
    await server.until("the port", (lines) => lines.some((line) => line.startsWith("port ")));
    const port = server.lines.find((line) => line.startsWith("port "))!.slice(5);
    const clients = new NodeProcess([fixture("clients.mjs"), entry, port]);
    running.push(clients);
    const count = (pattern: RegExp) => server.lines.filter((line) => pattern.test(line)).length;
    // 10 leave, one is kicked, one is given up by the heartbeat.
    await server.until(
      "the whole session",
      () => count(/ connected /) === 50 && count(/ disconnected /) === 12 && count(/ echo /) >= 100,
      20_000,
    );
    server.type("stop");
    await server.until("the end of the recording", (lines) => lines.some((line) => line.startsWith("done ")));
    clients.kill();

    // No interface at all in the replay's namespace, not even loopback: no socket could work.
    const script = `ip -o link | grep -q 'state UP' && echo HAS_INTERFACE; exec "${process.execPath}" "${fixture("replay-server.mjs")}" "${entry}" "${recording}" "${replayTranscript}"`;
    const { stdout } = await run("unshare", ["-rn", "sh", "-c", script], { timeout: 20_000 });
    expect(stdout).not.toContain("HAS_INTERFACE");
    expect(stdout).toContain("diverged: null");

    const live = readFileSync(liveTranscript, "utf8");
    const replayed = readFileSync(replayTranscript, "utf8");
    expect(live).toMatch(/disconnected \d+ true 4000 "kicked"/);
    expect(live).toMatch(/disconnected \d+ false -1 ""/);
    expect(live.match(/disconnected \d+ true 1000 "bye from \d+"/g)).toHaveLength(10);
    expect(replayed).toBe(live);
  }, 60_000);
});
