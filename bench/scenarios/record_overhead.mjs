// record_overhead: echo_100 (100 connections, 64 messages in flight each, 32-byte
// messages) against a gdnet server that records itself to a file, beside the same server
// not recording; the ratio is recording/not (goal ≥ ×0.9: recording costs at most 10%).
// The recording server also reports the recording's bytes per echoed message.
// Clients are echo.mjs's gdnet clients.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startProcess } from "../harness.mjs";
import { fail, gdnet, main, ready, tick } from "./common.mjs";
import { echoParams, echoSummary } from "./echo.mjs";

const summarize = echoSummary(["recording", "plain"]);

export const scenario = {
  name: "record_overhead",
  file: new URL("./echo.mjs", import.meta.url),
  params: echoParams(100, 64),
  variants: ["recording", "plain"],
  clientVariant: () => "gdnet",
  serverReport: true,
  startServer(variant, params) {
    const args = ["--expose-gc", fileURLToPath(import.meta.url), "server", variant, JSON.stringify(params)];
    return startProcess(process.execPath, args, `server ${variant}`);
  },
  summarize(samples, params) {
    const summary = summarize(samples, params);
    const reports = samples.recording.map((sample) => sample.server.bytesPerMessage);
    summary.gdnet = summary.recording;
    summary.anchor = summary.plain;
    summary.bytes_per_message = reports.reduce((a, b) => a + b, 0) / reports.length;
    summary.note = `recording ${summary.bytes_per_message.toFixed(1)} bytes/message`;
    return summary;
  },
};

if (import.meta.url === `file://${process.argv[1]}`) {
  await main({
    async "server:recording"(params) {
      await serve(params, true);
    },
    async "server:plain"(params) {
      await serve(params, false);
    },
  });
}

/** echo.mjs's gdnet echo server, recording itself or not; reports once the clients' window has passed. */
async function serve(params, recording) {
  const { FileRecordingSink, Recorder, WebSocketServer, OK } = await gdnet();
  const directory = mkdtempSync(join(tmpdir(), "gdnet-record-bench-"));
  process.on("exit", () => rmSync(directory, { recursive: true, force: true }));
  const recorder = recording
    ? new Recorder(new FileRecordingSink(join(directory, "server.gdrec")))
    : undefined;
  recorder?.failed.connect((reason) => fail(`server: the recording failed: ${reason}`));
  const server = new WebSocketServer({ recorder });
  server.listen(0);
  ready(server.getLocalPort());
  let echoed = 0;
  let firstAt = 0;
  let reported = false;
  for (;;) {
    server.poll();
    while (server.getAvailablePacketCount() > 0) {
      const peer = server.getPeer(server.getPacketPeer());
      const packet = server.getPacket();
      if (peer !== null && peer.putPacket(packet) !== OK) fail("server: a send was refused");
      echoed++;
    }
    if (echoed > 0 && firstAt === 0) firstAt = performance.now();
    if (!reported && firstAt > 0 && performance.now() - firstAt > (params.warmup + params.seconds) * 1000) {
      reported = true;
      const bytes = recorder?.bytesRecorded ?? 0;
      console.log(`REPORT ${JSON.stringify({ echoed, bytesPerMessage: bytes / echoed })}`);
    }
    await tick();
  }
}
