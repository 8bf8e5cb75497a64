// tcp_small_100: 100 TCP connections, each bouncing a 32-byte message off an echo server
// (one in flight per connection), counted over a measurement window after a warm-up.
// Round trips per second.
//
// gdnet: StreamPeerTCP on both sides in frame loops (TCPServer accepting). Anchor:
// node:net, the server writing back each 'data' chunk, the client answering each full
// message in its 'data' listener. TCP_NODELAY on every socket of both.
import net from "node:net";
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

const SIZE = 32;
const message = new Uint8Array(SIZE).fill(1);

export const scenario = {
  name: "tcp_small_100",
  file: new URL(import.meta.url),
  params: {
    smoke: { connections: 10, seconds: 0.2, warmup: 0.1 },
    quick: { connections: 100, seconds: 0.8, warmup: 0.3 },
    full: { connections: 100, seconds: 1.5, warmup: 0.5 },
  },
  rounds: { smoke: 1, quick: 2, full: 11 },
  summarize: throughputSummary("round trips/s"),
};

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
          for (
            let available = peer.getAvailableBytes();
            available > 0;
            available = peer.getAvailableBytes()
          ) {
            peer.putData(peer.getPartialData(available)[1]);
          }
        }
        await tick();
      }
    },
    async "server:anchor"() {
      const server = net.createServer((socket) => {
        socket.setNoDelay(true);
        socket.on("data", (data) => socket.write(data));
        socket.on("error", () => {});
      });
      server.listen(0, () => ready(server.address().port));
    },
    async "client:gdnet"(params) {
      const { StreamPeerTCP } = await gdnet();
      const peers = [];
      for (let i = 0; i < params.connections; i++) {
        const peer = new StreamPeerTCP();
        peer.connectToHost("127.0.0.1", params.port);
        peers.push(peer);
      }
      for (let connected = 0; connected < peers.length; await tick()) {
        connected = 0;
        for (const peer of peers) {
          peer.poll();
          const status = peer.getStatus();
          if (status === StreamPeerTCP.STATUS_CONNECTED) connected++;
          else if (status !== StreamPeerTCP.STATUS_CONNECTING) fail("client: a connection failed");
        }
      }
      const window = measurementWindow(params);
      for (const peer of peers) {
        peer.setNoDelay(true);
        peer.putData(message);
      }
      while (!window.done) {
        for (const peer of peers) {
          peer.poll();
          while (peer.getAvailableBytes() >= SIZE) {
            peer.getData(SIZE);
            window.record();
            peer.putData(message);
          }
        }
        await tick();
      }
      result({ rate: window.rate() });
    },
    async "client:anchor"(params) {
      const sockets = [];
      await new Promise((resolve) => {
        let connected = 0;
        for (let i = 0; i < params.connections; i++) {
          const socket = net.connect(params.port, "127.0.0.1", () => {
            if (++connected === params.connections) resolve();
          });
          socket.setNoDelay(true);
          socket.on("error", (error) => fail(`client: ${error.message}`));
          sockets.push(socket);
        }
      });
      const window = measurementWindow(params);
      for (const socket of sockets) {
        let pending = 0;
        socket.on("data", (data) => {
          pending += data.byteLength;
          while (pending >= SIZE) {
            pending -= SIZE;
            window.record();
            socket.write(message);
          }
        });
        socket.write(message);
      }
      await waitUntilDone(window);
      result({ rate: window.rate() });
    },
  });
}
