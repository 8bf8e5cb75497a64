// websocket/WebSocketClient.gd of Godot's networking/websocket_chat demo (Godot 4),
// ported line by line.
import { bytesToVar, OK, Signal, varToBytes, WebSocketPeer } from "gdnet";

export class WebSocketClient {
  handshakeHeaders = [];
  supportedProtocols = [];
  tlsOptions = null;

  socket = new WebSocketPeer();
  lastState = WebSocketPeer.STATE_CLOSED;

  connectedToServer = new Signal();
  connectionClosed = new Signal();
  messageReceived = new Signal();

  connectToUrl(url) {
    this.socket.supportedProtocols = this.supportedProtocols;
    this.socket.handshakeHeaders = this.handshakeHeaders;

    const err = this.socket.connectToUrl(url, this.tlsOptions);
    if (err !== OK) return err;

    this.lastState = this.socket.getReadyState();
    return OK;
  }

  send(message) {
    if (typeof message === "string") return this.socket.sendText(message);
    return this.socket.send(varToBytes(message));
  }

  getMessage() {
    if (this.socket.getAvailablePacketCount() < 1) return null;
    const pkt = this.socket.getPacket();
    if (this.socket.wasStringPacket()) return new TextDecoder().decode(pkt);
    return bytesToVar(pkt);
  }

  close(code = 1000, reason = "") {
    this.socket.close(code, reason);
    this.lastState = this.socket.getReadyState();
  }

  clear() {
    this.socket = new WebSocketPeer();
    this.lastState = this.socket.getReadyState();
  }

  getSocket() {
    return this.socket;
  }

  poll() {
    if (this.socket.getReadyState() !== WebSocketPeer.STATE_CLOSED) this.socket.poll();

    const state = this.socket.getReadyState();

    if (this.lastState !== state) {
      this.lastState = state;
      if (state === WebSocketPeer.STATE_OPEN) this.connectedToServer.emit();
      else if (state === WebSocketPeer.STATE_CLOSED) this.connectionClosed.emit();
    }
    while (this.socket.getReadyState() === WebSocketPeer.STATE_OPEN && this.socket.getAvailablePacketCount())
      this.messageReceived.emit(this.getMessage());
  }

  process(_delta) {
    this.poll();
  }
}
