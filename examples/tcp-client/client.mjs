// client.gd of the tutorial "Creating a TCP client in Godot" (bytesnsprites.com, Godot 3.3),
// ported line by line. Two lines differ, each marked "Godot 3 → 4" and listed in
// docs/porting.md, "Porting Godot 3 code": gdnet follows Godot 4 there.
import { OK, Signal, StreamPeerTCP } from "gdnet";

export class Client {
  connected = new Signal();
  data = new Signal();
  disconnected = new Signal();
  error = new Signal();

  _status = 0;
  _stream;

  /** `options` go to the StreamPeerTCP (a MemoryNetwork in tests; none for real sockets). */
  constructor(options) {
    this._stream = new StreamPeerTCP(options);
  }

  ready() {
    this._status = this._stream.getStatus();
  }

  process(_delta) {
    // Godot 3 → 4: Godot 3's get_status() polled the socket itself; call poll() once a frame.
    this._stream.poll();
    const newStatus = this._stream.getStatus();
    if (newStatus !== this._status) {
      this._status = newStatus;
      switch (this._status) {
        case StreamPeerTCP.STATUS_NONE:
          console.log("Disconnected from host.");
          this.disconnected.emit();
          break;
        case StreamPeerTCP.STATUS_CONNECTING:
          console.log("Connecting to host.");
          break;
        case StreamPeerTCP.STATUS_CONNECTED:
          console.log("Connected to host.");
          this.connected.emit();
          break;
        case StreamPeerTCP.STATUS_ERROR:
          console.log("Error with socket stream.");
          this.error.emit();
          break;
      }
    }

    if (this._status === StreamPeerTCP.STATUS_CONNECTED) {
      const availableBytes = this._stream.getAvailableBytes();
      if (availableBytes > 0) {
        console.log("available bytes: " + availableBytes);
        const data = this._stream.getPartialData(availableBytes);
        // Check for read error.
        if (data[0] !== OK) {
          console.log("Error getting data from stream: " + data[0]);
          this.error.emit();
        } else {
          this.data.emit(data[1]);
        }
      }
    }
  }

  connectToHost(host, port) {
    console.log(`Connecting to ${host}:${port}`);
    // Reset status so we can tell if it changes to error again.
    this._status = StreamPeerTCP.STATUS_NONE;
    // Godot 3 → 4: a stream in STATUS_ERROR refuses to connect again until disconnected.
    this._stream.disconnectFromHost();
    if (this._stream.connectToHost(host, port) !== OK) {
      console.log("Error connecting to host.");
      this.error.emit();
    }
  }

  send(data) {
    if (this._status !== StreamPeerTCP.STATUS_CONNECTED) {
      console.log("Error: Stream is not currently connected.");
      return false;
    }
    const error = this._stream.putData(data);
    if (error !== OK) {
      console.log("Error writing to stream: " + error);
      return false;
    }
    return true;
  }
}
