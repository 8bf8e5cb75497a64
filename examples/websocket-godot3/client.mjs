// The Godot 3 docs' minimal WebSocket client ("Using WebSockets"), ported line by line:
// a WebSocketClient with signals, polled every frame.
import { OK, WebSocketClient } from "gdnet";

export class MinimalClient {
  /** The URL to connect to (the docs use an echo server on the Internet). */
  websocketUrl;
  /** Whether `process` should still run (Godot's `set_process`). */
  processing = true;

  constructor(websocketUrl, options) {
    this.websocketUrl = websocketUrl;
    this._client = new WebSocketClient(options);
  }

  /** Godot's `_ready`. */
  ready() {
    // Connect base signals to get notified of connection open, close, and errors.
    this._client.connectionClosed.connect((wasClean) => this._closed(wasClean));
    this._client.connectionError.connect(() => this._closed());
    this._client.connectionEstablished.connect((proto) => this._connected(proto));
    // This signal is emitted when not using the Multiplayer API every time a full packet
    // is received.
    this._client.dataReceived.connect(() => this._onData());
    // Initiate connection to the given URL.
    const err = this._client.connectToUrl(this.websocketUrl);
    if (err !== OK) {
      console.log("Unable to connect");
      this.processing = false;
    }
  }

  _closed(wasClean = false) {
    // wasClean will tell you if the disconnection was correctly notified by the remote
    // peer before closing the socket.
    console.log("Closed, clean:", wasClean);
    this.processing = false;
  }

  _connected(proto = "") {
    // This is called on connection, "proto" will be the selected WebSocket sub-protocol
    // (which is optional).
    console.log("Connected with protocol:", proto);
    // You MUST always use get_peer(1).put_packet to send data to server, and not
    // put_packet directly when not using the MultiplayerAPI.
    this._client.getPeer(1).putPacket(new TextEncoder().encode("Test packet"));
  }

  _onData() {
    // Print the received packet, you MUST always use get_peer(1).get_packet to receive
    // data from server, and not get_packet directly when not using the MultiplayerAPI.
    console.log("Got data from server:", new TextDecoder().decode(this._client.getPeer(1).getPacket()));
  }

  /** Godot's `_process(delta)`. */
  process() {
    if (!this.processing) return;
    // Call this in _process or _physics_process. Data transfer, and signals emission
    // will only happen when calling this function.
    this._client.poll();
  }

  /** Closes the connection (what leaving the scene tree does in Godot). */
  close(code = 1000, reason = "") {
    return this._client.disconnectFromHost(code, reason);
  }
}
