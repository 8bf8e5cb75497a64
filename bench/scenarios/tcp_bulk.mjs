// tcp_bulk: one connection, the server sends `megabytes` MiB as fast as it can, the
// client reads it all. gdnet: StreamPeerTCP on both sides in a frame loop. Anchor:
// node:net, the server piping a readable stream into the socket.
import net from "node:net";
import { Readable } from "node:stream";
import { gdnet, main, ready, result, throughputSummary, tick } from "./common.mjs";

const CHUNK = 64 * 1024;

export const scenario = {
  name: "tcp_bulk",
  file: new URL(import.meta.url),
  unit: "MiB/s",
  params: { smoke: { megabytes: 4 }, quick: { megabytes: 256 }, full: { megabytes: 1024 } },
  summarize: throughputSummary("MiB/s"),
};

const chunk = new Uint8Array(CHUNK).fill(7);

if (import.meta.url === `file://${process.argv[1]}`) {
  await main({
    async "server:gdnet"({ megabytes }) {
      const { TCPServer, OK } = await gdnet();
      const server = new TCPServer();
      server.listen(0, "*");
      ready(server.getLocalPort());
      const total = megabytes * 1024 * 1024;
      let peer = null;
      let sent = 0;
      for (;;) {
        server.poll();
        if (peer === null && server.isConnectionAvailable()) {
          peer = server.takeConnection();
          // Flow control in a frame loop: keep at most 1 MiB queued and top it up each
          // frame (the anchor's pipe does the same with its high-water mark).
          peer.outboundBufferSize = 1024 * 1024;
        }
        if (peer !== null) {
          peer.poll();
          while (sent < total && peer.putData(chunk) === OK) sent += CHUNK;
        }
        await tick();
      }
    },
    async "server:anchor"({ megabytes }) {
      const total = megabytes * 1024 * 1024;
      const server = net.createServer((socket) => {
        let sent = 0;
        Readable.from(
          (function* () {
            while (sent < total) {
              sent += CHUNK;
              yield Buffer.from(chunk.buffer, 0, CHUNK);
            }
          })(),
        ).pipe(socket);
      });
      server.listen(0, () => ready(server.address().port));
    },
    async "client:gdnet"({ megabytes, port }) {
      const { StreamPeerTCP } = await gdnet();
      const total = megabytes * 1024 * 1024;
      const peer = new StreamPeerTCP();
      peer.connectToHost("127.0.0.1", port);
      let received = 0;
      let start = 0;
      while (received < total) {
        peer.poll();
        for (let available = peer.getAvailableBytes(); available > 0; available = peer.getAvailableBytes()) {
          if (start === 0) start = performance.now();
          const [, bytes] = peer.getPartialData(available);
          received += bytes.byteLength;
        }
        await tick();
      }
      const seconds = (performance.now() - start) / 1000;
      result({ rate: total / 2 ** 20 / seconds });
    },
    async "client:anchor"({ megabytes, port }) {
      const total = megabytes * 1024 * 1024;
      const socket = net.connect(port, "127.0.0.1");
      let received = 0;
      let start = 0;
      socket.on("data", (data) => {
        if (start === 0) start = performance.now();
        received += data.byteLength;
        if (received >= total) {
          const seconds = (performance.now() - start) / 1000;
          result({ rate: total / 2 ** 20 / seconds });
          socket.destroy();
        }
      });
    },
  });
}
