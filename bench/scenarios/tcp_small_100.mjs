// tcp_small_100: 100 connections, each bouncing a 32-byte message off an echo server
// (one in flight per connection), for a fixed time. Round trips per second.
// gdnet: StreamPeerTCP on both sides in a frame loop. Anchor: node:net.
import net from "node:net";
import { gdnet, main, ready, result, throughputSummary, tick } from "./common.mjs";

const SIZE = 32;

export const scenario = {
  name: "tcp_small_100",
  file: new URL(import.meta.url),
  unit: "round trips/s",
  params: {
    smoke: { connections: 10, seconds: 0.3 },
    quick: { connections: 100, seconds: 2 },
    full: { connections: 100, seconds: 5 },
  },
  summarize: throughputSummary("round trips/s"),
};

const message = new Uint8Array(SIZE).fill(1);

if (import.meta.url === `file://${process.argv[1]}`) {
  await main({
    async "server:gdnet"() {
      const { TCPServer } = await gdnet();
      const server = new TCPServer();
      server.listen(0, "*");
      ready(server.getLocalPort());
      const peers = [];
      for (;;) {
        server.poll();
        while (server.isConnectionAvailable()) {
          const peer = server.takeConnection();
          peer.setNoDelay(true);
          peers.push(peer);
        }
        for (const peer of peers) {
          peer.poll();
          const available = peer.getAvailableBytes();
          if (available > 0) peer.putData(peer.getPartialData(available)[1]);
        }
        await tick();
      }
    },
    async "server:anchor"() {
      const server = net.createServer((socket) => {
        socket.setNoDelay(true);
        socket.on("data", (data) => socket.write(data));
      });
      server.listen(0, () => ready(server.address().port));
    },
    async "client:gdnet"({ connections, seconds, port }) {
      const { StreamPeerTCP } = await gdnet();
      const peers = [];
      for (let i = 0; i < connections; i++) {
        const peer = new StreamPeerTCP();
        peer.connectToHost("127.0.0.1", port);
        peers.push(peer);
      }
      while (peers.some((p) => p.getStatus() !== StreamPeerTCP.STATUS_CONNECTED)) {
        for (const peer of peers) peer.poll();
        await tick();
      }
      for (const peer of peers) {
        peer.setNoDelay(true);
        peer.putData(message);
      }
      let count = 0;
      const start = performance.now();
      const end = start + seconds * 1000;
      while (performance.now() < end) {
        for (const peer of peers) {
          peer.poll();
          while (peer.getAvailableBytes() >= SIZE) {
            peer.getData(SIZE);
            count++;
            peer.putData(message);
          }
        }
        await tick();
      }
      result({ rate: count / ((performance.now() - start) / 1000) });
    },
    async "client:anchor"({ connections, seconds, port }) {
      let count = 0;
      let open = 0;
      let start = 0;
      const sockets = [];
      await new Promise((resolve) => {
        for (let i = 0; i < connections; i++) {
          const socket = net.connect(port, "127.0.0.1", () => {
            if (++open === connections) resolve();
          });
          socket.setNoDelay(true);
          let pending = 0;
          socket.on("data", (data) => {
            pending += data.byteLength;
            while (pending >= SIZE) {
              pending -= SIZE;
              count++;
              socket.write(message);
            }
          });
          sockets.push(socket);
        }
      });
      start = performance.now();
      for (const socket of sockets) socket.write(message);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      result({ rate: count / ((performance.now() - start) / 1000) });
      for (const socket of sockets) socket.destroy();
    },
  });
}
