// server.js of the tutorial "Creating a TCP client in Godot": a plain Node `net` server,
// no gdnet. Changed only so tests can run it: the port comes from the command line (the
// tutorial's 5000 by default) and it listens on loopback.
//   node examples/tcp-client/server.mjs [port]
import net from "node:net";

/** Starts the tutorial's server; returns the `net.Server`. */
export function startServer(port = 5000) {
  const server = net
    .createServer((socket) => {
      socket.on("data", (data) => {
        console.log("Received: " + data);
      });
      console.log("Accepted connection.");
      socket.write("Hello from the server!\n");
    })
    .listen(port, "127.0.0.1", () => console.log(`Listening on ${server.address().port}.`));
  return server;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  startServer(Number(process.argv[2] ?? 5000));
}
