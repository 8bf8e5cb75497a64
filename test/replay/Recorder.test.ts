import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  FileRecordingSink,
  MemoryRecordingSink,
  Recorder,
  Replay,
  WebSocketPeer,
  WebSocketServer,
} from "../../src/index.js";

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

it("a recorded server with joins, a kick and a leave replays to the same observations at the same polls", async () => {
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
  expect(replay.diverged).toBe(null);
  expect(replayed).toEqual(live);
});

describe("recording and replaying in one process", () => {
  it("step and seek replay poll by poll, and another game code is reported as a divergence", async () => {
    const sink = new MemoryRecordingSink();
    const recorder = new Recorder(sink);
    const server = new WebSocketServer({ recorder });
    const live: string[] = [];
    let poll = 0;
    game(server, (line) => live.push(`p${poll} ${line}`));
    expect(server.listen(0, { bindAddress: "127.0.0.1" })).toBe(0);
    const client = new WebSocketPeer();
    for (let i = 0; i < 400 && live.length < 3; i++) {
      poll++;
      server.poll();
      client.poll();
      if (i === 3) client.connectToUrl(`ws://127.0.0.1:${server.getLocalPort()}/`);
      if (client.getReadyState() === WebSocketPeer.STATE_OPEN && i % 50 === 0) client.sendText(`at ${i}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    recorder.close();
    client.close();
    server.stop();
    expect(sink.closed).toBe(true);
    expect(recorder.polls).toBe(poll);

    const replay = new Replay(sink.bytes());
    expect(replay.polls).toBe(poll);
    const again = new WebSocketServer({ network: replay });
    const replayed: string[] = [];
    game(again, (line) => replayed.push(`p${replay.pollIndex} ${line}`));
    expect(again.listen(0, { bindAddress: "127.0.0.1" })).toBe(0);
    const firstConnect = Number(live[0]!.split(" ")[0]!.slice(1));
    replay.seek(firstConnect - 1);
    expect(replayed).toEqual([]);
    expect(replay.step()).toBe(true);
    expect(replayed).toEqual([live[0]]);
    replay.seek(replay.polls);
    expect(replay.step()).toBe(false);
    expect(replayed).toEqual(live);
    expect(replay.diverged).toBe(null);

    // Game code that sends where the recorded one did not asks for readings the recording lacks.
    const other = new Replay(sink.bytes());
    const changed = new WebSocketServer({ network: other });
    changed.dataReceived.connect((id) => {
      changed.getPeer(id)!.getPacket();
    });
    changed.clientConnected.connect(() => changed.broadcastText("hello"));
    changed.listen(0, { bindAddress: "127.0.0.1" });
    other.seek(other.polls);
    expect(other.diverged).toMatch(/^at poll \d+: the object asked for a live reading/);
  }, 20_000);

  it("a sink that falls behind ends the recording with the failed signal inside a poll, and the server goes on", async () => {
    const sink = new MemoryRecordingSink(4096);
    const recorder = new Recorder(sink, { bufferLimit: 1 << 20 });
    const failures: string[] = [];
    let polling = false;
    recorder.failed.connect((reason) => failures.push(`${polling} ${reason}`));
    const server = new WebSocketServer({ recorder });
    server.dataReceived.connect((id) => {
      const peer = server.getPeer(id)!;
      peer.send(peer.getPacket());
    });
    expect(server.listen(0, { bindAddress: "127.0.0.1" })).toBe(0);
    const client = new WebSocketPeer();
    let echoes = 0;
    for (let i = 0; i < 2000 && echoes < 100; i++) {
      polling = true;
      server.poll();
      polling = false;
      client.poll();
      if (i === 3) client.connectToUrl(`ws://127.0.0.1:${server.getLocalPort()}/`);
      while (client.getAvailablePacketCount() > 0) {
        client.getPacket();
        echoes++;
      }
      if (client.getReadyState() === WebSocketPeer.STATE_OPEN) client.send(new Uint8Array(200));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(failures).toEqual(["true the sink took no more"]);
    expect(recorder.recording).toBe(false);
    expect(sink.size).toBeLessThanOrEqual(4096);
    // Unrecorded from then on, the server still echoes.
    expect(echoes).toBe(100);
    client.close();
    server.stop();
  }, 20_000);
});

describe("a recorded Node client", () => {
  it("replays its handshake, packets and the server's close to the same observations", async () => {
    const server = new WebSocketServer();
    server.dataReceived.connect((id) => {
      const peer = server.getPeer(id)!;
      const text = new TextDecoder().decode(peer.getPacket());
      if (text === "bye?") server.disconnectPeer(id, 4001, "as you wish");
      else peer.sendText(`echo ${text}`);
    });
    expect(server.listen(0, { bindAddress: "127.0.0.1" })).toBe(0);
    for (let i = 0; i < 100 && server.getLocalPort() === 0; i++) {
      server.poll();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const url = `ws://127.0.0.1:${server.getLocalPort()}/room?x=1`;

    /** The client's game: one step per frame, everything it sees written down. */
    const script = (peer: WebSocketPeer, transcript: string[]) => {
      let frame = 0;
      let sent = 0;
      return () => {
        frame++;
        if (frame === 2) transcript.push(`f${frame} connect ${peer.connectToUrl(url)}`);
        peer.poll();
        const line = `state ${peer.getReadyState()} code ${peer.getCloseCode()} "${peer.getCloseReason()}" buffered ${peer.getCurrentOutboundBufferedAmount()}`;
        if (transcript.at(-1)?.endsWith(line) !== true) transcript.push(`f${frame} ${line}`);
        while (peer.getAvailablePacketCount() > 0) {
          transcript.push(
            `f${frame} got ${new TextDecoder().decode(peer.getPacket())} text=${peer.wasStringPacket()}`,
          );
        }
        if (peer.getReadyState() === WebSocketPeer.STATE_OPEN && frame % 20 === 0 && sent < 4) {
          transcript.push(`f${frame} send ${peer.sendText(sent === 3 ? "bye?" : `m${sent}`)}`);
          sent++;
        }
      };
    };

    const sink = new MemoryRecordingSink();
    const recorder = new Recorder(sink);
    const live: string[] = [];
    const client = new WebSocketPeer({ recorder });
    const step = script(client, live);
    for (
      let i = 0;
      i < 3000 && !(live.at(-1)?.includes("state 3") && live.some((l) => l.includes("4001")));
      i++
    ) {
      step();
      server.poll();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    recorder.close();
    server.stop();
    expect(live.some((line) => line.includes("got echo m2 text=true"))).toBe(true);
    expect(live.at(-1)).toMatch(/state 3 code 4001 "as you wish"/);

    const replay = new Replay(sink.bytes());
    const replayed: string[] = [];
    const again = new WebSocketPeer({ network: replay });
    const replayStep = script(again, replayed);
    while (replay.pollIndex < replay.polls) replayStep();
    expect(replay.diverged).toBe(null);
    expect(replayed).toEqual(live);
  }, 20_000);
});

describe("a recorded client that pushes back", () => {
  it("replays a peer whose queue fills (reading paused, then resumed as it reads) to the same observations", async () => {
    const server = new WebSocketServer();
    server.clientConnected.connect((id) => {
      for (let i = 0; i < 50; i++) server.getPeer(id)!.sendText(`n${i}`);
    });
    expect(server.listen(0, { bindAddress: "127.0.0.1" })).toBe(0);
    for (let i = 0; i < 100 && server.getLocalPort() === 0; i++) {
      server.poll();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const url = `ws://127.0.0.1:${server.getLocalPort()}/`;
    const script = (peer: WebSocketPeer, transcript: string[]) => {
      let frame = 0;
      peer.maxQueuedPackets = 4;
      return () => {
        frame++;
        if (frame === 1) peer.connectToUrl(url);
        peer.poll();
        // One packet per frame: the queue stays full and reading pauses and resumes.
        const count = peer.getAvailablePacketCount();
        const packet = count > 0 ? new TextDecoder().decode(peer.getPacket()) : "";
        transcript.push(`f${frame} state ${peer.getReadyState()} count ${count} ${packet}`);
        return packet === "n49";
      };
    };
    const sink = new MemoryRecordingSink();
    const recorder = new Recorder(sink);
    const live: string[] = [];
    const step = script(new WebSocketPeer({ recorder }), live);
    for (let i = 0; i < 3000 && !step(); i++) {
      server.poll();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    recorder.close();
    server.stop();
    expect(live.at(-1)).toMatch(/n49$/);
    expect(live.some((line) => / count 4 /.test(line))).toBe(true);

    const replay = new Replay(sink.bytes());
    const replayed: string[] = [];
    const replayStep = script(new WebSocketPeer({ network: replay }), replayed);
    while (replay.pollIndex < replay.polls) replayStep();
    expect(replay.diverged).toBe(null);
    expect(replayed).toEqual(live);
  }, 20_000);
});

describe("a recording to a file", () => {
  it("is complete on disk once closed, and a bound smaller than one poll's writing ends it as fallen behind", async () => {
    const directory = mkdtempSync(join(tmpdir(), "gdnet-recorder-"));
    try {
      const path = join(directory, "server.gdrec");
      const sink = new FileRecordingSink(path);
      const recorder = new Recorder(sink);
      const server = new WebSocketServer({ recorder });
      expect(server.listen(0, { bindAddress: "127.0.0.1" })).toBe(0);
      for (let i = 0; i < 40; i++) server.poll();
      recorder.close();
      server.stop();
      await sink.finished();
      const replay = new Replay(readFileSync(path));
      expect(replay.polls).toBe(40);
      expect(readFileSync(path).byteLength).toBe(recorder.bytesRecorded);

      const tight = new Recorder(new FileRecordingSink(join(directory, "tight.gdrec")), { bufferLimit: 8 });
      const reasons: string[] = [];
      tight.failed.connect((reason) => reasons.push(reason));
      const other = new WebSocketServer({ recorder: tight });
      expect(other.listen(0, { bindAddress: "127.0.0.1" })).toBe(0);
      for (let i = 0; i < 40; i++) other.poll();
      other.stop();
      expect(reasons).toEqual([expect.stringMatching(/^the sink fell behind/)]);
      expect(tight.recording).toBe(false);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
