// A minimal WebSocket echo server in Godot 4's style, as the Godot demo projects build
// one: a TCPServer hands each connection to a WebSocketPeer (accept_stream), pending
// peers get 3 s to finish the handshake, and every peer is polled each frame.
import { OK, TCPServer, WebSocketPeer } from "gdnet";

const HANDSHAKE_TIMEOUT_MS = 3000;

export class MinimalServer {
  /** Whether `process` should still run (Godot's `set_process`). */
  processing = true;
  #tcp;
  #options;
  #pending = [];
  #peers = new Map();
  #elapsedMs = 0;

  constructor(port, options) {
    this.port = port;
    this.#options = options;
    this.#tcp = new TCPServer(options);
  }

  /** Godot's `_ready`. */
  ready() {
    const err = this.#tcp.listen(this.port);
    if (err !== OK) {
      console.log("Unable to start server");
      this.processing = false;
    }
  }

  /** The port actually listened on (when constructed with port 0). */
  get localPort() {
    return this.#tcp.getLocalPort();
  }

  /** Godot's `_process(delta)`, delta in seconds. */
  process(delta) {
    if (!this.processing) return;
    this.#elapsedMs += delta * 1000;
    this.#tcp.poll();
    while (this.#tcp.isConnectionAvailable()) {
      const peer = new WebSocketPeer(this.#options);
      peer.acceptStream(this.#tcp.takeConnection());
      this.#pending.push({ peer, connectTime: this.#elapsedMs });
    }
    this.#pending = this.#pending.filter(({ peer, connectTime }) => {
      peer.poll();
      const state = peer.getReadyState();
      if (state === WebSocketPeer.STATE_OPEN) {
        const id = 2 + Math.floor(Math.random() * (2 ** 30 - 2));
        this.#peers.set(id, peer);
        console.log(`Client ${id} connected`);
        return false;
      }
      if (state !== WebSocketPeer.STATE_CONNECTING) return false;
      if (this.#elapsedMs - connectTime > HANDSHAKE_TIMEOUT_MS) {
        peer.close(-1);
        return false;
      }
      return true;
    });
    for (const [id, peer] of this.#peers) {
      peer.poll();
      while (peer.getAvailablePacketCount()) {
        const packet = peer.getPacket();
        console.log(`Got data from client ${id}: ${new TextDecoder().decode(packet)} ... echoing`);
        peer.send(
          packet,
          peer.wasStringPacket() ? WebSocketPeer.WRITE_MODE_TEXT : WebSocketPeer.WRITE_MODE_BINARY,
        );
      }
      if (peer.getReadyState() === WebSocketPeer.STATE_CLOSED) {
        const code = peer.getCloseCode();
        console.log(
          `Client ${id} disconnected with code: ${code}, reason: ${peer.getCloseReason()}. Clean: ${code !== -1}`,
        );
        this.#peers.delete(id);
      }
    }
  }

  stop() {
    for (const { peer } of this.#pending) peer.close(-1);
    for (const peer of this.#peers.values()) peer.close(1001);
    this.#pending = [];
    this.#peers.clear();
    this.#tcp.stop();
  }
}
