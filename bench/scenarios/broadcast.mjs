// broadcast_1000: the server sends one 64-byte message to all of 1,000 clients every
// frame, as fast as it can; the clients (plain `ws`, the same for both variants) count
// what they receive. Delivered messages per second.
// gdnet: WebSocketServer.broadcast() in a frame loop. Anchor: a `ws.send` loop over the
// clients in the same kind of loop. Both skip a client whose outbound queue is full
// (gdnet's outboundBufferSize, 65535 bytes by default), so neither queues without bound.
import WebSocket, { WebSocketServer } from "ws";
import { gdnet, main, ready, result, throughputSummary, tick } from "./common.mjs";

const LIMIT = 65535;
const message = new Uint8Array(64).fill(5);

export const scenario = {
  name: "broadcast_1000",
  file: new URL(import.meta.url),
  unit: "messages/s",
  params: {
    smoke: { clients: 20, seconds: 0.3, warmup: 0.1 },
    quick: { clients: 1000, seconds: 2, warmup: 0.5 },
    full: { clients: 1000, seconds: 5, warmup: 1 },
  },
  summarize: throughputSummary("messages/s"),
};

/** Waits (server side) until `count` clients are connected, then broadcasts each frame. */
async function broadcastLoop(connected, count, send) {
  while (connected() < count) await tick();
  for (;;) {
    send();
    await tick();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main({
    async "server:gdnet"({ clients }) {
      const { WebSocketServer: Server } = await gdnet();
      const server = new Server();
      server.outboundBufferSize = LIMIT;
      server.listen(0);
      ready(server.getLocalPort());
      await broadcastLoop(
        () => {
          server.poll();
          return server.getPeerCount();
        },
        clients,
        () => {
          server.poll();
          server.broadcast(message);
        },
      );
    },
    async "server:anchor"({ clients }) {
      const server = new WebSocketServer({ port: 0, perMessageDeflate: false });
      server.on("listening", () => ready(server.address().port));
      await broadcastLoop(
        () => server.clients.size,
        clients,
        () => {
          for (const client of server.clients) {
            if (client.bufferedAmount + message.byteLength <= LIMIT) client.send(message);
          }
        },
      );
    },
    async "client:gdnet"(params) {
      await countMessages(params);
    },
    async "client:anchor"(params) {
      await countMessages(params);
    },
  });
}

async function countMessages({ clients, seconds, warmup, port }) {
  let count = 0;
  let measuring = false;
  const sockets = [];
  await new Promise((resolve) => {
    let open = 0;
    for (let i = 0; i < clients; i++) {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false });
      socket.on("open", () => {
        if (++open === clients) resolve();
      });
      socket.on("message", () => {
        if (measuring) count++;
      });
      sockets.push(socket);
    }
  });
  await new Promise((resolve) => setTimeout(resolve, warmup * 1000));
  measuring = true;
  const start = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  measuring = false;
  result({ rate: count / ((performance.now() - start) / 1000) });
  process.exit(0);
}
