import { expect, it } from "vitest";
import { describeWithGodot4 } from "../support/godot4/suite.js";

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
