import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer as WsServer } from "ws";
import { STAGING_BYTES_LIMIT } from "../src/core/StagingBudget.js";
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
 *
 * The bound is checked on gdnet's own count of what it staged, against the cap, never
 * on how much the kernel or the sender buffered (that depends on the machine).
 */

const SENT_BYTES = 48 * 1024 * 1024;
/** The most one socket read brings (libuv reads up to 64 KiB): the cap may be passed by one. */
const ONE_READ = 64 * 1024;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (without polling anything) until `done()`; the limit is a hang guard only. */
async function waitFor(done: () => boolean, limitMs = 15_000): Promise<void> {
  const end = performance.now() + limitMs;
  while (!done()) {
    if (performance.now() > end) throw new Error(`condition not reached within ${limitMs} ms`);
    await sleep(2);
  }
}

/** Lets the event loop run `turns` times with no poll: a count of turns, not a duration. */
async function idleTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await sleep(1);
}

describe("a peer that is not polled while the remote keeps sending", () => {
  it("StreamPeerTCP stages at most its budget between two polls, stops reading there, and loses nothing", async () => {
    const server = net.createServer();
    cleanups.push(() => server.close());
    server.on("connection", (socket) => {
      cleanups.push(() => socket.destroy());
      for (let offset = 0; offset < SENT_BYTES; offset += 64 * 1024)
        socket.write(streamChunk(offset, 64 * 1024));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const peer = new StreamPeerTCP();
    cleanups.push(() => peer.disconnectFromHost());
    expect(peer.connectToHost("127.0.0.1", (server.address() as net.AddressInfo).port)).toBe(OK);
    await pump([peer], () => peer.getStatus() === StreamPeerTCP.STATUS_CONNECTED);

    // No poll now, while the server writes 48 MiB: wait for gdnet to reach its cap.
    await waitFor(() => peer.stagedBytes >= STAGING_BYTES_LIMIT);
    const atCap = peer.stagedBytes;
    expect(atCap).toBeLessThanOrEqual(STAGING_BYTES_LIMIT + ONE_READ);
    // Reading has stopped: more turns of the event loop stage nothing more.
    await idleTurns(50);
    expect(peer.stagedBytes).toBe(atCap);
    // The next poll applies exactly what was staged.
    peer.poll();
    expect(peer.getAvailableBytes()).toBe(atCap);

    // Polling again, reading resumes; every poll finds at most the budget staged.
    let received = 0;
    let mismatch = -1;
    let mostStaged = 0;
    await pump(
      [{ poll: () => (mostStaged = Math.max(mostStaged, peer.stagedBytes)) }, peer],
      () => {
        for (;;) {
          const [err, bytes] = peer.getPartialData(1024 * 1024);
          expect(err).toBe(OK);
          if (bytes.byteLength === 0) break;
          if (mismatch < 0) mismatch = firstMismatch(bytes, received);
          received += bytes.byteLength;
        }
        return received === SENT_BYTES;
      },
      30_000,
    );
    expect(mismatch).toBe(-1);
    expect(received).toBe(SENT_BYTES);
    expect(mostStaged).toBeLessThanOrEqual(STAGING_BYTES_LIMIT + ONE_READ);
  }, 60_000);

  it("WebSocketPeer applies at most the staging budget's worth of messages per poll, and all arrive in order", async () => {
    const server = new WsServer({ port: 0, host: "127.0.0.1", perMessageDeflate: false });
    cleanups.push(() => server.close());
    await new Promise<void>((resolve) => server.on("listening", () => resolve()));
    const MESSAGE = 16 * 1024;
    const COUNT = SENT_BYTES / MESSAGE;
    // Messages that one poll may apply: what the staged bytes can hold, plus one carried
    // over in part from the poll before.
    const PER_POLL = Math.ceil((STAGING_BYTES_LIMIT + ONE_READ) / MESSAGE) + 1;
    let sent = false;
    server.on("connection", (socket) => {
      for (let n = 0; n < COUNT; n++) {
        const message = streamChunk(n * MESSAGE, MESSAGE);
        message.writeUInt32LE(n, 0);
        socket.send(message);
      }
      sent = true;
    });
    const peer = new WebSocketPeer();
    // Limits large enough to hold the whole stream, so the peer's own packet queue (which
    // pauses reading at its limits once poll() applies packets) is not what holds it back.
    peer.inboundBufferSize = 2 * SENT_BYTES;
    peer.maxQueuedPackets = 2 * COUNT;
    cleanups.push(() => peer.close(-1));
    expect(peer.connectToUrl(`ws://127.0.0.1:${(server.address() as net.AddressInfo).port}/`)).toBe(OK);
    let next = 0;
    let wrong = -1;
    let mostPerPoll = 0;
    // Reads every packet the last poll applied (all of them, so each poll starts from none).
    const readAll = () => {
      mostPerPoll = Math.max(mostPerPoll, peer.getAvailablePacketCount());
      while (peer.getAvailablePacketCount() > 0) {
        const packet = peer.getPacket();
        const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
        if (wrong < 0 && (packet.byteLength !== MESSAGE || view.getUint32(0, true) !== next)) wrong = next;
        next++;
      }
    };
    await pump([peer], () => {
      readAll();
      return peer.getReadyState() === WebSocketPeer.STATE_OPEN;
    });

    // No poll while the server hands 48 MiB to its socket, and for a while after.
    await waitFor(() => sent);
    await idleTurns(100);

    await pump(
      [peer],
      () => {
        readAll();
        return next === COUNT;
      },
      30_000,
    );
    expect(wrong).toBe(-1);
    expect(next).toBe(COUNT);
    expect(mostPerPoll).toBeGreaterThan(0);
    expect(mostPerPoll).toBeLessThanOrEqual(PER_POLL);
    expect(peer.getReadyState()).toBe(WebSocketPeer.STATE_OPEN);
  }, 60_000);
});
