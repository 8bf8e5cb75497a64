// Two scripted chat bots, so the demo page is alive from the first second: each joins,
// names itself and says a line from its script every few seconds.
import { WebSocketPeer } from "gdnet";

const SCRIPTS = {
  Ada: ["Hello, everyone!", "Anyone up for a match?", "I'll take the left flank.", "GG!"],
  Bob: ["Hi Ada!", "Sure, count me in.", "Right flank it is.", "Well played."],
};

export class ChatBot {
  #socket;
  #name;
  #lines;
  #next = 0;
  #interval;
  #nextAt = 0;
  #named = false;
  heard = [];

  constructor(name, url, { intervalMs = 2500, offsetMs = 0, options } = {}) {
    this.#name = name;
    this.#lines = SCRIPTS[name] ?? ["Hello!"];
    this.#interval = intervalMs;
    this.#nextAt = performance.now() + offsetMs;
    this.#socket = new WebSocketPeer(options);
    this.#socket.connectToUrl(url);
  }

  /** One frame: read what the server relayed, and say the next line when it is time. */
  poll() {
    const socket = this.#socket;
    socket.poll();
    if (socket.getReadyState() !== WebSocketPeer.STATE_OPEN) return;
    if (!this.#named) this.#named = socket.sendText(`/name ${this.#name}`) === 0;
    while (socket.getAvailablePacketCount() > 0)
      this.heard.push(new TextDecoder().decode(socket.getPacket()));
    if (performance.now() >= this.#nextAt) {
      socket.sendText(this.#lines[this.#next % this.#lines.length]);
      this.#next++;
      this.#nextAt = performance.now() + this.#interval;
    }
  }

  close() {
    this.#socket.close(1000, "bye");
  }
}
