import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import {
  ERR_UNAVAILABLE,
  MemoryNetwork,
  type NetworkOptions,
  OK,
  PacketPeerStream,
  type StreamPeer,
  StreamPeerBuffer,
  StreamPeerTCP,
  TCPServer,
} from "../src/index.js";
import { MemoryStreamConnection } from "../src/transport/memory/tcp.js";
import { NodeStreamConnection } from "../src/transport/node/tcp.js";
import { toHex } from "./support/hex.js";

const run = promisify(execFile);

/** A typed sequence: writes, and checked reads that may find their bytes missing. */
const SEQUENCE: { write(p: StreamPeer): void; read(p: StreamPeer): unknown; value: unknown }[] = [
  { write: (p) => p.put8(-5), read: (p) => p.get8(), value: -5 },
  { write: (p) => p.putU16(65000), read: (p) => p.getU16(), value: 65000 },
  { write: (p) => p.put32(-123456789), read: (p) => p.get32(), value: -123456789 },
  { write: (p) => p.putU64(2n ** 64n - 2n), read: (p) => p.getU64(), value: 2n ** 64n - 2n },
  { write: (p) => p.putFloat(0.5), read: (p) => p.getFloat(), value: 0.5 },
  { write: (p) => p.putDouble(-1.25e-300), read: (p) => p.getDouble(), value: -1.25e-300 },
  { write: (p) => p.putHalf(0.5), read: (p) => p.getHalf(), value: 0.5 },
  { write: (p) => p.putString("align"), read: (p) => p.getString(), value: "align" },
  { write: (p) => p.putUtf8String("ünïcødé"), read: (p) => p.getUtf8String(), value: "ünïcødé" },
  {
    write: (p) => p.putVar({ hp: 10, name: "x" }),
    read: (p) => p.getVar(),
    value: new Map<unknown, unknown>([
      ["hp", 10],
      ["name", "x"],
    ]),
  },
  { write: (p) => p.put64(-7), read: (p) => p.get64(), value: -7n },
];

async function connectedPair(options: NetworkOptions, step: () => Promise<void>) {
  const server = new TCPServer(options);
  expect(server.listen(0)).toBe(OK);
  const client = new StreamPeerTCP(options);
  client.connectToHost("127.0.0.1", server.getLocalPort());
  while (!(client.getStatus() === StreamPeerTCP.STATUS_CONNECTED && server.isConnectionAvailable())) {
    await step();
    client.poll();
    server.poll();
  }
  const accepted = server.takeConnection()!;
  server.stop();
  return { client, accepted };
}

for (const kind of ["memory", "node"] as const) {
  describe(`stream alignment on ${kind}`, () => {
    it("a typed sequence fed one byte per frame reads back right, retrying each value until it is whole", async () => {
      const network = kind === "memory" ? new MemoryNetwork({ seed: 3 }) : undefined;
      const options: NetworkOptions = network ? { network } : {};
      const step = network
        ? async () => network.advance(16)
        : () => new Promise<void>((resolve) => setTimeout(resolve, 1));
      const { client, accepted } = await connectedPair(options, step);
      accepted.setNoDelay(true);
      const encoded = new StreamPeerBuffer();
      for (const item of SEQUENCE) item.write(encoded);
      const bytes = encoded.dataArray;

      let sent = 0;
      let next = 0;
      let unavailable = 0;
      const results: unknown[] = [];
      for (let frame = 0; next < SEQUENCE.length && frame < bytes.length * 50; frame++) {
        if (sent < bytes.length) accepted.putData(bytes.subarray(sent, ++sent));
        await step();
        client.poll();
        // Every frame, try to read as many whole values as are there.
        for (;;) {
          if (next >= SEQUENCE.length) break;
          const value = SEQUENCE[next]!.read(client);
          const missing =
            client.getLastError() === ERR_UNAVAILABLE || (value === null && client.getLastError() !== OK);
          if (missing) {
            unavailable++;
            break;
          }
          results.push(value);
          next++;
        }
      }
      expect(results).toEqual(SEQUENCE.map((item) => item.value));
      expect(unavailable).toBeGreaterThan(bytes.length / 2);
      expect(client.getAvailableBytes()).toBe(0);
      client.disconnectFromHost();
      accepted.disconnectFromHost();
    });
  });
}

describe("PacketPeerStream", () => {
  it("frames a packet as a u32 little-endian length and the bytes (Godot's test vector)", () => {
    const buffer = new StreamPeerBuffer();
    buffer.bigEndian = true;
    const packets = new PacketPeerStream();
    packets.streamPeer = buffer;
    expect(packets.putPacket(new TextEncoder().encode("Godot Rules!!!"))).toBe(OK);
    expect(toHex(buffer.dataArray)).toBe(`0e000000${toHex(new TextEncoder().encode("Godot Rules!!!"))}`);
  });

  it("delivers whole packets over TCP once each has fully arrived, and an empty packet sends nothing", async () => {
    const network = new MemoryNetwork({ seed: 9 });
    const { client, accepted } = await connectedPair({ network }, async () => network.advance(16));
    const sender = new PacketPeerStream();
    sender.streamPeer = accepted;
    const receiver = new PacketPeerStream();
    receiver.streamPeer = client;
    expect(sender.putPacket(new Uint8Array(0))).toBe(OK);
    expect(sender.putPacket(new Uint8Array([1, 2, 3]))).toBe(OK);
    expect(sender.putVar([1, "two"])).toBe(OK);
    expect(receiver.getAvailablePacketCount()).toBe(0);
    client.poll();
    expect(receiver.getAvailablePacketCount()).toBe(2);
    expect(receiver.getPacket()).toEqual(new Uint8Array([1, 2, 3]));
    expect(receiver.getVar()).toEqual([1, "two"]);
    expect(receiver.getPacket()).toEqual(new Uint8Array(0));
    expect(receiver.getPacketError()).toBe(ERR_UNAVAILABLE);
  });

  it("without a stream, reading and writing return ERR_UNCONFIGURED", () => {
    const packets = new PacketPeerStream();
    expect(packets.putPacket(new Uint8Array([1]))).toBe(3);
    packets.getPacket();
    expect(packets.getPacketError()).toBe(3);
  });

  it("refuses a packet over output_buffer_max_size with ERR_INVALID_PARAMETER", () => {
    const packets = new PacketPeerStream();
    packets.streamPeer = new StreamPeerBuffer();
    expect(packets.putPacket(new Uint8Array(65533))).toBe(31);
    expect(packets.putPacket(new Uint8Array(65532))).toBe(OK);
  });
});

describe("StreamPeerTCP resources", () => {
  it("2,000 connects to a closed port and 200 connect/disconnect cycles leave handles and heap flat", async () => {
    const script = fileURLToPath(new URL("./fixtures/tcp-leak.mjs", import.meta.url));
    const entry = new URL("../dist/index.js", import.meta.url).href;
    const { stdout } = await run(process.execPath, ["--expose-gc", script, entry], { timeout: 120_000 });
    const report = JSON.parse(stdout.trim().split("\n").pop()!);
    expect(report.errors).toBe(2000);
    expect(report.handlesAfter).toBeLessThanOrEqual(report.handlesBefore);
    expect(report.heapGrowth).toBeLessThan(2 * 1024 * 1024);
    expect(report.portRelistened).toBe(true);
  }, 180_000);
});

describe("StreamPeerTCP and TCPServer lifetimes", () => {
  it("on real sockets a peer dropped while connected is aborted once collected; a held one, and a connection handed to acceptStream, stay open; a disposed one closes", async () => {
    const script = fileURLToPath(new URL("./fixtures/tcp-abandoned.mjs", import.meta.url));
    const entry = new URL("../dist/index.js", import.meta.url).href;
    const { stdout } = await run(process.execPath, ["--expose-gc", script, entry], { timeout: 20_000 });
    const report = JSON.parse(stdout.trim().split("\n").pop()!);
    expect(report).toEqual({
      droppedClientClosed: true,
      droppedAcceptedClosed: true,
      heldStillOpen: true,
      disposedClosed: true,
      handedOverStillOpen: true,
    });
  });

  it("only real sockets can be aborted by the collector: a MemoryNetwork connection has no such hook", () => {
    expect(typeof NodeStreamConnection.prototype.abortWhenCollected).toBe("function");
    expect("abortWhenCollected" in MemoryStreamConnection.prototype).toBe(false);
  });

  it("disposing a peer disconnects it, and disposing a TCPServer stops it and frees its port", () => {
    const network = new MemoryNetwork({ seed: 8 });
    const server = new TCPServer({ network });
    expect(server.listen(4100)).toBe(OK);
    const client = new StreamPeerTCP({ network });
    client.connectToHost("127.0.0.1", 4100);
    let accepted: StreamPeerTCP | null = null;
    for (let i = 0; i < 10 && accepted === null; i++) {
      network.advance(16);
      client.poll();
      accepted = server.takeConnection();
    }
    expect(accepted).not.toBeNull();
    client[Symbol.dispose]();
    expect(client.getStatus()).toBe(StreamPeerTCP.STATUS_NONE);
    for (let i = 0; i < 5; i++) {
      network.advance(16);
      accepted!.poll();
    }
    expect(accepted!.getStatus()).toBe(StreamPeerTCP.STATUS_NONE);
    server[Symbol.dispose]();
    expect(server.isListening()).toBe(false);
    const again = new TCPServer({ network });
    expect(again.listen(4100)).toBe(OK);
    again.stop();
  });
});
