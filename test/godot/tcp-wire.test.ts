import net from "node:net";
import { afterEach, expect, it } from "vitest";
import {
  ERR_UNAVAILABLE,
  OK,
  type StreamPeer,
  StreamPeerBuffer,
  StreamPeerTCP,
  TCPServer,
} from "../../src/index.js";
import { type GodotProcess, startGodot, takeGodotConnection } from "../support/godot.js";
import { describeWithTool } from "../support/tools.js";

/*
 * Byte-exact wire format against a real Godot 3.2.3: every typed helper, both ways, in
 * both endiannesses, with gdnet's TCPServer (Godot connects) and StreamPeerTCP (Godot
 * listens). Each side checks every value it reads, and gdnet also checks that the bytes
 * Godot sent equal what gdnet's own helpers write for the same values.
 */

/** One typed item: how to write it and what reading it must give. */
interface Item {
  name: string;
  write(peer: StreamPeer): void;
  read(peer: StreamPeer): unknown;
  expected: unknown;
  /** For float32 values that are not exact: compare within this tolerance. */
  tolerance?: number;
}

const ITEMS: Item[] = [
  { name: "put_8 min", write: (p) => p.put8(-128), read: (p) => p.get8(), expected: -128 },
  { name: "put_8 max", write: (p) => p.put8(127), read: (p) => p.get8(), expected: 127 },
  { name: "put_u8", write: (p) => p.putU8(255), read: (p) => p.getU8(), expected: 255 },
  { name: "put_16 min", write: (p) => p.put16(-32768), read: (p) => p.get16(), expected: -32768 },
  { name: "put_16", write: (p) => p.put16(12345), read: (p) => p.get16(), expected: 12345 },
  { name: "put_u16", write: (p) => p.putU16(65535), read: (p) => p.getU16(), expected: 65535 },
  { name: "put_32 min", write: (p) => p.put32(-2147483648), read: (p) => p.get32(), expected: -2147483648 },
  { name: "put_u32", write: (p) => p.putU32(4294967295), read: (p) => p.getU32(), expected: 4294967295 },
  { name: "put_64 min", write: (p) => p.put64(-(2n ** 63n)), read: (p) => p.get64(), expected: -(2n ** 63n) },
  {
    name: "put_64 max",
    write: (p) => p.put64(2n ** 63n - 1n),
    read: (p) => p.get64(),
    expected: 2n ** 63n - 1n,
  },
  {
    name: "put_u64",
    write: (p) => p.putU64(2n ** 64n - 1n),
    read: (p) => p.getU64(),
    expected: 2n ** 64n - 1n,
  },
  { name: "put_float exact", write: (p) => p.putFloat(1.5), read: (p) => p.getFloat(), expected: 1.5 },
  {
    name: "put_float inexact",
    write: (p) => p.putFloat(-0.1),
    read: (p) => p.getFloat(),
    expected: -0.1,
    tolerance: 1e-7,
  },
  { name: "put_double", write: (p) => p.putDouble(0.1), read: (p) => p.getDouble(), expected: 0.1 },
  {
    name: "put_double large",
    write: (p) => p.putDouble(-1e300),
    read: (p) => p.getDouble(),
    expected: -1e300,
  },
  {
    name: "put_string",
    write: (p) => p.putString("Hello, World!"),
    read: (p) => p.getString(),
    expected: "Hello, World!",
  },
  {
    name: "put_utf8_string",
    write: (p) => p.putUtf8String("héllo ✓"),
    read: (p) => p.getUtf8String(),
    expected: "héllo ✓",
  },
];

// The same sequence in GDScript: write_all writes it, read_all checks it.
const GDSCRIPT_ITEMS = `
func write_all(p):
	p.put_8(-128)
	p.put_8(127)
	p.put_u8(255)
	p.put_16(-32768)
	p.put_16(12345)
	p.put_u16(65535)
	p.put_32(-2147483648)
	p.put_u32(4294967295)
	p.put_64(-9223372036854775807 - 1)
	p.put_64(9223372036854775807)
	p.put_u64(-1)
	p.put_float(1.5)
	p.put_float(-0.1)
	p.put_double(0.1)
	p.put_double(-1e300)
	p.put_string("Hello, World!")
	p.put_utf8_string("héllo ✓")

var checked = 0
var failures = 0

func check(name, got, expected):
	checked += 1
	if typeof(got) != typeof(expected) or got != expected:
		failures += 1
		print("MISMATCH ", name, " got=", got, " expected=", expected)

func check_near(name, got, expected):
	checked += 1
	if abs(got - expected) > 1e-7:
		failures += 1
		print("MISMATCH ", name, " got=", got, " expected=", expected)

func read_all(p):
	check("get_8 min", p.get_8(), -128)
	check("get_8 max", p.get_8(), 127)
	check("get_u8", p.get_u8(), 255)
	check("get_16 min", p.get_16(), -32768)
	check("get_16", p.get_16(), 12345)
	check("get_u16", p.get_u16(), 65535)
	check("get_32 min", p.get_32(), -2147483648)
	check("get_u32", p.get_u32(), 4294967295)
	check("get_64 min", p.get_64(), -9223372036854775807 - 1)
	check("get_64 max", p.get_64(), 9223372036854775807)
	check("get_u64", p.get_u64(), -1)
	check("get_float exact", p.get_float(), 1.5)
	check_near("get_float inexact", p.get_float(), -0.1)
	check("get_double", p.get_double(), 0.1)
	check("get_double large", p.get_double(), -1e300)
	check("get_string", p.get_string(), "Hello, World!")
	check("get_utf8_string", p.get_utf8_string(), "héllo ✓")

func exchange(p):
	p.big_endian = false
	write_all(p)
	p.big_endian = true
	write_all(p)
	p.big_endian = false
	read_all(p)
	p.big_endian = true
	read_all(p)
	print("GODOT_DONE checked=", checked, " failures=", failures)
`;

function clientScript(port: number): string {
  return `extends SceneTree
${GDSCRIPT_ITEMS}
func _init():
	var p = StreamPeerTCP.new()
	p.connect_to_host("127.0.0.1", ${port})
	while p.get_status() == StreamPeerTCP.STATUS_CONNECTING:
		OS.delay_msec(1)
	print("GODOT_STATUS ", p.get_status())
	exchange(p)
	p.disconnect_from_host()
	quit()
`;
}

function serverScript(port: number): string {
  return `extends SceneTree
${GDSCRIPT_ITEMS}
func _init():
	var server = TCP_Server.new()
	var err = server.listen(${port}, "127.0.0.1")
	print("GODOT_LISTENING ", err)
	var waited = 0
	while not server.is_connection_available() and waited < 10000:
		OS.delay_msec(1)
		waited += 1
	var p = server.take_connection()
	exchange(p)
	OS.delay_msec(200)
	p.disconnect_from_host()
	server.stop()
	quit()
`;
}

/** The bytes gdnet's helpers write for the sequence, in one endianness. */
function expectedBytes(bigEndian: boolean): Uint8Array {
  const buffer = new StreamPeerBuffer();
  buffer.bigEndian = bigEndian;
  for (const item of ITEMS) item.write(buffer);
  return buffer.dataArray;
}

/** Polls `peer` each frame until `length` bytes are there, then reads them without consuming twice. */
async function waitForBytes(peer: StreamPeerTCP, length: number): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (peer.getAvailableBytes() < length) {
    if (performance.now() > deadline)
      throw new Error(`only ${peer.getAvailableBytes()} of ${length} bytes arrived`);
    await new Promise((resolve) => setTimeout(resolve, 2));
    peer.poll();
  }
}

/** Reads and checks the sequence, each item retried every frame until its bytes are there. */
async function readAndCheck(peer: StreamPeerTCP, bigEndian: boolean): Promise<void> {
  peer.bigEndian = bigEndian;
  for (const item of ITEMS) {
    let value = item.read(peer);
    const deadline = performance.now() + 10_000;
    while (peer.getLastError() === ERR_UNAVAILABLE && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      peer.poll();
      value = item.read(peer);
    }
    expect(peer.getLastError(), item.name).toBe(OK);
    if (item.tolerance !== undefined)
      expect(Math.abs((value as number) - (item.expected as number))).toBeLessThan(item.tolerance);
    else expect(value, `${item.name} (${bigEndian ? "big" : "little"}-endian)`).toEqual(item.expected);
  }
}

/** gdnet's half of the exchange, mirroring the GDScript's `exchange`. */
async function exchange(peer: StreamPeerTCP): Promise<void> {
  const little = expectedBytes(false);
  const big = expectedBytes(true);
  await waitForBytes(peer, little.byteLength + big.byteLength);
  // Byte-exact: what Godot wrote is what gdnet's helpers write for the same values.
  const [error, raw] = peer.getData(little.byteLength + big.byteLength);
  expect(error).toBe(OK);
  expect(Buffer.from(raw.subarray(0, little.byteLength)).toString("hex")).toBe(
    Buffer.from(little).toString("hex"),
  );
  expect(Buffer.from(raw.subarray(little.byteLength)).toString("hex")).toBe(Buffer.from(big).toString("hex"));
  // And the typed getters read Godot's bytes back to the values: feed them to a buffer.
  const replay = new StreamPeerBuffer();
  replay.dataArray = raw;
  for (const bigEndian of [false, true]) {
    replay.bigEndian = bigEndian;
    for (const item of ITEMS) {
      const value = item.read(replay);
      if (item.tolerance !== undefined)
        expect(Math.abs((value as number) - (item.expected as number))).toBeLessThan(item.tolerance);
      else expect(value, item.name).toEqual(item.expected);
    }
  }
  for (const bigEndian of [false, true]) {
    peer.bigEndian = bigEndian;
    for (const item of ITEMS) item.write(peer);
    expect(peer.getLastError()).toBe(OK);
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describeWithTool("godot3-server", "TCP wire format against a real Godot 3.2.3", () => {
  let godot: GodotProcess | undefined;
  afterEach(() => godot?.kill());

  it("Godot's StreamPeerTCP and gdnet's TCPServer exchange every typed helper in both endiannesses", async () => {
    const server = new TCPServer();
    expect(server.listen(0, "*")).toBe(OK);
    godot = startGodot(clientScript(server.getLocalPort()));
    const peer = await takeGodotConnection(server);
    expect(peer).not.toBeNull();
    await exchange(peer!);
    const done = await godot.waitForLine("GODOT_DONE");
    expect(done).toBe(`GODOT_DONE checked=${ITEMS.length * 2} failures=0`);
    expect(godot.lines.filter((line) => line.startsWith("MISMATCH"))).toEqual([]);
    peer!.disconnectFromHost();
    server.stop();
  });

  it("gdnet's StreamPeerTCP and Godot's TCP_Server exchange every typed helper, read as they arrive", async () => {
    const port = await freePort();
    godot = startGodot(serverScript(port));
    expect(await godot.waitForLine("GODOT_LISTENING")).toBe("GODOT_LISTENING 0");
    const peer = new StreamPeerTCP();
    expect(peer.connectToHost("127.0.0.1", port)).toBe(OK);
    const deadline = performance.now() + 10_000;
    while (peer.getStatus() === StreamPeerTCP.STATUS_CONNECTING && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      peer.poll();
    }
    expect(peer.getStatus()).toBe(StreamPeerTCP.STATUS_CONNECTED);
    // Read with the typed getters as bytes trickle in, then answer.
    await readAndCheck(peer, false);
    await readAndCheck(peer, true);
    for (const bigEndian of [false, true]) {
      peer.bigEndian = bigEndian;
      for (const item of ITEMS) item.write(peer);
    }
    const done = await godot.waitForLine("GODOT_DONE");
    expect(done).toBe(`GODOT_DONE checked=${ITEMS.length * 2} failures=0`);
    peer.disconnectFromHost();
  });
});
