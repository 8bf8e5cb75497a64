import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { OK, WebSocketServer } from "../../src/index.js";
import { pump } from "./support.js";

/*
 * One writer per Node socket: data, ping, pong and close frames leave in the order the
 * server produced them. A raw TCP client speaks the protocol by hand and reads the wire.
 */

const KEY = "dGhlIHNhbXBsZSBub25jZQ==";

/** A client frame (masked with a zero key, which RFC 6455 allows: the key is still sent). */
function clientFrame(opcode: number, payload: string): Buffer {
  const body = Buffer.from(payload);
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | body.length, 0, 0, 0, 0]), body]);
}

/** Parses the unmasked server frames in `bytes` as "opcode:payload" strings. */
function serverFrames(bytes: Buffer): string[] {
  const frames: string[] = [];
  let offset = 0;
  while (offset + 2 <= bytes.length) {
    const opcode = bytes[offset]! & 0x0f;
    const length = bytes[offset + 1]! & 0x7f;
    const payload = bytes.subarray(offset + 2, offset + 2 + length);
    if (opcode === 0x8) {
      frames.push(`close:${payload.readUInt16BE(0)} ${payload.subarray(2).toString()}`);
    } else {
      frames.push(`${{ 1: "text", 2: "binary", 9: "ping", 10: "pong" }[opcode] ?? opcode}:${payload}`);
    }
    offset += 2 + length;
  }
  return frames;
}

describe("one writer per Node socket", () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const step of cleanup.splice(0)) step();
  });

  it("data, ping, pong and close frames reach a raw client in the order the server made them", async () => {
    // The clock moves past the heartbeat interval once the client's message is in: read
    // after the poll's events are applied, it makes the heartbeat due in that same poll.
    let moved = false;
    const server: WebSocketServer = new WebSocketServer({
      clock: () => {
        moved ||= server.getAvailablePacketCount() > 0;
        return moved ? 1000 : 0;
      },
    });
    server.heartbeatInterval = 1;
    expect(server.listen(0, { bindAddress: "127.0.0.1" })).toBe(OK);
    cleanup.push(() => server.stop());
    await pump([server], () => server.getLocalPort() !== 0);
    let received = Buffer.alloc(0);
    const socket = net.connect(server.getLocalPort(), "127.0.0.1");
    cleanup.push(() => socket.destroy());
    socket.on("error", () => {});
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
    });
    socket.write(
      `GET / HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    const ids: number[] = [];
    server.clientConnected.connect((id) => ids.push(id));
    server.dataReceived.connect((id) => {
      const peer = server.getPeer(id)!;
      const text = new TextDecoder().decode(peer.getPacket());
      if (text === "go") {
        peer.sendText("one");
        peer.sendText("two");
      } else if (text === "bye") {
        peer.sendText("three");
        peer.close(4000, "end");
      }
    });
    // The peer opens, and its first heartbeat ping follows the 101 in the same poll.
    await pump([server], () => ids.length === 1 && received.includes(Buffer.from([0x89, 0x00])));
    const head = received.indexOf("\r\n\r\n") + 4;
    expect(received.subarray(0, 12).toString()).toBe("HTTP/1.1 101");

    // One write: the pong the heartbeat wants, a ping of our own and a message. In one
    // poll the server answers the ping while it applies what arrived, sends its next
    // heartbeat ping when the timers run (the clock has moved past the interval), then
    // the signal handlers send the two messages.
    socket.write(Buffer.concat([clientFrame(0xa, ""), clientFrame(0x9, "p1"), clientFrame(0x1, "go")]));
    await pump([server], () => serverFrames(received.subarray(head)).length >= 5);
    socket.write(clientFrame(0x1, "bye"));
    await pump([server], () => serverFrames(received.subarray(head)).includes("close:4000 end"));
    expect(serverFrames(received.subarray(head))).toEqual([
      "ping:",
      "pong:p1",
      "ping:",
      "text:one",
      "text:two",
      "text:three",
      "close:4000 end",
    ]);
  });
});
