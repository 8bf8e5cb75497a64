// The Godot 3 docs' minimal WebSocket server ("Using WebSockets"), ported line by line:
// a WebSocketServer with signals, polled every frame, echoing what it receives.
import { OK, WebSocketServer } from "gdnet";

export class MinimalServer {
  /** Whether `process` should still run (Godot's `set_process`). */
  processing = true;

  constructor(port, options) {
    // The port we will listen to (the docs use 9080).
    this.port = port;
    // Our WebSocketServer instance.
    this._server = new WebSocketServer(options);
  }

  /** Godot's `_ready`. */
  ready() {
    // Connect base signals to get notified of new client connections, disconnections,
    // and disconnect requests.
    this._server.clientConnected.connect((id, proto) => this._connected(id, proto));
    this._server.clientDisconnected.connect((id, wasClean) => this._disconnected(id, wasClean));
    this._server.clientCloseRequest.connect((id, code, reason) => this._closeRequest(id, code, reason));
    // This signal is emitted when not using the Multiplayer API every time a full packet
    // is received.
    this._server.dataReceived.connect((id) => this._onData(id));
    // Start listening on the given port.
    const err = this._server.listen(this.port);
    if (err !== OK) {
      console.log("Unable to start server");
      this.processing = false;
    }
  }

  /** The port actually listened on (when constructed with port 0). */
  get localPort() {
    return this._server.getLocalPort();
  }

  _connected(id, proto) {
    // This is called when a new peer connects, "id" will be the assigned peer id,
    // "proto" will be the selected WebSocket sub-protocol (which is optional).
    console.log(`Client ${id} connected with protocol: ${proto}`);
  }

  _closeRequest(id, code, reason) {
    // This is called when a client notifies that it wishes to close the connection,
    // providing a reason string and close code.
    console.log(`Client ${id} disconnecting with code: ${code}, reason: ${reason}`);
  }

  _disconnected(id, wasClean = false) {
    // This is called when a client disconnects, "id" will be the one of the
    // disconnecting client, "wasClean" will tell you if the disconnection was correctly
    // notified by the remote peer before closing the socket.
    console.log(`Client ${id} disconnected, clean: ${wasClean}`);
  }

  _onData(id) {
    // Print the received packet, you MUST always use get_peer(id).get_packet to receive
    // data, and not get_packet directly when not using the MultiplayerAPI.
    const pkt = this._server.getPeer(id).getPacket();
    console.log(`Got data from client ${id}: ${new TextDecoder().decode(pkt)} ... echoing`);
    this._server.getPeer(id).putPacket(pkt);
  }

  /** Godot's `_process(delta)`. */
  process() {
    if (!this.processing) return;
    // Call this in _process or _physics_process. Data transfer, and signals emission
    // will only happen when calling this function.
    this._server.poll();
  }

  stop() {
    this._server.stop();
  }
}
