// The tutorial's server: greets every client with "Hello from the server!" and prints
// what it receives. Polled once per frame like the client.
import { TCPServer } from "gdnet";

export class GreetingServer {
  #server;
  #clients = [];

  constructor(options) {
    this.#server = new TCPServer(options);
  }

  listen(port, bindAddress = "*") {
    return this.#server.listen(port, bindAddress);
  }

  get port() {
    return this.#server.getLocalPort();
  }

  /** Called once per frame. `onMessage` sees each text received. */
  process(onMessage) {
    this.#server.poll();
    while (this.#server.isConnectionAvailable()) {
      const client = this.#server.takeConnection();
      client.putData(new TextEncoder().encode("Hello from the server!"));
      this.#clients.push(client);
    }
    for (const client of this.#clients) {
      client.poll();
      const available = client.getAvailableBytes();
      if (available > 0) {
        const [, bytes] = client.getPartialData(available);
        const text = new TextDecoder().decode(bytes);
        console.log("Server received:", text);
        onMessage?.(text);
      }
    }
    this.#clients = this.#clients.filter((client) => client.getStatus() === 2);
  }

  stop() {
    for (const client of this.#clients) client.disconnectFromHost();
    this.#clients = [];
    this.#server.stop();
  }
}
