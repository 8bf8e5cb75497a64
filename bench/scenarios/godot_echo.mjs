// godot_echo_100, for the record: the echo_100 load (100 connections, 32-byte binary
// messages, 64 in flight each) against a Godot 3.2.3 WebSocketServer running the
// GDScript below, beside the plain `ws` echo server. Both are driven by the same `ws`
// clients (echo.mjs's anchor clients), so only the server differs; the ratio is
// Godot/ws. Runs only where `godot3-server` is on PATH.
//
// The GDScript is what one would write for Godot 3.2.3: a WebSocketServer polled once
// per idle frame, echoing in `data_received`. Godot's headless build sleeps
// `low_processor_usage_mode_sleep_usec` (6.9 ms) every frame by default; the script sets
// it to 0 so the engine polls as fast as it can, like the other servers here.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hasCommand, startProcess } from "../harness.mjs";
import { echoParams, echoSummary } from "./echo.mjs";

export const GODOT = "godot3-server";

const SCRIPT = `extends SceneTree
var server = WebSocketServer.new()

func _init():
	OS.low_processor_usage_mode = false
	OS.low_processor_usage_mode_sleep_usec = 0
	var args = OS.get_cmdline_args()
	var port = int(args[args.size() - 1])
	server.connect("data_received", self, "_on_data")
	# Room for every message in flight (Godot 3's defaults are 64 KiB and 1024 packets).
	server.set_buffers(256, 4096, 256, 4096)
	var err = server.listen(port, PoolStringArray(), false)
	if err == OK:
		print("READY ", port)
	else:
		print("FAILED ", err)
		quit(1)

func _on_data(id):
	var peer = server.get_peer(id)
	peer.put_packet(peer.get_packet())

func _idle(_delta):
	server.poll()
	return false
`;

/** A loopback port nothing listens on right now. */
async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const scenario = {
  name: "godot_echo_100",
  available: () => hasCommand(GODOT),
  file: new URL("./echo.mjs", import.meta.url),
  variants: ["godot", "anchor"],
  params: echoParams(100, 64),
  /** The Godot variant runs the GDScript server; its clients are the anchor's `ws` clients. */
  async startServer(variant) {
    if (variant !== "godot") return undefined;
    const dir = mkdtempSync(join(tmpdir(), "gdnet-bench-godot-"));
    writeFileSync(join(dir, "project.godot"), "");
    writeFileSync(join(dir, "main.gd"), SCRIPT);
    const port = await freePort();
    // Godot's stderr (locale notices on minimal systems) is not part of the report.
    const godot = startProcess(GODOT, ["--path", dir, "--script", "main.gd", String(port)], "server godot", {
      env: { ...process.env, LANG: "C.UTF-8", LC_ALL: "C.UTF-8" },
      stderr: "ignore",
    });
    godot.cleanup = async () => {
      await new Promise((resolve) => {
        if (godot.child.exitCode !== null || godot.child.signalCode !== null) resolve();
        else godot.child.on("exit", resolve);
      });
      rmSync(dir, { recursive: true, force: true });
    };
    return godot;
  },
  clientVariant: () => "anchor",
  summarize: echoSummary(["godot", "anchor"]),
};
