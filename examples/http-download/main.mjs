// Downloads a file with HTTPRequest while a frame loop draws a progress bar from
// getDownloadedBytes()/getBodySize(), then posts a score as JSON. Everything happens
// in poll(), called once per frame, as in a Godot game's _process().
//   node examples/http-download/main.mjs          repeats every 3 s until Ctrl-C
//   node examples/http-download/main.mjs --once   downloads and posts once, exits 0
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HTTPClient, HTTPRequest, OK } from "gdnet";
import { startExampleServer } from "./server.mjs";

const FRAME_MS = 1000 / 60;
const BAR_WIDTH = 30;
const nextFrame = () => new Promise((resolve) => setTimeout(resolve, FRAME_MS));
const mib = (bytes) => (bytes / (1024 * 1024)).toFixed(1);

/** The bar for `downloaded` of `total` bytes (total -1: unknown). */
export function progressBar(downloaded, total) {
  if (total <= 0) return `[${"?".repeat(BAR_WIDTH)}] ${mib(downloaded)} MiB`;
  const filled = Math.min(BAR_WIDTH, Math.floor((downloaded / total) * BAR_WIDTH));
  const percent = Math.floor((downloaded / total) * 100);
  return `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${String(percent).padStart(3)}% ${mib(downloaded)}/${mib(total)} MiB`;
}

/** Draws the bar in place on a terminal; elsewhere prints a line every quarter. */
function barPrinter(out) {
  let lastQuarter = -1;
  return (downloaded, total) => {
    if (out.isTTY) {
      out.write(`\r${progressBar(downloaded, total)}`);
      return;
    }
    const quarter = total > 0 ? Math.floor((downloaded / total) * 4) : -1;
    if (quarter > lastQuarter) {
      lastQuarter = quarter;
      console.log(progressBar(downloaded, total));
    }
  };
}

/** Polls `request` once per frame, drawing progress, until its requestCompleted fires. */
async function untilCompleted(request, onFrame = () => {}) {
  let completion = null;
  const listener = (result, code, headers, body) => {
    completion = { result, code, headers, body };
  };
  request.requestCompleted.connect(listener);
  while (completion === null) {
    await nextFrame();
    request.poll();
    onFrame();
  }
  request.requestCompleted.disconnect(listener);
  return completion;
}

/** Downloads the level pack to `file` with a progress bar; returns true if it arrived intact. */
async function download(baseUrl, file) {
  const request = new HTTPRequest();
  request.downloadFile = file;
  request.timeout = 30;
  if (request.request(`${baseUrl}/files/level-pack.bin`) !== OK) throw new Error("request() failed");
  console.log("Downloading level-pack.bin...");
  const draw = barPrinter(process.stdout);
  const done = await untilCompleted(request, () => draw(request.getDownloadedBytes(), request.getBodySize()));
  if (process.stdout.isTTY) process.stdout.write("\n");
  if (done.result !== HTTPRequest.RESULT_SUCCESS || done.code !== 200) {
    console.log(`Download failed: result ${done.result}, response code ${done.code}`);
    return false;
  }
  const expected = done.headers
    .find((line) => line.toLowerCase().startsWith("x-checksum-sha256:"))
    ?.split(":")[1]
    .trim();
  const actual = createHash("sha256").update(readFileSync(file)).digest("hex");
  console.log(`Download complete: ${request.getDownloadedBytes()} bytes saved to ${file}`);
  console.log(actual === expected ? "Checksum matches the server's." : "Checksum MISMATCH.");
  return actual === expected;
}

/** Posts a score as JSON and prints the server's answer. */
async function postScore(baseUrl, score) {
  const request = new HTTPRequest();
  const body = JSON.stringify({ player: "ada", score });
  const headers = ["Content-Type: application/json", "Accept: application/json"];
  if (request.request(`${baseUrl}/api/scores`, headers, HTTPClient.METHOD_POST, body) !== OK) {
    throw new Error("request() failed");
  }
  const done = await untilCompleted(request);
  if (done.result !== HTTPRequest.RESULT_SUCCESS) {
    console.log(`Posting the score failed: result ${done.result}`);
    return null;
  }
  const answer = JSON.parse(new TextDecoder().decode(done.body));
  console.log(`Score posted (${done.code}): ${answer.player} scored ${answer.score}, rank ${answer.rank}.`);
  return answer;
}

/**
 * Runs the example against a server it starts on 127.0.0.1: the download with its
 * progress bar, then the JSON POST. With `once`, once; otherwise every 3 s until Ctrl-C.
 * Resolves with whether every download arrived intact.
 */
export async function runHttpExample({ once = false, port = 0 } = {}) {
  const server = await startExampleServer(port);
  const dir = mkdtempSync(join(tmpdir(), "gdnet-http-example-"));
  let stop = false;
  const onSignal = () => {
    stop = true;
  };
  process.once("SIGINT", onSignal);
  let intact = true;
  try {
    for (let round = 1; !stop; round++) {
      intact = (await download(server.url, join(dir, "level-pack.bin"))) && intact;
      await postScore(server.url, 1000 * round);
      if (once) break;
      for (let waited = 0; waited < 3000 && !stop; waited += FRAME_MS) await nextFrame();
    }
  } finally {
    process.removeListener("SIGINT", onSignal);
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  }
  return intact;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const intact = await runHttpExample({ once: process.argv.includes("--once") });
  process.exitCode = intact ? 0 : 1;
}
