import { afterEach, describe, expect, it } from "vitest";
import { STAGING_BYTES_LIMIT } from "../../src/core/StagingBudget.js";
import { OK, StreamPeerTCP, TCPServer } from "../../src/index.js";
import { firstMismatch, streamChunk } from "../support/stream-pattern.js";
import { attackerErrors, startAttacker, stopAllAttackers } from "./attackers/spawn.js";

/*
 * StreamPeerTCP and TCPServer on loopback against hostile raw TCP peers
 * (attackers/tcp-attacker.mjs, a child process). Each test checks survival (everything
 * the remote sent arrives once, in order, or the connection ends with a status; a
 * well-behaved peer keeps being served) and the bound on what gdnet holds between two
 * polls, read on its own counter of staged bytes (StreamPeerTCP.stagedBytes) against the
 * 4 MiB staging cap, never on RSS or on what the kernel buffered.
 */

const MIB = 1024 * 1024;
/** The most one socket read brings (libuv reads up to 64 KiB): the cap may be passed by one. */
const ONE_READ = 64 * 1024;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(poll: () => void, done: () => boolean, limitMs = 20_000): Promise<void> {
  const end = performance.now() + limitMs;
  for (;;) {
    poll();
    if (attackerErrors.length > 0) throw new Error(attackerErrors.join("; "));
    if (done()) return;
    if (performance.now() > end) throw new Error(`condition not reached within ${limitMs} ms`);
    await sleep(1);
  }
}

const cleanups: (() => void)[] = [];
afterEach(async () => {
  await stopAllAttackers();
  for (const cleanup of cleanups.splice(0)) cleanup();
  attackerErrors.length = 0;
});

describe("StreamPeerTCP and TCPServer under hostile peers", () => {
  it("200 MB sent to a StreamPeerTCP that is not polled stage at most 4 MiB, and all of it arrives in order once polled", async () => {
    const total = 200 * MIB;
    const attacker = startAttacker("tcp-attacker.mjs", { attack: "serve", mib: 200 });
    await until(
      () => {},
      () => attacker.find("listening") !== undefined,
    );
    const peer = new StreamPeerTCP();
    cleanups.push(() => peer.disconnectFromHost());
    expect(peer.connectToHost("127.0.0.1", attacker.find("listening")!.port as number)).toBe(OK);
    await until(
      () => peer.poll(),
      () => peer.getStatus() === StreamPeerTCP.STATUS_CONNECTED,
    );

    // No poll now: gdnet reads up to its cap and stops there.
    await until(
      () => {},
      () => peer.stagedBytes >= STAGING_BYTES_LIMIT,
    );
    const atCap = peer.stagedBytes;
    for (let turn = 0; turn < 50; turn++) await sleep(1);
    expect(peer.stagedBytes).toBe(atCap);
    expect(atCap).toBeLessThanOrEqual(STAGING_BYTES_LIMIT + ONE_READ);

    // Polled again (a frame loop), every byte arrives, in order, each poll within the cap.
    let received = 0;
    let mismatch = -1;
    let mostStaged = atCap;
    await until(
      () => {
        mostStaged = Math.max(mostStaged, peer.stagedBytes);
        peer.poll();
        for (;;) {
          const [error, bytes] = peer.getPartialData(4 * MIB);
          if (error !== OK || bytes.byteLength === 0) break;
          if (mismatch < 0) mismatch = firstMismatch(bytes, received);
          received += bytes.byteLength;
        }
      },
      () => received >= total || mismatch >= 0,
      25_000,
    );
    expect(mismatch).toBe(-1);
    expect(received).toBe(total);
    expect(mostStaged).toBeLessThanOrEqual(STAGING_BYTES_LIMIT + ONE_READ);
  }, 30_000);

  it("clients that reset mid-stream end in a status, each having delivered a prefix of what it sent, while a good client is echoed", async () => {
    const server = new TCPServer();
    cleanups.push(() => server.stop());
    expect(server.listen(0, "127.0.0.1")).toBe(OK);
    await until(
      () => server.poll(),
      () => server.getLocalPort() > 0,
    );
    const port = server.getLocalPort();

    // The good client, echoed by the server, 64 KiB of the pattern at a time.
    const good = new StreamPeerTCP();
    cleanups.push(() => good.disconnectFromHost());
    expect(good.connectToHost("127.0.0.1", port)).toBe(OK);
    const accepted: { peer: StreamPeerTCP; received: number; mismatch: number; mostStaged: number }[] = [];
    const takeAll = () => {
      for (let peer = server.takeConnection(); peer !== null; peer = server.takeConnection()) {
        cleanups.push(() => peer.disconnectFromHost());
        accepted.push({ peer, received: 0, mismatch: -1, mostStaged: 0 });
      }
    };
    await until(
      () => {
        good.poll();
        takeAll();
      },
      () => good.getStatus() === StreamPeerTCP.STATUS_CONNECTED && accepted.length === 1,
    );
    const echo = accepted[0]!.peer;

    const count = 50;
    const attacker = startAttacker("tcp-attacker.mjs", { attack: "reset-mid", port, count, bytes: MIB });
    const goodTotal = 8 * MIB;
    let goodSent = 0;
    let goodReceived = 0;
    let goodMismatch = -1;
    const ended = (status: number) =>
      status === StreamPeerTCP.STATUS_ERROR || status === StreamPeerTCP.STATUS_NONE;
    await until(
      () => {
        takeAll();
        for (const entry of accepted.slice(1)) {
          entry.mostStaged = Math.max(entry.mostStaged, entry.peer.stagedBytes);
          entry.peer.poll();
          const [error, bytes] = entry.peer.getPartialData(4 * MIB);
          if (error === OK && bytes.byteLength > 0) {
            if (entry.mismatch < 0) entry.mismatch = firstMismatch(bytes, entry.received);
            entry.received += bytes.byteLength;
          }
        }
        echo.poll();
        const [, back] = echo.getPartialData(4 * MIB);
        if (back.byteLength > 0) expect(echo.putData(back)).toBe(OK);
        if (goodSent < goodTotal) {
          expect(good.putData(streamChunk(goodSent, 64 * 1024))).toBe(OK);
          goodSent += 64 * 1024;
        }
        good.poll();
        const [, bytes] = good.getPartialData(4 * MIB);
        if (bytes.byteLength > 0) {
          if (goodMismatch < 0) goodMismatch = firstMismatch(bytes, goodReceived);
          goodReceived += bytes.byteLength;
        }
      },
      () =>
        attacker.done !== undefined &&
        accepted.length === count + 1 &&
        accepted.slice(1).every((entry) => ended(entry.peer.getStatus())) &&
        goodReceived === goodTotal,
    );
    for (const entry of accepted.slice(1)) {
      expect(entry.mismatch).toBe(-1);
      expect(entry.received).toBeLessThanOrEqual(MIB);
      expect(entry.mostStaged).toBeLessThanOrEqual(STAGING_BYTES_LIMIT + ONE_READ);
    }
    expect(goodMismatch).toBe(-1);
    expect(goodReceived).toBe(goodTotal);
    expect(good.getStatus()).toBe(StreamPeerTCP.STATUS_CONNECTED);
    expect(echo.getStatus()).toBe(StreamPeerTCP.STATUS_CONNECTED);
  }, 30_000);
});
