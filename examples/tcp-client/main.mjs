// main.gd of the tutorial "Creating a TCP client in Godot", ported line by line: connect,
// answer the server's greeting with "ack", and try again 3 s after a disconnect or an
// error. The tutorial's server is ./server.mjs. Run both:
//   node examples/tcp-client/server.mjs [port]
//   node examples/tcp-client/main.mjs [port]        runs until Ctrl-C
//   node examples/tcp-client/main.mjs --once        with the server in this process, until
//                                                   the greeting is answered; exits 0
import { Client } from "./client.mjs";
import { startServer } from "./server.mjs";

const HOST = "127.0.0.1";
const RECONNECT_TIMEOUT = 3.0;
const FRAME_MS = 1000 / 60;

/**
 * The part of Godot's SceneTree the tutorial uses: `create_timer(seconds).timeout`,
 * counted in the frames' delta, so a MemoryNetwork test runs it on virtual time.
 */
class SceneTree {
  #timers = [];

  createTimer(seconds) {
    let resolve;
    const timeout = new Promise((done) => {
      resolve = done;
    });
    this.#timers.push({ left: seconds, resolve });
    return { timeout };
  }

  process(delta) {
    const due = [];
    this.#timers = this.#timers.filter((timer) => {
      timer.left -= delta;
      if (timer.left > 0) return true;
      due.push(timer);
      return false;
    });
    for (const timer of due) timer.resolve();
  }
}

/**
 * The main scene. `frame(delta)` runs one frame (Godot's `_process(delta)`, delta in
 * seconds); `options` go to gdnet (a MemoryNetwork in tests).
 */
export function createTcpTutorial({ port = 5000, options } = {}) {
  const PORT = port;
  const tree = new SceneTree();
  const client = new Client(options);

  const connectAfterTimeout = async (timeout) => {
    await tree.createTimer(timeout).timeout; // Delay for timeout
    client.connectToHost(HOST, PORT);
  };

  const handleClientConnected = () => {
    console.log("Client connected to server.");
  };

  const handleClientData = (data) => {
    console.log("Client data: " + new TextDecoder().decode(data));
    const message = new Uint8Array([97, 99, 107]); // Bytes for "ack" in ASCII
    client.send(message);
  };

  const handleClientDisconnected = () => {
    console.log("Client disconnected from server.");
    connectAfterTimeout(RECONNECT_TIMEOUT); // Try to reconnect after 3 seconds
  };

  const handleClientError = () => {
    console.log("Client error.");
    connectAfterTimeout(RECONNECT_TIMEOUT); // Try to reconnect after 3 seconds
  };

  // _ready()
  client.connected.connect(handleClientConnected);
  client.disconnected.connect(handleClientDisconnected);
  client.error.connect(handleClientError);
  client.data.connect(handleClientData);
  client.ready(); // add_child(client)
  client.connectToHost(HOST, PORT);

  return {
    client,
    frame(delta) {
      tree.process(delta);
      client.process(delta);
    },
    stop() {
      client._stream.disconnectFromHost();
    },
  };
}

/**
 * Runs the scene at 60 frames a second until Ctrl-C, or with `once` until the greeting
 * was answered (then a few frames more so the "ack" leaves). `withServer` starts the
 * tutorial's server in this process first (on a free port unless `port` is given); it
 * does with `once`.
 */
export async function runTcpTutorial({ port, once = false, withServer = once } = {}) {
  let server = null;
  if (withServer) {
    server = startServer(port ?? 0);
    await new Promise((resolve) => server.once("listening", resolve));
    port = server.address().port;
  }
  const tutorial = createTcpTutorial({ port: port ?? 5000 });
  let answered = -1;
  if (once) tutorial.client.data.connect(() => (answered = 0));
  let stop = false;
  const onSignal = () => {
    stop = true;
  };
  process.once("SIGINT", onSignal);
  while (!stop && answered < 10) {
    await new Promise((resolve) => setTimeout(resolve, FRAME_MS));
    tutorial.frame(FRAME_MS / 1000);
    if (answered >= 0) answered++;
  }
  process.removeListener("SIGINT", onSignal);
  tutorial.stop();
  if (server !== null) await new Promise((resolve) => server.close(resolve));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = process.argv.slice(2).find((arg) => /^\d+$/.test(arg));
  const once = process.argv.includes("--once");
  await runTcpTutorial({ port: port === undefined ? undefined : Number(port), once });
}
