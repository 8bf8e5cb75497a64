// The chat server of Godot's websocket_chat demo: a WebSocketServer that tells everyone
// who joined and left, and relays every line to every client. Polled once per frame.
import { OK, WebSocketServer } from "gdnet";

export class ChatServer {
  #server;
  #names = new Map();
  #decoder = new TextDecoder();

  constructor(options) {
    this.#server = new WebSocketServer(options);
    this.#server.clientConnected.connect((id) => {
      this.#names.set(id, `Peer ${id}`);
      this.#log(`${this.#names.get(id)} joined.`);
    });
    this.#server.clientDisconnected.connect((id) => {
      this.#log(`${this.#names.get(id) ?? `Peer ${id}`} left.`);
      this.#names.delete(id);
    });
    this.#server.dataReceived.connect((id) => {
      const text = this.#decoder.decode(this.#server.getPeer(id).getPacket()).trim();
      if (text.startsWith("/name ")) {
        const old = this.#names.get(id);
        this.#names.set(id, text.slice(6).slice(0, 24) || old);
        this.#log(`${old} is now ${this.#names.get(id)}.`);
        return;
      }
      if (text.length > 0) this.#log(`${this.#names.get(id)}: ${text.slice(0, 500)}`);
    });
  }

  /** Listens for chat clients; returns the error code. */
  listen(port) {
    return this.#server.listen(port);
  }

  get port() {
    return this.#server.getLocalPort();
  }

  poll() {
    this.#server.poll();
  }

  stop() {
    this.#server.stop();
  }

  #log(line) {
    console.log(`[chat] ${line}`);
    if (this.#server.getPeerCount() > 0) this.#server.broadcastText(line);
  }
}

export { OK };
