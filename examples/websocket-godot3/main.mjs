// The Godot 3 docs' minimal WebSocket server and client in one scene: the client
// connects to the server (instead of an echo server on the Internet), sends
// "Test packet", and prints the echo.
//   node examples/websocket-godot3/main.mjs          runs until Ctrl-C
//   node examples/websocket-godot3/main.mjs --once   closes after the echo and exits 0
import { MinimalClient } from "./client.mjs";
import { MinimalServer } from "./server.mjs";

const FRAME_MS = 1000 / 60;

/**
 * Builds the scene. `frame()` runs one frame (both nodes' `_process`). With `once`, the
 * client closes (1000, "done") after the first echo. `options` go to every gdnet object.
 */
export function createWebSocketGodot3({ port = 0, options, once = false } = {}) {
  const server = new MinimalServer(port, options);
  server.ready();
  const client = new MinimalClient(`ws://127.0.0.1:${server.localPort}`, options);
  let echoed = false;
  client._client.dataReceived.connect(() => {
    echoed = true;
    if (once) client.close(1000, "done");
  });
  client.ready();
  return {
    server,
    client,
    get finished() {
      return echoed && !client.processing;
    },
    frame() {
      client.process();
      server.process();
    },
    stop() {
      client.close();
      server.stop();
    },
  };
}

/** Runs the scene in real time; with `once`, until the client has closed after the echo. */
export async function runWebSocketGodot3({ once = false, port = 0 } = {}) {
  const scene = createWebSocketGodot3({ port, once });
  let stop = false;
  const onSignal = () => {
    stop = true;
  };
  process.once("SIGINT", onSignal);
  // A few more frames after the client finished, so the server reports the disconnect.
  let after = 10;
  while (!stop && (!once || !scene.finished || after-- > 0)) {
    await new Promise((resolve) => setTimeout(resolve, FRAME_MS));
    scene.frame();
  }
  process.removeListener("SIGINT", onSignal);
  scene.stop();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runWebSocketGodot3({ once: process.argv.includes("--once") });
}
