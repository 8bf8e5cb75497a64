import { afterEach, expect, it } from "vitest";
import { ERR_UNAVAILABLE, OK, type StreamPeerTCP, TCPServer } from "../../src/index.js";
import { Color, Float, PackedVector2Array, Transform2D, Vector2, Vector3 } from "../../src/variant/index.js";
import { type GodotProcess, startGodot, takeGodotConnection } from "../support/godot.js";
import { describeWithTool } from "../support/tools.js";

/*
 * put_var/get_var over TCP with a real Godot 3.2.3: Godot sends nested values with
 * put_var and gdnet reads them with getVar as they arrive; gdnet sends the same values
 * with putVar and Godot reads them with get_var and compares their var2bytes with its own
 * literals. Both endiannesses of the int32 length prefix, in both directions.
 */

// The same values in GDScript and in gdnet's representation.
const GDSCRIPT_VALUES = `[
		{"name": "player_1", "pos": Vector2(1.5, -2), "vel": Vector3(0.25, 0, -1), "hp": 100,
			"tags": ["a", "b"], "big": 9223372036854775807, "ratio": 0.1},
		[1, [2, [3, {"deep": PoolIntArray([1, -2])}]], Color(1, 0, 0, 1),
			Transform2D(Vector2(1, 0), Vector2(0, 1), Vector2(5, 6))],
		PoolVector2Array([Vector2(1, 2), Vector2(-3, 4.5)]),
		"héllo ✓",
		1.0,
	]`;

const VALUES: unknown[] = [
  new Map<string, unknown>([
    ["name", "player_1"],
    ["pos", new Vector2(1.5, -2)],
    ["vel", new Vector3(0.25, 0, -1)],
    ["hp", 100],
    ["tags", ["a", "b"]],
    ["big", 9223372036854775807n],
    ["ratio", 0.1],
  ]),
  [
    1,
    [2, [3, new Map([["deep", new Int32Array([1, -2])]])]],
    new Color(1, 0, 0, 1),
    new Transform2D(new Vector2(1, 0), new Vector2(0, 1), new Vector2(5, 6)),
  ],
  PackedVector2Array.from([new Vector2(1, 2), new Vector2(-3, 4.5)]),
  "héllo ✓",
  new Float(1),
];

// What gdnet's getVar gives for them (FLOAT decodes as a number).
const DECODED = [...VALUES.slice(0, -1), 1];

function clientScript(port: number): string {
  return `extends SceneTree

func values():
	return ${GDSCRIPT_VALUES}

func _init():
	var p = StreamPeerTCP.new()
	p.connect_to_host("127.0.0.1", ${port})
	while p.get_status() == StreamPeerTCP.STATUS_CONNECTING:
		OS.delay_msec(1)
	for big_endian in [false, true]:
		p.big_endian = big_endian
		for v in values():
			p.put_var(v)
	var checked = 0
	var failures = 0
	for big_endian in [false, true]:
		p.big_endian = big_endian
		for v in values():
			var got = p.get_var()
			checked += 1
			if typeof(got) != typeof(v) or var2bytes(got).hex_encode() != var2bytes(v).hex_encode():
				failures += 1
				print("MISMATCH big_endian=", big_endian, " expected=", str(v), " got=", str(got))
	print("GODOT_DONE checked=", checked, " failures=", failures)
	OS.delay_msec(100)
	p.disconnect_from_host()
	quit()
`;
}

/** Reads one Variant, polling each frame until all of it has arrived. */
async function nextVar(peer: StreamPeerTCP): Promise<unknown> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const value = peer.getVar();
    if (value !== null || peer.getLastError() !== ERR_UNAVAILABLE) return value;
    if (performance.now() > deadline) throw new Error("the Variant did not arrive");
    await new Promise((resolve) => setTimeout(resolve, 2));
    peer.poll();
  }
}

describeWithTool("godot3-server", "put_var/get_var over TCP with a real Godot 3.2.3", () => {
  let godot: GodotProcess | undefined;
  afterEach(() => godot?.kill());

  it("Godot's put_var is read by getVar and gdnet's putVar by get_var, in both endiannesses", async () => {
    const server = new TCPServer();
    expect(server.listen(0, "*")).toBe(OK);
    godot = startGodot(clientScript(server.getLocalPort()));
    const peer = await takeGodotConnection(server);
    expect(peer).not.toBeNull();
    peer!.variantFormat = 3;

    for (const bigEndian of [false, true]) {
      peer!.bigEndian = bigEndian;
      for (const expected of DECODED) {
        const value = await nextVar(peer!);
        expect(peer!.getLastError()).toBe(OK);
        expect(value, `${bigEndian ? "big" : "little"}-endian`).toStrictEqual(expected);
      }
    }
    expect(peer!.getAvailableBytes()).toBe(0);

    for (const bigEndian of [false, true]) {
      peer!.bigEndian = bigEndian;
      for (const value of VALUES) expect(peer!.putVar(value)).toBe(OK);
    }
    const done = await godot.waitForLine("GODOT_DONE");
    expect(godot.lines.filter((line) => line.startsWith("MISMATCH"))).toStrictEqual([]);
    expect(done).toBe(`GODOT_DONE checked=${VALUES.length * 2} failures=0`);
    peer!.disconnectFromHost();
    server.stop();
  });
});
