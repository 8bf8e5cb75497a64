import { afterAll, beforeAll, expect, it } from "vitest";
import { Replay, WebSocketPeer, WebSocketServer } from "../../src/index.js";
import { pageBesideServer } from "../support/browser.js";
import { describeWithTool } from "../support/tools.js";

/*
 * A browser client recorded in the page (Chromium, the browser build, a
 * MemoryRecordingSink) and replayed in Node with the same game code: the same
 * observations at every poll. Run `npm run build` first: the page loads
 * dist/browser/gdnet.js.
 */

/** The client's game, as source text so the page and Node run the very same code. */
const GAME = `(WebSocketPeer, peer, url, transcript) => {
  let frame = 0;
  let sent = 0;
  const decoder = new TextDecoder();
  return () => {
    frame++;
    if (frame === 2) transcript.push("f" + frame + " connect " + peer.connectToUrl(url));
    peer.poll();
    const line = "state " + peer.getReadyState() + " code " + peer.getCloseCode() + ' "' + peer.getCloseReason() + '" buffered ' + peer.getCurrentOutboundBufferedAmount() + " protocol " + peer.getSelectedProtocol();
    if (!(transcript.length > 0 && transcript[transcript.length - 1].endsWith(line))) transcript.push("f" + frame + " " + line);
    while (peer.getAvailablePacketCount() > 0) {
      transcript.push("f" + frame + " got " + decoder.decode(peer.getPacket()) + " text=" + peer.wasStringPacket());
    }
    if (peer.getReadyState() === WebSocketPeer.STATE_OPEN && frame % 5 === 0 && sent < 4) {
      transcript.push("f" + frame + " send " + peer.sendText(sent === 3 ? "bye?" : "m" + sent));
      sent++;
    }
    return peer.getReadyState() === WebSocketPeer.STATE_CLOSED && frame > 2;
  };
}`;

const PAGE = `<!doctype html><meta charset="utf-8"><title>gdnet recording</title>
<script type="module">
import * as gdnet from "/gdnet.js";
const makeGame = ${GAME};
window.record = async (url) => {
  const sink = new gdnet.MemoryRecordingSink();
  const recorder = new gdnet.Recorder(sink);
  const peer = new gdnet.WebSocketPeer({ recorder });
  peer.supportedProtocols = ["chat"];
  const transcript = [];
  const step = makeGame(gdnet.WebSocketPeer, peer, url, transcript);
  const end = performance.now() + 20000;
  while (!step() && performance.now() < end) await new Promise((resolve) => setTimeout(resolve, 2));
  recorder.close();
  return { transcript, recording: Array.from(sink.bytes()), platform: "browser" };
};
window.ready = true;
</script>`;

describeWithTool("chromium", "a browser client recorded in the page", () => {
  const server = new WebSocketServer();
  let session: Awaited<ReturnType<typeof pageBesideServer>> | undefined;

  beforeAll(async () => {
    server.supportedProtocols = ["chat"];
    server.dataReceived.connect((id) => {
      const peer = server.getPeer(id)!;
      const text = new TextDecoder().decode(peer.getPacket());
      if (text === "bye?") server.disconnectPeer(id, 4002, "enough");
      else peer.sendText(`echo ${text}`);
    });
    expect(server.listen(0, { bindAddress: "127.0.0.1" })).toBe(0);
    session = await pageBesideServer(server, PAGE);
  });

  afterAll(async () => {
    await session?.close();
  });

  it("replays in Node to the same observations at every poll", async () => {
    const page = await session!.open();
    const url = `ws://127.0.0.1:${server.getLocalPort()}/chat`;
    const live = await page.evaluate(
      (target) =>
        (
          window as unknown as { record(url: string): Promise<{ transcript: string[]; recording: number[] }> }
        ).record(target),
      url,
    );
    const lines = live.transcript.join("\n");
    expect(
      live.transcript.some((line) => line.includes("got echo m2 text=true")),
      lines,
    ).toBe(true);
    // The last state seen is the server's close (an echo that came in the same poll is
    // read after it).
    const states = live.transcript.filter((line) => line.includes(" state "));
    expect(states.at(-1), lines).toMatch(/state 3 code 4002 "enough"/);

    const replay = new Replay(Uint8Array.from(live.recording));
    expect(replay.platform).toBe("browser");
    const peer = new WebSocketPeer({ network: replay });
    peer.supportedProtocols = ["chat"];
    const transcript: string[] = [];
    // The very game source the page ran.
    const makeGame = new Function(`return ${GAME};`)() as (...args: unknown[]) => () => boolean;
    const step = makeGame(WebSocketPeer, peer, url, transcript);
    while (replay.pollIndex < replay.polls) step();
    expect(replay.diverged).toBe(null);
    expect(transcript).toEqual(live.transcript);
  }, 30_000);
});
