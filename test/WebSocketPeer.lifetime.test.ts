import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { MemoryNetwork, OK, WebSocketPeer, WebSocketServer } from "../src/index.js";
import { pump } from "./websocket/support.js";

const run = promisify(execFile);

describe("WebSocketPeer lifetimes and close codes seen by other implementations", () => {
  it("on Node a peer dropped without close() is aborted once collected (unclean, -1); a held one stays open; a disposed one closes with 1000", async () => {
    const script = fileURLToPath(new URL("./fixtures/websocket-dropped.mjs", import.meta.url));
    const entry = new URL("../dist/index.js", import.meta.url).href;
    const { stdout } = await run(process.execPath, ["--expose-gc", script, entry], { timeout: 25_000 });
    const report = JSON.parse(stdout.trim().split("\n").pop()!);
    expect(report).toEqual({
      droppedClosed: true,
      dropped: { clean: false, code: -1 },
      disposed: { clean: true, code: 1000 },
      heldStillOpen: true,
    });
  });

  it("disposing peers and servers on a MemoryNetwork closes them, as close() and stop() do", () => {
    const network = new MemoryNetwork({ seed: 3 });
    const server = new WebSocketServer({ network });
    expect(server.listen(7100)).toBe(OK);
    const client = new WebSocketPeer({ network });
    client.connectToUrl("ws://127.0.0.1:7100/");
    const step = (n: number) => {
      for (let i = 0; i < n; i++) {
        network.advance(16);
        client.poll();
        server.poll();
      }
    };
    step(4);
    expect(client.getReadyState()).toBe(WebSocketPeer.STATE_OPEN);
    client[Symbol.dispose]();
    expect(client.getReadyState()).toBe(WebSocketPeer.STATE_CLOSING);
    step(4);
    expect(client.getCloseCode()).toBe(1000);
    server[Symbol.dispose]();
    expect(server.isListening()).toBe(false);
  });

  it("a gdnet server's close with 1001, 1008 and 1011 reaches a raw ws client with code and reason", async () => {
    const server = new WebSocketServer();
    expect(server.listen(0, { bindAddress: "127.0.0.1" })).toBe(OK);
    try {
      await pump([server], () => server.getLocalPort() !== 0);
      for (const [code, reason] of [
        [1001, "going away"],
        [1008, "policy violation"],
        [1011, "internal error"],
      ] as const) {
        const socket = new WebSocket(`ws://127.0.0.1:${server.getLocalPort()}/`);
        let closed: { code: number; reason: string } | null = null;
        socket.on("close", (c: number, r: Buffer) => {
          closed = { code: c, reason: r.toString() };
        });
        socket.on("error", () => {});
        const before = server.getPeerCount();
        await pump([server], () => server.getPeerCount() > before);
        const id = server.getPeerIds().at(-1)!;
        expect(server.disconnectPeer(id, code, reason)).toBe(OK);
        await pump([server], () => closed !== null);
        expect(closed).toEqual({ code, reason });
      }
    } finally {
      server.stop();
    }
  });
});
