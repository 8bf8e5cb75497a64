import net from "node:net";
import { afterEach, expect, it } from "vitest";
import { MemoryRecordingSink, Recorder, Replay, StreamPeerTCP } from "../../src/index.js";

const servers: net.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A node:net server that answers each line with its length and ends the connection on "bye". */
async function lineServer(): Promise<number> {
  const server = net.createServer((socket) => {
    socket.on("data", (data) => {
      for (const line of data
        .toString()
        .split("\n")
        .filter((l) => l !== "")) {
        if (line === "bye") socket.end("ok bye\n");
        else socket.write(`${line.length}\n`);
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
}

/** The client's game: a step per frame, everything it sees written down. */
function script(peer: StreamPeerTCP, port: number, transcript: string[]) {
  let frame = 0;
  let sent = 0;
  return () => {
    frame++;
    if (frame === 2) transcript.push(`f${frame} connect ${peer.connectToHost("127.0.0.1", port)}`);
    peer.poll();
    const line = `status ${peer.getStatus()} available ${peer.getAvailableBytes()}`;
    if (transcript.at(-1)?.endsWith(line) !== true) transcript.push(`f${frame} ${line}`);
    if (peer.getAvailableBytes() > 0) {
      const [error, data] = peer.getData(peer.getAvailableBytes());
      transcript.push(`f${frame} read ${error} ${JSON.stringify(new TextDecoder().decode(data))}`);
    }
    if (peer.getStatus() === StreamPeerTCP.STATUS_CONNECTED && frame % 10 === 0 && sent < 4) {
      const text = sent === 3 ? "bye\n" : `${"x".repeat(sent + 1)}\n`;
      transcript.push(`f${frame} put ${peer.putData(new TextEncoder().encode(text))}`);
      sent++;
    }
    return peer.getStatus() === StreamPeerTCP.STATUS_NONE && sent === 4;
  };
}

it("a recorded StreamPeerTCP replays its connection, reads and the remote's close to the same observations", async () => {
  const port = await lineServer();
  const sink = new MemoryRecordingSink();
  const recorder = new Recorder(sink);
  const live: string[] = [];
  const step = script(new StreamPeerTCP({ recorder }), port, live);
  for (let i = 0; i < 3000 && !step(); i++) await new Promise((resolve) => setTimeout(resolve, 1));
  recorder.close();
  expect(live.join("\n")).toContain('read 0 "ok bye\\n"');
  expect(live.at(-1)).toMatch(/status 0/);

  const replay = new Replay(sink.bytes());
  const replayed: string[] = [];
  const replayStep = script(new StreamPeerTCP({ network: replay }), port, replayed);
  while (replay.pollIndex < replay.polls) replayStep();
  expect(replay.diverged).toBe(null);
  expect(replayed).toEqual(live);
}, 20_000);
