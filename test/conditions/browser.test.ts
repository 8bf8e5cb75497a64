import { afterAll, beforeAll, expect, it } from "vitest";
import { WebSocketServer } from "../../src/index.js";
import { pageBesideServer } from "../support/browser.js";
import { describeWithTool } from "../support/tools.js";

/*
 * Conditions in a browser (Chromium, the browser build): inbound messages are held
 * before poll() sees them and sends are held before the browser's WebSocket gets them.
 * Run `npm run build` first: the page loads dist/browser/gdnet.js.
 */

const PAGE = `<!doctype html><meta charset="utf-8"><title>gdnet conditions</title>
<script type="module">
import * as gdnet from "/gdnet.js";
window.roundTrips = async (url, count) => {
  const peer = new gdnet.WebSocketPeer({ conditions: { latency: 100, jitter: 20, seed: 7 } });
  peer.connectToUrl(url);
  const end = performance.now() + 15000;
  const tick = () => new Promise((resolve) => setTimeout(resolve, 1));
  while (peer.getReadyState() !== gdnet.WebSocketPeer.STATE_OPEN && performance.now() < end) {
    peer.poll();
    await tick();
  }
  const sentAt = [];
  const order = [];
  const rtts = [];
  let heldSeen = false;
  while (order.length < count && performance.now() < end) {
    peer.poll();
    while (peer.getAvailablePacketCount() > 0) {
      const n = peer.getPacket()[0];
      order.push(n);
      rtts.push(performance.now() - sentAt[n]);
    }
    if (sentAt.length < count && (sentAt.length === 0 || performance.now() - sentAt[sentAt.length - 1] >= 3)) {
      sentAt.push(performance.now());
      peer.send(new Uint8Array([sentAt.length - 1]));
      if (peer.getCurrentOutboundBufferedAmount() > 0) heldSeen = true;
    }
    await tick();
  }
  peer.close();
  return { order, rtts, heldSeen };
};
window.ready = true;
</script>`;

describeWithTool("chromium", "conditions in a browser", () => {
  const server = new WebSocketServer();
  let session: Awaited<ReturnType<typeof pageBesideServer>> | undefined;

  beforeAll(async () => {
    server.dataReceived.connect((id) => {
      const peer = server.getPeer(id)!;
      peer.send(peer.getPacket());
    });
    expect(server.listen(0, { bindAddress: "127.0.0.1" })).toBe(0);
    session = await pageBesideServer(server, PAGE);
  });

  afterAll(async () => {
    await session?.close();
  });

  it("with 100 ms ± 20 ms, no round trip is shorter than 2 × 80 ms, order is kept and held sends count as buffered", async () => {
    const page = await session!.open();
    const count = 30;
    const outcome = await page.evaluate(
      ([url, n]) =>
        (
          window as unknown as {
            roundTrips(
              url: string,
              count: number,
            ): Promise<{ order: number[]; rtts: number[]; heldSeen: boolean }>;
          }
        ).roundTrips(url as string, n as number),
      [`ws://127.0.0.1:${server.getLocalPort()}/`, count] as const,
    );
    expect(outcome.order).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(Math.min(...outcome.rtts)).toBeGreaterThanOrEqual(2 * (100 - 20) - 1);
    expect(outcome.heldSeen).toBe(true);
  }, 30_000);
});
