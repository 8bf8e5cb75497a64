import net from "node:net";
import { afterEach, expect, it } from "vitest";
import { MemoryRecordingSink, Recorder, Replay, type StreamPeerTCP, TCPServer } from "../../src/index.js";

/*
 * A TCPServer recorded with the peers it hands out (the Godot way: isConnectionAvailable,
 * takeConnection, each peer polled by the game), against three node:net clients: one is
 * kicked, one closes, one stays. Replayed with no network, the game's every observation
 * is the same: who was taken when, from where, what each peer read, what each write
 * answered, every status change.
 */

const sockets: net.Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
});

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The server's game, one step per frame, everything it sees written down. */
function game(server: TCPServer, transcript: string[]) {
  const peers: StreamPeerTCP[] = [];
  const statuses: number[] = [];
  let frame = 0;
  return () => {
    frame++;
    // The frame's poll: harmless for a TCPServer, and what a replay counts.
    server.poll();
    if (frame === 1) transcript.push(`f1 listen ${server.listen(0, "127.0.0.1")}`);
    while (server.isConnectionAvailable()) {
      const peer = server.takeConnection()!;
      peers.push(peer);
      statuses.push(peer.getStatus());
      transcript.push(
        `f${frame} took peer ${peers.length - 1} from ${peer.getConnectedHost()}:${peer.getConnectedPort()} status ${peer.getStatus()}`,
      );
    }
    peers.forEach((peer, i) => {
      peer.poll();
      const available = peer.getAvailableBytes();
      if (available > 0) {
        const [error, data] = peer.getData(available);
        const text = decoder.decode(data);
        transcript.push(`f${frame} peer ${i} read ${error} ${JSON.stringify(text)}`);
        for (const line of text.split("\n").filter((part) => part !== "")) {
          if (line === "kick") {
            peer.disconnectFromHost();
            transcript.push(`f${frame} peer ${i} kicked`);
          } else {
            const [error, sent] = peer.putPartialData(encoder.encode(`echo ${line}\n`));
            transcript.push(`f${frame} peer ${i} put ${error} ${sent}`);
          }
        }
      }
      if (peer.getStatus() !== statuses[i]) {
        statuses[i] = peer.getStatus();
        transcript.push(`f${frame} peer ${i} status ${statuses[i]}`);
      }
    });
    return statuses;
  };
}

/** A client that says `lines` one at a time, each after the answer to the one before, then does `end`. */
function client(port: number, lines: string[], end: "wait" | "close"): { done: () => boolean } {
  const socket = net.connect(port, "127.0.0.1");
  sockets.push(socket);
  let answers = 0;
  let ended = false;
  socket.on("connect", () => socket.write(`${lines[0]}\n`));
  socket.on("data", (data) => {
    answers += data
      .toString()
      .split("\n")
      .filter((part) => part !== "").length;
    if (answers < lines.length) socket.write(`${lines[answers]}\n`);
    else if (end === "close") socket.end();
  });
  socket.on("end", () => {
    ended = true;
  });
  socket.on("close", () => {
    ended = true;
  });
  socket.on("error", () => {});
  return { done: () => (end === "wait" ? ended : answers >= lines.length && ended) };
}

it("a recorded TCPServer replays the peers it handed out, their reads, writes, kicks and closes, to the same observations", async () => {
  const sink = new MemoryRecordingSink();
  const recorder = new Recorder(sink);
  const server = new TCPServer({ recorder });
  const live: string[] = [];
  const step = game(server, live);
  const frameUntil = async (done: () => boolean) => {
    for (let i = 0; i < 5000 && !done(); i++) {
      step();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };
  await frameUntil(() => server.getLocalPort() > 0);
  const port = server.getLocalPort();
  expect(port).toBeGreaterThan(0);
  // Each client starts after the one before was taken, so the order is the recording's.
  const kicked = client(port, ["hello", "kick"], "wait");
  await frameUntil(() => live.some((line) => line.includes("took peer 0")));
  const closing = client(port, ["a", "b"], "close");
  await frameUntil(() => live.some((line) => line.includes("took peer 1")));
  const staying = client(port, ["still here"], "wait");
  await frameUntil(
    () =>
      kicked.done() && closing.done() && live.some((line) => line.includes('peer 2 read 0 "still here\\n"')),
  );
  // A few frames more, so the last answers and status changes are seen.
  const statuses = step();
  await frameUntil(() => statuses[0] === 0 && statuses[1] !== 2);
  for (let i = 0; i < 5; i++) step();
  recorder.close();
  server.stop();
  expect(staying.done()).toBe(false);
  const text = live.join("\n");
  expect(text).toMatch(/peer 0 kicked/);
  expect(text).toMatch(/peer 1 read 0 "(a\\n|a\\nb\\n)"/);
  expect(text).toMatch(/peer 1 status [03]/);
  expect(text).toMatch(/peer 2 put 0 16/);

  const replay = new Replay(sink.bytes());
  const replayed: string[] = [];
  const replayStep = game(new TCPServer({ network: replay }), replayed);
  while (replay.pollIndex < replay.polls) replayStep();
  expect(replay.diverged).toBe(null);
  expect(replayed).toEqual(live);
}, 30_000);
