// `npm run demo`: gdnet's examples.
//   npm run demo                  the chat demo: a WebSocket chat server, a browser page
//                                 and two bots; prints the URL to open; Ctrl-C stops it
//   npm run demo -- --port <n>    the chat page's HTTP port (default 8080; 0 picks one)
//   npm run demo -- --ws-port <n> the chat's WebSocket port (default 9080; 0 picks one)
//   npm run demo -- --once        the TCP tutorial, the HTTP download (progress bar, JSON
//                                 POST) and the docs' WebSocket examples, end to
//                                 end, printing what the Godot docs print; exits 0
import net from "node:net";
import { startChatDemo } from "./chat/main.mjs";
import { runHttpExample } from "./http-download/main.mjs";
import { runTcpTutorial } from "./tcp-client/main.mjs";
import { runWebSocketGodot3 } from "./websocket-godot3/main.mjs";
import { runWebSocketGodot4 } from "./websocket-godot4/main.mjs";

/** Ends the demo with one line on stderr and no stack: a user error, not a crash. */
function fail(message) {
  console.error(`gdnet demo: ${message}`);
  process.exit(1);
}

/** The port given with `flag`, or `fallback`. */
function portArg(flag, fallback) {
  const i = process.argv.indexOf(flag);
  if (i < 0) return fallback;
  const text = process.argv[i + 1] ?? "";
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) fail(`${flag} needs a port number from 0 to 65535, not "${text}"`);
  return port;
}

/** Whether something already listens on the port (a listen there fails with EADDRINUSE). */
function portInUse(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", (error) => resolve(error.code === "EADDRINUSE"));
    probe.listen(port, () => probe.close(() => resolve(false)));
  });
}

if (process.argv.includes("--once")) {
  await runTcpTutorial({ once: true });
  await runWebSocketGodot3({ once: true });
  await runWebSocketGodot4({ once: true });
  await runHttpExample({ once: true });
} else {
  const httpPort = portArg("--port", 8080);
  const wsPort = portArg("--ws-port", 9080);
  let demo;
  try {
    demo = await startChatDemo({ httpPort, wsPort });
  } catch (error) {
    // The page's HTTP server reports EADDRINUSE; the chat's WebSocketServer returns
    // Godot's ERR_ALREADY_IN_USE, which the chat turns into an error naming the port.
    if (error?.code === "EADDRINUSE") fail(`port ${httpPort} is in use; choose another with --port <n>`);
    if (/WebSockets on port/.test(String(error?.message))) {
      const why = (await portInUse(wsPort)) ? "is in use" : "cannot be listened on";
      fail(`WebSocket port ${wsPort} ${why}; choose another with --ws-port <n>`);
    }
    throw error;
  }
  console.log(`gdnet chat demo: open ${demo.url} in a browser (Ctrl-C to stop).`);
  process.once("SIGINT", async () => {
    await demo.stop();
    console.log("Chat demo stopped.");
  });
}
