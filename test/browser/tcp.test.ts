import { expect, it } from "vitest";
import { launchChromium, servePages } from "../support/browser.js";
import { describeWithTool } from "../support/tools.js";

// In the browser build the TCP classes exist and answer ERR_UNAVAILABLE, as in Godot's
// web export; they stay usable objects (status NONE, not listening).
describeWithTool("chromium", "TCP in the browser build (headless Chromium)", () => {
  it("StreamPeerTCP.connectToHost/bind and TCPServer.listen return ERR_UNAVAILABLE", async () => {
    const pages = await servePages({
      "/": `<!doctype html><script type="module">
import { ERR_UNAVAILABLE, StreamPeerTCP, TCPServer } from "/gdnet.js";
const peer = new StreamPeerTCP();
const server = new TCPServer();
window.result = {
  unavailable: ERR_UNAVAILABLE,
  connect: peer.connectToHost("127.0.0.1", 80),
  bind: peer.bind(0),
  status: peer.getStatus(),
  put: peer.putData(new Uint8Array([1])),
  listen: server.listen(0),
  listening: server.isListening(),
  poll: peer.poll(),
};
</script>`,
    });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${pages.url}/`);
      await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined);
      const result = await page.evaluate(
        () => (window as unknown as { result: Record<string, unknown> }).result,
      );
      expect(result).toEqual({
        unavailable: 2,
        connect: 2,
        bind: 2,
        status: 0,
        put: 1,
        listen: 2,
        listening: false,
        poll: 0,
      });
    } finally {
      await browser.close();
      await pages.close();
    }
  });
});
