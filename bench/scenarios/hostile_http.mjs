// hostile, HTTP parts: what a hostile HTTP server costs the client, gdnet's HTTPRequest
// polled by a slow frame loop beside a plain node:http client under the same attack.
// - hostile_http_bomb: a gzip bomb (zeros, about 1 KiB per MiB once inflated, no
//   Content-Length) with bodySizeLimit = 1 MiB and a poll every 5 s. The anchor is
//   node:http piped into zlib's gunzip, counting decoded bytes in its 'data' handler and
//   stopping past 1 MiB (what a careful Node client does).
// - hostile_http_plain: a large plain body (no Content-Length, no limit) written to a
//   download file with a poll every 2 s; the anchor pipes node:http into a file stream.
// Each run has its own hostile server (test/hostile/servers/http-hostile.mjs, the one
// the tests use) and its own client process. Figures: the client's peak RSS growth
// over its baseline after a full GC (the ratio is anchor/gdnet, higher is better for
// gdnet; growths under 1 MB count as 1 MB), the longest poll() and the longest
// event-loop stall, and the RSS left after the attack and a full GC.
//
// To combine with other attack parts under one `hostile` scenario:
//   import { hostileHttpParts, hostileScenario } from "./scenarios/hostile_http.mjs";
//   const hostile = hostileScenario([...hostileHttpParts, ...otherParts]);
// where each part is { name, run(size) → figure }.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { startProcess } from "../harness.mjs";
import { gdnet, main, result, sleep } from "./common.mjs";
import { alternateRounds, attackFigures } from "./hostile_common.mjs";

const MIB = 1024 * 1024;
const HOSTILE_SERVER = fileURLToPath(new URL("../../test/hostile/servers/http-hostile.mjs", import.meta.url));
const THIS_FILE = fileURLToPath(import.meta.url);

/** Sizes: smoke skips the slow poll (and so the settling it gives the attack). */
const PARAMS = {
  bomb: {
    smoke: { mib: 16, pollMs: 20, rounds: 1 },
    quick: { mib: 1024, pollMs: 5000, rounds: 1 },
    full: { mib: 4096, pollMs: 5000, rounds: 3 },
  },
  plain: {
    smoke: { mib: 4, pollMs: 20, rounds: 1 },
    quick: { mib: 256, pollMs: 2000, rounds: 1 },
    full: { mib: 1024, pollMs: 2000, rounds: 3 },
  },
};

/** Runs one attack part: rounds of gdnet and the anchor, alternating, each in fresh processes. */
function attackPart(name, kind, target) {
  return {
    name,
    async run(size) {
      const params = PARAMS[kind][size];
      const samples = await alternateRounds(params.rounds, (variant) =>
        runAttack(kind, variant, target(params), params),
      );
      return {
        ...attackFigures(samples),
        gdnet_result: samples.gdnet[0].result,
        anchor_result: samples.anchor[0].result,
        body_mib: params.mib,
        poll_ms: params.pollMs,
      };
    },
  };
}

/** The HTTP attack parts of `npm run bench -- --only hostile`. */
export const hostileHttpParts = [
  attackPart("hostile_http_bomb", "bomb", (params) => `/gzip-bomb?mib=${params.mib}`),
  attackPart("hostile_http_plain", "plain", (params) => `/plain?mib=${params.mib}`),
];

/** A bench scenario named `hostile` running `parts` (each `{ name, run(size) }`). */
export function hostileScenario(parts) {
  const argv = process.argv;
  const size = argv.includes("--smoke") ? "smoke" : argv.includes("--quick") ? "quick" : "full";
  return {
    name: "hostile",
    parts: parts.map((part) => part.name),
    async run() {
      const figures = {};
      for (const part of parts) figures[part.name] = await part.run(size);
      return figures;
    },
  };
}

export const scenario = hostileScenario(hostileHttpParts);

/** One attack: a hostile server, then one client process; returns the client's figures. */
async function runAttack(kind, variant, target, params) {
  const server = startProcess(process.execPath, [HOSTILE_SERVER], "hostile http server");
  try {
    const { port } = JSON.parse(`{"event":"listening"${await server.line('{"event":"listening"')}`);
    const clientParams = { ...params, kind, url: `http://127.0.0.1:${port}${target}`, lifetime: 280 };
    const client = startProcess(
      process.execPath,
      ["--expose-gc", THIS_FILE, "client", variant, JSON.stringify(clientParams)],
      `hostile ${kind} ${variant}`,
    );
    try {
      return JSON.parse(await client.line("RESULT", 300_000));
    } finally {
      client.kill();
    }
  } finally {
    server.kill();
  }
}

/** RSS, and V8's heap plus array buffers, after full collections, in bytes. */
function settledMemory() {
  for (let i = 0; i < 3; i++) globalThis.gc();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heap: usage.heapUsed + usage.arrayBuffers };
}

/** Samples the RSS every 5 ms and the event loop's longest stall, until `stop()`. */
function watchMemory() {
  const baseline = settledMemory();
  let peak = baseline.rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  return {
    stop() {
      clearInterval(timer);
      delay.disable();
      peak = Math.max(peak, process.memoryUsage.rss());
      const after = settledMemory();
      return {
        peakGrowthMB: (peak - baseline.rss) / 1e6,
        longestStallMs: delay.max / 1e6,
        afterGrowthMB: (after.rss - baseline.rss) / 1e6,
        heapAfterGrowthMB: (after.heap - baseline.heap) / 1e6,
      };
    },
  };
}

function downloadPath() {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gdnet-bench-")), "body.bin");
}

/** gdnet: an HTTPRequest polled every `pollMs`. */
async function gdnetClient(params) {
  const { HTTPRequest, resultName } = await gdnet();
  const request = new HTTPRequest();
  const file = params.kind === "plain" ? downloadPath() : "";
  if (params.kind === "bomb") request.bodySizeLimit = MIB;
  else request.downloadFile = file;
  let outcome = null;
  request.requestCompleted.connect((code) => {
    outcome = resultName(code);
  });
  const watch = watchMemory();
  let longestPollMs = 0;
  request.request(params.url);
  while (outcome === null) {
    await sleep(params.pollMs);
    const start = performance.now();
    request.poll();
    longestPollMs = Math.max(longestPollMs, performance.now() - start);
  }
  const figures = watch.stop();
  if (file !== "") fs.rmSync(path.dirname(file), { recursive: true, force: true });
  result({ ...figures, longestPollMs, result: outcome });
}

/** The anchor: node:http, event-driven, with the same limit or the same file. */
async function anchorClient(params) {
  const watch = watchMemory();
  const file = params.kind === "plain" ? downloadPath() : "";
  const outcome = await new Promise((resolve) => {
    const request = http.get(
      params.url,
      { agent: false, headers: { "Accept-Encoding": "gzip" } },
      (response) => {
        if (params.kind === "plain") {
          const out = fs.createWriteStream(file);
          response.pipe(out);
          out.on("finish", () => resolve("complete"));
          response.on("error", () => resolve("connection error"));
          return;
        }
        const gunzip = zlib.createGunzip();
        const chunks = [];
        let total = 0;
        response.pipe(gunzip);
        gunzip.on("data", (chunk) => {
          total += chunk.byteLength;
          chunks.push(chunk);
          if (total > MIB) {
            request.destroy();
            gunzip.destroy();
            resolve("body size limit exceeded");
          }
        });
        gunzip.on("end", () => resolve("complete"));
        gunzip.on("error", () => resolve("decompress failed"));
      },
    );
    request.on("error", () => resolve("connection error"));
  });
  const figures = watch.stop();
  if (file !== "") fs.rmSync(path.dirname(file), { recursive: true, force: true });
  result({ ...figures, longestPollMs: 0, result: outcome });
}

if (process.argv[1] === THIS_FILE) {
  await main({ "client:gdnet": gdnetClient, "client:anchor": anchorClient });
}
