// The Godot 4 docs' minimal WebSocket client ("Using WebSockets"), ported line by line:
// a WebSocketPeer polled every frame, its state checked after each poll.
import { OK, WebSocketPeer } from "gdnet";

export class MinimalClient {
  /** The URL we will connect to (the docs use an echo server on the Internet). */
  websocketUrl;
  /** Whether `process` should still run (Godot's `set_process`). */
  processing = true;
  /** Our WebSocketPeer instance. */
  socket;
  /** Seconds until the test packet is sent (the docs wait 2 s with a timer). */
  #sendIn;

  constructor(websocketUrl, options, sendDelay = 2) {
    this.websocketUrl = websocketUrl;
    this.socket = new WebSocketPeer(options);
    this.#sendIn = sendDelay;
  }

  /** Godot's `_ready`. */
  ready() {
    const err = this.socket.connectToUrl(this.websocketUrl);
    if (err !== OK) {
      console.log("Unable to connect");
      this.processing = false;
    }
  }

  /** Godot's `_process(delta)`, delta in seconds. */
  process(delta) {
    if (!this.processing) return;
    // The docs `await get_tree().create_timer(2).timeout` before sending.
    if (this.#sendIn >= 0) {
      this.#sendIn -= delta;
      if (this.#sendIn < 0) this.socket.sendText("Test packet");
    }
    // Call this in _process or _physics_process. Data transfer and state updates will
    // only happen when calling this function.
    this.socket.poll();
    // get_ready_state() tells you what state the socket is in.
    const state = this.socket.getReadyState();
    if (state === WebSocketPeer.STATE_OPEN) {
      // WebSocketPeer.STATE_OPEN means the socket is connected and ready to send and
      // receive data.
      while (this.socket.getAvailablePacketCount()) {
        console.log("Got data from server:", new TextDecoder().decode(this.socket.getPacket()));
      }
    } else if (state === WebSocketPeer.STATE_CLOSING) {
      // WebSocketPeer.STATE_CLOSING means the socket is closing. It is important to keep
      // polling for a clean close.
    } else if (state === WebSocketPeer.STATE_CLOSED) {
      // WebSocketPeer.STATE_CLOSED means the connection has fully closed. It is now safe
      // to stop polling.
      const code = this.socket.getCloseCode();
      console.log(`WebSocket closed with code: ${code}. Clean: ${code !== -1}`);
      this.processing = false;
    }
  }
}
