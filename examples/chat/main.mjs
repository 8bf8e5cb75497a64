// The chat demo: a gdnet WebSocketServer, a small HTTP server for the browser page
// (built from gdnet's browser bundle), and two scripted bots.
//   node examples/chat/main.mjs [--port 8080] [--ws-port 9080]
import { readFileSync } from "node:fs";
import http from "node:http";
import { ChatBot } from "./bots.mjs";
import { ChatServer } from "./server.mjs";

const page = (name) => readFileSync(new URL(`./page/${name}`, import.meta.url), "utf8");
const bundle = () => readFileSync(new URL("../../dist/browser/gdnet.js", import.meta.url), "utf8");

/**
 * Starts the demo. Ports 0 pick free ones. Resolves with the page URL and `stop()`.
 * `frameMs` is the server's and bots' frame length.
 */
export async function startChatDemo({
  httpPort = 8080,
  wsPort = 9080,
  botIntervalMs = 2500,
  frameMs = 1000 / 60,
} = {}) {
  const chat = new ChatServer();
  if (chat.listen(wsPort) !== 0) throw new Error(`cannot listen for WebSockets on port ${wsPort}`);
  const files = { "/": page("index.html"), "/client.js": page("client.js"), "/gdnet.js": bundle() };
  const web = http.createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const body = files[path];
    if (body === undefined) return response.writeHead(404).end("not found");
    const type = path.endsWith(".js") ? "text/javascript" : "text/html";
    const text = path === "/" ? body.replace("<html ", `<html data-ws="${chat.port}" `) : body;
    response.writeHead(200, { "content-type": `${type}; charset=utf-8` }).end(text);
  });
  await new Promise((resolve, reject) => {
    web.once("error", reject);
    web.listen(httpPort, "127.0.0.1", resolve);
  });
  const url = `http://127.0.0.1:${web.address().port}/`;
  const wsUrl = `ws://127.0.0.1:${chat.port}/`;
  const bots = [
    new ChatBot("Ada", wsUrl, { intervalMs: botIntervalMs }),
    new ChatBot("Bob", wsUrl, { intervalMs: botIntervalMs, offsetMs: botIntervalMs / 2 }),
  ];
  const timer = setInterval(() => {
    chat.poll();
    for (const bot of bots) bot.poll();
  }, frameMs);
  return {
    url,
    wsPort: chat.port,
    async stop() {
      for (const bot of bots) bot.close();
      for (let i = 0; i < 5; i++) {
        chat.poll();
        for (const bot of bots) bot.poll();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      clearInterval(timer);
      chat.stop();
      web.closeAllConnections();
      await new Promise((resolve) => web.close(resolve));
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const demo = await startChatDemo({ httpPort: arg("--port", 8080), wsPort: arg("--ws-port", 9080) });
  console.log(`Chat demo running: open ${demo.url} in a browser (Ctrl-C to stop).`);
  process.once("SIGINT", async () => {
    await demo.stop();
    console.log("Stopped.");
  });
}
