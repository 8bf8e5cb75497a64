// `npm run demo`: gdnet's examples.
//   npm run demo              the chat demo: a WebSocket chat server, a browser page and
//                             two bots; prints the URL to open; Ctrl-C stops it
//   npm run demo -- --once    the TCP tutorial, the HTTP download (progress bar, JSON
//                             POST) and the docs' WebSocket examples, end to
//                             end, printing what the Godot docs print; exits 0
import { startChatDemo } from "./chat/main.mjs";
import { runHttpExample } from "./http-download/main.mjs";
import { runTcpTutorial } from "./tcp-client/main.mjs";
import { runWebSocketGodot3 } from "./websocket-godot3/main.mjs";
import { runWebSocketGodot4 } from "./websocket-godot4/main.mjs";

const once = process.argv.includes("--once");

if (once) {
  await runTcpTutorial({ once: true });
  await runWebSocketGodot3({ once: true });
  await runWebSocketGodot4({ once: true });
  await runHttpExample({ once: true });
} else {
  const port = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const demo = await startChatDemo({ httpPort: port("--port", 8080), wsPort: port("--ws-port", 9080) });
  console.log(`gdnet chat demo: open ${demo.url} in a browser (Ctrl-C to stop).`);
  process.once("SIGINT", async () => {
    await demo.stop();
    console.log("Chat demo stopped.");
  });
}
