// What the demo's scenes give their scripts, for running them from a terminal: a frame
// loop (Godot's _process at 60 frames a second) and the UI's buttons as lines on stdin.
import { createInterface } from "node:readline";

const FRAME_MS = 1000 / 60;

/**
 * Calls `process(delta)` every frame and `command(word, rest)` for each stdin line until
 * stdin ends or `quit` is typed.
 */
export async function runScene(process_, command) {
  let running = true;
  const input = createInterface({ input: process.stdin });
  input.on("line", (line) => {
    const [word, ...rest] = line.split(" ");
    if (word === "quit") running = false;
    else command(word, rest.join(" "));
  });
  input.on("close", () => {
    running = false;
  });
  while (running) {
    await new Promise((resolve) => setTimeout(resolve, FRAME_MS));
    process_(FRAME_MS / 1000);
  }
  input.close();
}
