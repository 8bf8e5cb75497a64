// broadcast_1000: the server sends one 64-byte binary message to each of 1,000 clients
// every frame, as fast as it can; the clients (plain `ws`, the same for both variants,
// in one process) count what they receive over a measurement window after a warm-up.
// Delivered messages per second.
//
// gdnet: WebSocketServer.broadcast() in a frame loop (framed once, the same bytes
// written to every peer). Anchor: a `ws.send` loop over the clients in the same kind of
// loop. Both skip a client whose outbound queue is full (65535 bytes, gdnet's default
// outboundBufferSize), so neither queues without bound.
//
// For the record, a third server shows the floor of Node's public API: after `ws`'s
// handshake it writes the same pre-framed bytes with one `socket.write` per client per
// frame, with no WebSocket library code at all (`floor`, and the ratio gdnet/floor).
import WebSocket, { WebSocketServer } from "ws";
import { median } from "../harness.mjs";
import {
  fail,
  gdnet,
  main,
  measurementWindow,
  ready,
  result,
  throughputSummary,
  tick,
  waitUntilDone,
} from "./common.mjs";

const LIMIT = 65535;
const message = new Uint8Array(64).fill(5);

export const scenario = {
  name: "broadcast_1000",
  file: new URL(import.meta.url),
  params: {
    smoke: { clients: 20, seconds: 0.2, warmup: 0.1 },
    quick: { clients: 1000, seconds: 0.8, warmup: 0.3 },
    full: { clients: 1000, seconds: 1.5, warmup: 0.5 },
  },
  variants: ["gdnet", "anchor", "floor"],
  // Every server spends most of its time inside the same write system call, so the
  // ratios are small and single rounds move by ±15 %: more rounds steady the medians.
  rounds: { smoke: 1, quick: 2, full: 11 },
  clientVariant: () => "any",
  summarize(samples) {
    const summary = throughputSummary("messages/s")(samples);
    summary.floor = median(samples.floor.map((s) => s.rate));
    summary.ratio_to_floor = summary.gdnet / summary.floor;
    summary.samples.floor = samples.floor.map((s) => s.rate);
    return summary;
  },
};

if (import.meta.url === `file://${process.argv[1]}`) {
  await main({
    async "server:gdnet"({ clients }) {
      const { WebSocketServer: Server } = await gdnet();
      const server = new Server();
      server.outboundBufferSize = LIMIT;
      server.listen(0);
      ready(server.getLocalPort());
      while (server.getPeerCount() < clients) {
        server.poll();
        await tick();
      }
      for (;;) {
        server.poll();
        server.broadcast(message);
        await tick();
      }
    },
    async "server:anchor"({ clients }) {
      const server = new WebSocketServer({ port: 0, perMessageDeflate: false });
      server.on("listening", () => ready(server.address().port));
      while (server.clients.size < clients) await tick();
      for (;;) {
        for (const client of server.clients) {
          if (client.bufferedAmount + message.byteLength <= LIMIT) client.send(message);
        }
        await tick();
      }
    },
    async "server:floor"({ clients }) {
      const frame = Buffer.alloc(2 + message.byteLength, message[0]);
      frame[0] = 0x82; // FIN, binary
      frame[1] = message.byteLength;
      const server = new WebSocketServer({ port: 0, perMessageDeflate: false });
      server.on("listening", () => ready(server.address().port));
      while (server.clients.size < clients) await tick();
      const sockets = [...server.clients].map((client) => client._socket);
      for (;;) {
        for (const socket of sockets) {
          if (socket.writableLength + frame.byteLength <= LIMIT) socket.write(frame);
        }
        await tick();
      }
    },
    async "client:any"(params) {
      await countMessages(params);
    },
  });
}

async function countMessages(params) {
  const { clients, port } = params;
  let window = null;
  await new Promise((resolve) => {
    let open = 0;
    for (let i = 0; i < clients; i++) {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false });
      socket.on("open", () => {
        if (++open === clients) resolve();
      });
      socket.on("message", () => window?.record());
      socket.on("error", (error) => fail(`client: ${error.message}`));
      socket.on("close", () => fail("client: a connection closed"));
    }
  });
  window = measurementWindow(params);
  await waitUntilDone(window);
  result({ rate: window.rate() });
}
