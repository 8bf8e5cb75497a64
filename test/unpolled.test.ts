import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer as WsServer } from "ws";
import { OK, StreamPeerTCP, WebSocketPeer } from "../src/index.js";
import { firstMismatch, streamChunk } from "./support/stream-pattern.js";
import { pump } from "./websocket/support.js";

/*
 * A game that stops polling for a while (paused, or one very long frame) while the
 * remote keeps sending. Node reads sockets eagerly, so without a bound every byte would
 * wait in memory for the next poll(). gdnet stops reading once a connection has staged
 * 4 MiB (or 4,096 messages) since its owner's last poll, so TCP pushes back on the
 * sender, as it does against Godot, which reads only inside poll(); when polling
 * resumes, everything arrives, in order. On real loopback sockets.
 */

const SENT_BYTES = 48 * 1024 * 1024;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `read()` stops changing for `quietMs` (the sender's backlog settled). */
async function settle(read: () => number, quietMs = 300, limitMs = 10_000): Promise<number> {
  const end = performance.now() + limitMs;
  let last = read();
  let since = performance.now();
  while (performance.now() < end) {
    await sleep(25);
    const now = read();
    if (now !== last) {
      last = now;
      since = performance.now();
    } else if (performance.now() - since >= quietMs) {
      break;
    }
  }
  return last;
}

describe("a peer that is not polled while the remote keeps sending", () => {
  it("StreamPeerTCP stops reading, the sender's data waits in its own buffer, and nothing is lost", async () => {
    const server = net.createServer();
    cleanups.push(() => server.close());
    let remote: net.Socket | null = null;
    server.on("connection", (socket) => {
      remote = socket;
      cleanups.push(() => socket.destroy());
      for (let offset = 0; offset < SENT_BYTES; offset += 64 * 1024)
        socket.write(streamChunk(offset, 64 * 1024));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const peer = new StreamPeerTCP();
    cleanups.push(() => peer.disconnectFromHost());
    expect(peer.connectToHost("127.0.0.1", (server.address() as net.AddressInfo).port)).toBe(OK);
    await pump([peer], () => peer.getStatus() === StreamPeerTCP.STATUS_CONNECTED);

    // No poll now, while the server writes 48 MiB.
    const waiting = await settle(() => remote?.writableLength ?? 0);
    // Node read at most the budget (plus what was in flight) and left the rest with the
    // sender: without the bound, the whole stream would have been read into memory.
    expect(waiting).toBeGreaterThan(16 * 1024 * 1024);

    let received = 0;
    let mismatch = -1;
    await pump(
      [peer],
      () => {
        const [err, bytes] = peer.getPartialData(1024 * 1024);
        expect(err).toBe(OK);
        if (mismatch < 0) mismatch = firstMismatch(bytes, received);
        received += bytes.byteLength;
        return received === SENT_BYTES;
      },
      30_000,
    );
    expect(mismatch).toBe(-1);
    expect(received).toBe(SENT_BYTES);
  }, 60_000);

  it("WebSocketPeer stops reading, the sender's messages wait in its own buffer, and all arrive in order", async () => {
    const server = new WsServer({ port: 0, host: "127.0.0.1", perMessageDeflate: false });
    cleanups.push(() => server.close());
    await new Promise<void>((resolve) => server.on("listening", () => resolve()));
    const MESSAGE = 16 * 1024;
    const COUNT = SENT_BYTES / MESSAGE;
    let remote: import("ws").WebSocket | null = null;
    server.on("connection", (socket) => {
      remote = socket;
      for (let n = 0; n < COUNT; n++) {
        const message = streamChunk(n * MESSAGE, MESSAGE);
        message.writeUInt32LE(n, 0);
        socket.send(message);
      }
    });
    const peer = new WebSocketPeer();
    // Limits large enough to hold the whole stream, so the peer's own packet queue (which
    // pauses reading at its limits once poll() applies packets) is not what holds it back.
    peer.inboundBufferSize = 2 * SENT_BYTES;
    peer.maxQueuedPackets = 2 * COUNT;
    cleanups.push(() => peer.close(-1));
    expect(peer.connectToUrl(`ws://127.0.0.1:${(server.address() as net.AddressInfo).port}/`)).toBe(OK);
    await pump([peer], () => peer.getReadyState() === WebSocketPeer.STATE_OPEN);

    // No poll now, while the server sends 48 MiB in 16 KiB messages.
    const waiting = await settle(() => remote?.bufferedAmount ?? 0);
    expect(waiting).toBeGreaterThan(16 * 1024 * 1024);

    let next = 0;
    let wrong = -1;
    await pump(
      [peer],
      () => {
        while (peer.getAvailablePacketCount() > 0) {
          const packet = peer.getPacket();
          const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
          if (wrong < 0 && (packet.byteLength !== MESSAGE || view.getUint32(0, true) !== next)) wrong = next;
          next++;
        }
        return next === COUNT;
      },
      30_000,
    );
    expect(wrong).toBe(-1);
    expect(next).toBe(COUNT);
    expect(peer.getReadyState()).toBe(WebSocketPeer.STATE_OPEN);
  }, 60_000);
});
