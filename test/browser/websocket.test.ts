import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { OK, WebSocketServer } from "../../src/index.js";
import { launchChromium, servePages } from "../support/browser.js";
import { describeWithTool } from "../support/tools.js";
import { pump } from "../websocket/support.js";

/*
 * The browser build in headless Chromium: a page runs a requestAnimationFrame loop that
 * polls a WebSocketPeer connected to gdnet's WebSocketServer on Node, exchanges text and
 * binary, and closes with 4001. Both sides report what they saw.
 */

function page(port: number): string {
  return `<!doctype html><meta charset="utf-8"><title>gdnet WebSocket</title>
<script type="module">
import { WebSocketPeer, WebSocketServer, StreamPeerTCP, ERR_UNAVAILABLE } from "/gdnet.js";
const log = [];
window.gdnetLog = log;
const peer = new WebSocketPeer();
peer.heartbeatInterval = 0.05;
log.push("acceptStream " + (peer.acceptStream(new StreamPeerTCP()) === ERR_UNAVAILABLE));
log.push("listen " + (new WebSocketServer().listen(0) === ERR_UNAVAILABLE));
log.push("connect " + peer.connectToUrl("ws://127.0.0.1:${port}/browser"));
let state = peer.getReadyState();
let received = 0;
let frames = 0;
function frame() {
  frames++;
  peer.poll();
  const now = peer.getReadyState();
  if (now !== state) {
    state = now;
    log.push("state " + now);
    if (now === 1) {
      peer.sendText("héllo from the browser");
      peer.send(new Uint8Array([1, 2, 3, 250]));
    }
    if (now === 3) {
      log.push("closed " + peer.getCloseCode() + " " + peer.getCloseReason());
      log.push("frames>1 " + (frames > 1));
      return;
    }
  }
  while (peer.getAvailablePacketCount() > 0) {
    const packet = peer.getPacket();
    if (peer.wasStringPacket()) log.push("text " + new TextDecoder().decode(packet));
    else log.push("binary " + Array.from(packet).join(","));
    received++;
    if (received === 2) {
      // The browser's rules for close codes and reasons, checked before the browser sees them.
      log.push("invalid " + peer.close(1001) + " " + peer.close(4001, "x".repeat(124)) + " state " + peer.getReadyState());
      log.push("close " + peer.close(4001, "bye from the browser") + " state " + peer.getReadyState());
      state = peer.getReadyState();
    }
  }
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);
</script>`;
}

describeWithTool("chromium", "WebSocket in the browser build (headless Chromium)", () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("a requestAnimationFrame loop exchanges text and binary with a gdnet server and closes with 4001", async () => {
    const server = new WebSocketServer();
    expect(server.listen(0, { bindAddress: "127.0.0.1" })).toBe(OK);
    await pump([server], () => server.getLocalPort() !== 0);
    const events: string[] = [];
    server.clientConnected.connect(() => events.push("connected"));
    server.dataReceived.connect((id) => {
      const peer = server.getPeer(id)!;
      const packet = peer.getPacket();
      if (peer.wasStringPacket()) {
        events.push(`text ${new TextDecoder().decode(packet)}`);
        peer.sendText(`echo: ${new TextDecoder().decode(packet)}`);
      } else {
        events.push(`binary ${[...packet].join(",")}`);
        peer.send(packet.slice().reverse());
      }
    });
    server.clientCloseRequest.connect((_id, code, reason) => events.push(`close-request ${code} ${reason}`));
    server.clientDisconnected.connect((_id, clean) => events.push(`disconnected ${clean}`));
    const pages = await servePages({ "/": page(server.getLocalPort()) });
    const tab = await browser.newPage();
    try {
      await tab.goto(`${pages.url}/`);
      let browserDone = false;
      const waiting = tab
        .waitForFunction(
          () => (window as unknown as { gdnetLog: string[] }).gdnetLog.some((l) => l.startsWith("frames")),
          undefined,
          {
            timeout: 15_000,
          },
        )
        .then(() => {
          browserDone = true;
        });
      await pump([server], () => browserDone && events.includes("disconnected true"), 20_000);
      await waiting;
      const log = await tab.evaluate(() => (window as unknown as { gdnetLog: string[] }).gdnetLog);
      expect(log).toEqual([
        "acceptStream true",
        "listen true",
        "connect 0",
        "state 1",
        "text echo: héllo from the browser",
        "binary 250,3,2,1",
        "invalid 31 31 state 1",
        "close 0 state 2",
        "state 3",
        "closed 4001 bye from the browser",
        "frames>1 true",
      ]);
      expect(events).toEqual([
        "connected",
        "text héllo from the browser",
        "binary 1,2,3,250",
        "close-request 4001 bye from the browser",
        "disconnected true",
      ]);
    } finally {
      await tab.close();
      await pages.close();
      server.stop();
    }
  });

  it("a gdnet server's close with 1001, 1008 and 1011 reaches the browser's WebSocketPeer with code and reason", async () => {
    const server = new WebSocketServer();
    expect(server.listen(0, { bindAddress: "127.0.0.1" })).toBe(OK);
    await pump([server], () => server.getLocalPort() !== 0);
    const closes: [number, string][] = [
      [1001, "going away"],
      [1008, "policy violation"],
      [1011, "internal error"],
    ];
    let connections = 0;
    server.clientConnected.connect((id) => {
      const [code, reason] = closes[connections++] ?? [1000, ""];
      server.disconnectPeer(id, code, reason);
    });
    const html = `<!doctype html><meta charset="utf-8"><script type="module">
import { WebSocketPeer } from "/gdnet.js";
window.gdnetLog = [];
const peers = [0, 1, 2].map(() => new WebSocketPeer());
let next = 0;
function frame() {
  if (next < 3 && (next === 0 || peers[next - 1].getReadyState() === WebSocketPeer.STATE_CLOSED)) {
    peers[next++].connectToUrl("ws://127.0.0.1:${server.getLocalPort()}/");
  }
  for (const peer of peers) peer.poll();
  const closed = peers.filter((peer) => peer.getReadyState() === WebSocketPeer.STATE_CLOSED && next === 3);
  if (next === 3 && closed.length === 3) {
    window.gdnetLog = peers.map((peer) => peer.getCloseCode() + " " + peer.getCloseReason());
    return;
  }
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);
</script>`;
    const pages = await servePages({ "/": html });
    const tab = await browser.newPage();
    try {
      await tab.goto(`${pages.url}/`);
      let log: string[] = [];
      const started = performance.now();
      while (log.length !== 3) {
        // A hang guard, not a timing: the page reports once its three peers are closed.
        if (performance.now() - started > 20_000) throw new Error(`the page did not finish: ${log}`);
        await pump([server], () => true);
        log = await tab.evaluate(() => (window as unknown as { gdnetLog: string[] }).gdnetLog);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(log).toEqual(["1001 going away", "1008 policy violation", "1011 internal error"]);
    } finally {
      await tab.close();
      await pages.close();
      server.stop();
    }
  });
});
