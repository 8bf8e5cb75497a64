// The tutorial's main scene: connect the client's signals, reconnect 3 s after a
// disconnect or an error, and answer the server's greeting.
//   node examples/tcp-client/main.mjs          runs until Ctrl-C
//   node examples/tcp-client/main.mjs --once   runs the exchange and exits 0
import { OK } from "gdnet";
import { Client } from "./client.mjs";
import { GreetingServer } from "./server.mjs";

const HOST = "127.0.0.1";
const RECONNECT_TIMEOUT = 3.0;
const FRAME_MS = 1000 / 60;

/**
 * Builds the scene: a greeting server and a client that reconnects. `frame(delta)`
 * runs one frame (Godot's `_process(delta)`, delta in seconds). `options` go to every
 * gdnet object (a MemoryNetwork in tests).
 */
export function createTcpTutorial({ port = 0, options, onServerMessage } = {}) {
  const server = new GreetingServer(options);
  if (server.listen(port) !== OK) throw new Error(`cannot listen on port ${port}`);
  const client = new Client(options);
  let reconnectIn = -1;

  const connectAfterTimeout = (timeout) => {
    reconnectIn = timeout;
  };
  client.connected.connect(() => console.log("Client connected to server."));
  client.data.connect((bytes) => {
    console.log("Client data:", new TextDecoder().decode(bytes));
    client.send(new TextEncoder().encode("Hello from the client!"));
  });
  client.disconnected.connect(() => {
    console.log("Client disconnected from server.");
    connectAfterTimeout(RECONNECT_TIMEOUT);
  });
  client.error.connect(() => {
    console.log("Client error.");
    connectAfterTimeout(RECONNECT_TIMEOUT);
  });
  client.connectToHost(HOST, server.port);

  return {
    server,
    client,
    frame(delta) {
      if (reconnectIn >= 0) {
        reconnectIn -= delta;
        if (reconnectIn <= 0) {
          reconnectIn = -1;
          client.connectToHost(HOST, server.port);
        }
      }
      client.process();
      server.process(onServerMessage);
    },
    stop() {
      client.close();
      server.stop();
    },
  };
}

/** Runs the tutorial in real time; with `once`, until the server has heard the client. */
export async function runTcpTutorial({ once = false, port = 0 } = {}) {
  let done = false;
  const tutorial = createTcpTutorial({
    port,
    onServerMessage: () => {
      if (once) done = true;
    },
  });
  let stop = false;
  const onSignal = () => {
    stop = true;
  };
  process.once("SIGINT", onSignal);
  while (!stop && !done) {
    await new Promise((resolve) => setTimeout(resolve, FRAME_MS));
    tutorial.frame(FRAME_MS / 1000);
  }
  process.removeListener("SIGINT", onSignal);
  tutorial.stop();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runTcpTutorial({ once: process.argv.includes("--once") });
}
