// tcp_bulk: one TCP connection; the server sends 64 KiB chunks as fast as it can, and
// the client reads everything, counting bytes over a measurement window after a warm-up.
// MiB per second.
//
// gdnet: StreamPeerTCP on both sides in frame loops; the server keeps up to 1 MiB queued
// (outboundBufferSize) and tops it up every frame. Anchor: node:net, the server piping
// an endless readable stream into the socket with a 1 MiB high-water mark (the same
// flow-control rule), the client counting 'data' events.
import net from "node:net";
import { Readable } from "node:stream";
import {
  gdnet,
  main,
  measurementWindow,
  ready,
  result,
  throughputSummary,
  tick,
  waitUntilDone,
} from "./common.mjs";

const CHUNK = 64 * 1024;
const QUEUED = 1024 * 1024;
const chunk = new Uint8Array(CHUNK).fill(7);

export const scenario = {
  name: "tcp_bulk",
  file: new URL(import.meta.url),
  params: {
    smoke: { seconds: 0.2, warmup: 0.1 },
    quick: { seconds: 0.8, warmup: 0.3 },
    full: { seconds: 1, warmup: 0.5 },
  },
  // The noisiest scenario on a shared machine: more, shorter runs.
  rounds: { smoke: 1, quick: 2, full: 13 },
  summarize: throughputSummary("MiB/s"),
};

if (import.meta.url === `file://${process.argv[1]}`) {
  await main({
    async "server:gdnet"() {
      const { TCPServer, OK } = await gdnet();
      const server = new TCPServer();
      server.listen(0, "*");
      ready(server.getLocalPort());
      let peer = null;
      for (;;) {
        server.poll();
        if (peer === null && server.isConnectionAvailable()) {
          peer = server.takeConnection();
          peer.outboundBufferSize = QUEUED;
        }
        if (peer !== null) {
          peer.poll();
          while (peer.putData(chunk) === OK) {}
        }
        await tick();
      }
    },
    async "server:anchor"() {
      const server = net.createServer({ highWaterMark: QUEUED }, (socket) => {
        socket.on("error", () => {});
        Readable.from(
          (function* () {
            for (;;) yield Buffer.from(chunk.buffer, 0, CHUNK);
          })(),
        ).pipe(socket);
      });
      server.listen(0, () => ready(server.address().port));
    },
    async "client:gdnet"(params) {
      const { StreamPeerTCP } = await gdnet();
      const peer = new StreamPeerTCP();
      peer.connectToHost("127.0.0.1", params.port);
      const window = measurementWindow(params);
      while (!window.done) {
        peer.poll();
        for (let available = peer.getAvailableBytes(); available > 0; available = peer.getAvailableBytes()) {
          window.record(peer.getPartialData(available)[1].byteLength / 2 ** 20);
        }
        await tick();
      }
      result({ rate: window.rate() });
    },
    async "client:anchor"(params) {
      const socket = net.connect(params.port, "127.0.0.1");
      const window = measurementWindow(params);
      socket.on("data", (data) => window.record(data.byteLength / 2 ** 20));
      socket.on("error", () => {});
      await waitUntilDone(window);
      result({ rate: window.rate() });
    },
  });
}
