// A small authoritative game server: players send their input (a direction), the
// server moves them and sends everyone the state once per frame.
import { bytesToVar, OK, Vector2, varToBytes, WebSocketServer } from "gdnet";

export class ArenaServer {
  #server;
  /** The truth: every player's position, by peer id. */
  players = new Map();

  constructor(options) {
    this.#server = new WebSocketServer(options);
    this.#server.clientConnected.connect((id) => {
      this.players.set(id, new Vector2(0, 0));
      this.#server.getPeer(id).putVar(new Map([["welcome", id]]));
    });
    this.#server.clientDisconnected.connect((id) => this.players.delete(id));
  }

  listen(port) {
    return this.#server.listen(port);
  }

  /** One server frame: apply every input received, then send the state to everyone. */
  poll() {
    this.#server.poll();
    while (this.#server.getAvailablePacketCount() > 0) {
      const id = this.#server.getPacketPeer();
      const input = bytesToVar(this.#server.getPacket());
      const position = this.players.get(id);
      if (position && input instanceof Vector2) {
        this.players.set(id, new Vector2(position.x + Math.sign(input.x), position.y + Math.sign(input.y)));
      }
    }
    if (this.players.size > 0) this.#server.broadcast(varToBytes(new Map([["state", this.players]])));
  }

  stop() {
    this.#server.stop();
  }
}

export { OK };
