// The Godot 4 docs' minimal WebSocket client with a Godot 4 style server (TCPServer +
// WebSocketPeer.acceptStream) in one scene: the client sends "Test packet" 2 s after
// connecting and prints the echo.
//   node examples/websocket-godot4/main.mjs          runs until Ctrl-C
//   node examples/websocket-godot4/main.mjs --once   closes after the echo and exits 0
import { MinimalClient } from "./client.mjs";
import { MinimalServer } from "./server.mjs";

const FRAME_MS = 1000 / 60;

/**
 * Builds the scene. `frame(delta)` runs one frame (delta in seconds). With `once`, the
 * client closes (1000, "done") after the first echo. `options` go to every gdnet object.
 */
export function createWebSocketGodot4({ port = 0, options, once = false, sendDelay = 2 } = {}) {
  const server = new MinimalServer(port, options);
  server.ready();
  const client = new MinimalClient(`ws://127.0.0.1:${server.localPort}`, options, sendDelay);
  client.ready();
  let closing = false;
  return {
    server,
    client,
    get finished() {
      return !client.processing;
    },
    frame(delta) {
      client.process(delta);
      // The docs' client prints packets in the frame they arrive; close after the echo.
      if (once && !closing && client.socket.getReadyState() === 1 && client.socket.wasStringPacket()) {
        closing = true;
        client.socket.close(1000, "done");
      }
      server.process(delta);
    },
    stop() {
      client.socket.close();
      server.stop();
    },
  };
}

/** Runs the scene in real time; with `once`, until the client has closed after the echo. */
export async function runWebSocketGodot4({ once = false, port = 0 } = {}) {
  const scene = createWebSocketGodot4({ port, once });
  let stop = false;
  const onSignal = () => {
    stop = true;
  };
  process.once("SIGINT", onSignal);
  let after = 10;
  while (!stop && (!once || !scene.finished || after-- > 0)) {
    await new Promise((resolve) => setTimeout(resolve, FRAME_MS));
    scene.frame(FRAME_MS / 1000);
  }
  process.removeListener("SIGINT", onSignal);
  scene.stop();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runWebSocketGodot4({ once: process.argv.includes("--once") });
}
