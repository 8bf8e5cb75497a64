// A client of the arena: sends its input every frame and keeps the last state it saw.
import { Vector2, WebSocketPeer } from "gdnet";

export class ArenaClient {
  #socket;
  /** This player's id, once the server welcomed it. */
  id = 0;
  /** The direction this player holds (the game sets it from the keyboard). */
  input = new Vector2(0, 0);
  /** The last state received: every player's position, by id. */
  view = new Map();

  constructor(url, options) {
    this.#socket = new WebSocketPeer(options);
    this.#socket.connectToUrl(url);
  }

  get connected() {
    return this.#socket.getReadyState() === WebSocketPeer.STATE_OPEN;
  }

  /** One client frame: read what arrived, then send the input. */
  poll() {
    this.#socket.poll();
    while (this.#socket.getAvailablePacketCount() > 0) {
      const message = this.#socket.getVar();
      if (!(message instanceof Map)) continue;
      if (message.has("welcome")) this.id = message.get("welcome");
      if (message.has("state")) this.view = message.get("state");
    }
    if (this.connected && (this.input.x !== 0 || this.input.y !== 0)) this.#socket.putVar(this.input);
  }

  leave() {
    this.#socket.close(1000, "bye");
  }
}
