import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { godot4Missing } from "../support/godot4/engine.js";
import { godotProject, writePck } from "../support/godot4/pck.js";
import { describeWithGodot4 } from "../support/godot4/suite.js";

describe("the Godot 4.6 harness without the engine", () => {
  it("writes a format-3 pack whose directory finds every file by path, size and MD5", () => {
    const files = godotProject("extends SceneTree\n", { "lib/a.gd": "class_name A\nextends Node\n" });
    const pck = writePck(files);
    const view = new DataView(pck.buffer, pck.byteOffset, pck.byteLength);
    expect(new TextDecoder().decode(pck.subarray(0, 4))).toBe("GDPC");
    expect([1, 2, 3, 4, 5].map((i) => view.getUint32(i * 4, true))).toEqual([3, 4, 6, 0, 2]);
    const fileBase = Number(view.getBigUint64(24, true));
    let at = Number(view.getBigUint64(32, true));
    const count = view.getUint32(at, true);
    at += 4;
    const found = new Map<string, string>();
    for (let i = 0; i < count; i++) {
      const length = view.getUint32(at, true);
      const path = new TextDecoder().decode(pck.subarray(at + 4, at + 4 + length)).replace(/\0+$/, "");
      at += 4 + length;
      const offset = fileBase + Number(view.getBigUint64(at, true));
      const size = Number(view.getBigUint64(at + 8, true));
      const content = pck.subarray(offset, offset + size);
      expect(Buffer.from(pck.subarray(at + 16, at + 32))).toEqual(createHash("md5").update(content).digest());
      found.set(path, new TextDecoder().decode(content));
      at += 36;
    }
    expect(at).toBe(pck.length);
    expect(found).toEqual(new Map(Object.entries(files)));
    expect(found.get("project.godot")).toContain('run/main_loop_type="GdnetGodot4Main"');
    expect(found.get(".godot/global_script_class_cache.cfg")).toContain('"class": &"A"');
  });

  it("says what is missing when the engine was not fetched", () => {
    expect(godot4Missing("/nonexistent/gdnet-godot4")).toMatch(/not fetched|Chromium/);
  });
});

describeWithGodot4("the Godot 4.6 harness", (godot) => {
  it("runs a script as the main loop, streams its prints and ends with its quit code", async () => {
    const streamed: string[] = [];
    const run = godot().run(
      `extends SceneTree
func _initialize():
	print("version ", Engine.get_version_info().string)
	print("args ", OS.get_cmdline_user_args())
	printerr("to stderr")
	quit(7)
`,
      { args: ["a b", "c=d"], onLine: (line) => streamed.push(line) },
    );
    expect(await run.waitForLine("version ")).toBe("version 4.6-stable (official)");
    const exit = await run.exited;
    expect(exit.code).toBe(7);
    expect(exit.timedOut).toBe(false);
    expect(exit.lines).toContain('args ["a b", "c=d"]');
    expect(exit.errors).toContain("to stderr");
    expect(streamed).toEqual(exit.lines);
  });

  it("packs extra scripts whose class_name the main script can use", async () => {
    const run = godot().run(
      `extends SceneTree
func _initialize():
	print(Greeter.new().greet("gdnet"))
	quit(0)
`,
      {
        files: {
          "lib/greeter.gd":
            'class_name Greeter\nextends RefCounted\nfunc greet(who):\n\treturn "hello " + who\n',
        },
      },
    );
    const exit = await run.exited;
    expect(exit.lines).toContain("hello gdnet");
    expect(exit.code).toBe(0);
  });

  it("ends a script that never quits at its timeout, and a waiting test learns it", async () => {
    const run = godot().run(`extends SceneTree\nfunc _process(_delta):\n\tpass\n`, { timeoutMs: 1500 });
    await expect(run.waitForLine("never printed", 10_000)).rejects.toThrow(/ended before a line matched/);
    const exit = await run.exited;
    expect(exit).toMatchObject({ code: null, timedOut: true });
  });
});
