import { expect, it } from "vitest";
import { MemoryRecordingSink, Recorder, Replay, WebSocketPeer, WebSocketServer } from "../../src/index.js";

function game(server: WebSocketServer, log: (line: string) => void): void {
  const decoder = new TextDecoder();
  server.clientConnected.connect((id, protocol) => log(`connected ${id} ${protocol}`));
  server.clientDisconnected.connect((id, clean, code, reason) =>
    log(`disconnected ${id} ${clean} ${code} ${reason}`),
  );
  server.clientCloseRequest.connect((id, code, reason) => log(`close request ${id} ${code} ${reason}`));
  server.dataReceived.connect((id) => {
    const text = decoder.decode(server.getPeer(id)!.getPacket());
    log(`data ${id} ${text}`);
    if (text === "kick") server.disconnectPeer(id, 4000, "kicked");
    else log(`send ${server.getPeer(id)!.sendText(`echo ${text}`)}`);
  });
}

it("smoke: a recorded server replays", async () => {
  const sink = new MemoryRecordingSink();
  const recorder = new Recorder(sink);
  const live: string[] = [];
  let poll = 0;
  const server = new WebSocketServer({ recorder });
  game(server, (line) => live.push(`p${poll} ${line}`));
  expect(server.listen(0, { bindAddress: "127.0.0.1" })).toBe(0);
  const clients: WebSocketPeer[] = [];
  for (let i = 0; i < 600; i++) {
    poll++;
    server.poll();
    for (const c of clients) c.poll();
    if (i === 5)
      for (let k = 0; k < 3; k++) {
        const c = new WebSocketPeer();
        c.connectToUrl(`ws://127.0.0.1:${server.getLocalPort()}/`);
        clients.push(c);
      }
    if (i === 100) clients[0]!.sendText("hello");
    if (i === 120) clients[1]!.sendText("kick");
    if (i === 140) clients[2]!.close(1000, "bye");
    await new Promise((r) => setTimeout(r, 1));
  }
  recorder.close();
  server.stop();
  const replay = new Replay(sink.bytes());
  const replayed: string[] = [];
  const again = new WebSocketServer({ network: replay });
  let rpoll = 0;
  game(again, (line) => replayed.push(`p${rpoll} ${line}`));
  expect(again.listen(0, { bindAddress: "127.0.0.1" })).toBe(0);
  while (replay.pollIndex < replay.polls) {
    rpoll++;
    replay.step();
  }
  console.log(live.join("\n"), "\n---\n", replay.diverged, replay.polls, sink.size);
  expect(replay.diverged).toBe(null);
  expect(replayed).toEqual(live);
});
