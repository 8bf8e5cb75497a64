// The client object of the classic "TCP client in Godot" tutorial, ported line by line:
// a StreamPeerTCP polled every frame, reporting through four signals.
import { OK, Signal, StreamPeerTCP } from "gdnet";

export class Client {
  /** Emitted when the connection is established. */
  connected = new Signal();
  /** Emitted with the bytes received in a frame. */
  data = new Signal();
  /** Emitted when the connection is closed. */
  disconnected = new Signal();
  /** Emitted when the connection fails or breaks. */
  error = new Signal();

  #status = StreamPeerTCP.STATUS_NONE;
  #stream;

  constructor(options) {
    this.#stream = new StreamPeerTCP(options);
    this.#status = this.#stream.getStatus();
  }

  /** Called once per frame (Godot's `_process`). */
  process() {
    this.#stream.poll();
    const newStatus = this.#stream.getStatus();
    if (newStatus !== this.#status) {
      this.#status = newStatus;
      switch (this.#status) {
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
    if (this.#status === StreamPeerTCP.STATUS_CONNECTED) {
      const availableBytes = this.#stream.getAvailableBytes();
      if (availableBytes > 0) {
        console.log("available bytes:", availableBytes);
        const [err, bytes] = this.#stream.getPartialData(availableBytes);
        if (err !== OK) {
          console.log("Error getting data from stream:", err);
          this.error.emit();
        } else {
          this.data.emit(bytes);
        }
      }
    }
  }

  connectToHost(host, port) {
    console.log(`Connecting to ${host}:${port}`);
    // Godot 4 refuses to connect a stream that is in STATUS_ERROR; start from NONE.
    this.#stream.disconnectFromHost();
    this.#status = StreamPeerTCP.STATUS_NONE;
    if (this.#stream.connectToHost(host, port) !== OK) {
      console.log("Error connecting to host.");
      this.error.emit();
    }
  }

  send(data) {
    if (this.#status !== StreamPeerTCP.STATUS_CONNECTED) {
      console.log("Error: Stream is not currently connected.");
      return false;
    }
    const err = this.#stream.putData(data);
    if (err !== OK) {
      console.log("Error writing to stream:", err);
      return false;
    }
    return true;
  }

  close() {
    this.#stream.disconnectFromHost();
  }
}
