// websocket/WebSocketServer.gd of Godot's networking/websocket_chat demo (Godot 4),
// ported line by line: a TCPServer whose connections become WebSocketPeers through
// accept_stream, with numbered peers. The TLS branch is left out (gdnet has no
// StreamPeerTLS; a gdnet WebSocketServer listens with wss itself).
import { bytesToVar, OK, Signal, StreamPeerTCP, TCPServer, varToBytes, WebSocketPeer } from "gdnet";

class PendingPeer {
  connectTime;
  tcp;
  connection;
  ws = null;

  constructor(tcp) {
    this.tcp = tcp;
    this.connection = tcp;
    this.connectTime = performance.now();
  }
}

export class WebSocketServer {
  messageReceived = new Signal();
  clientConnected = new Signal();
  clientDisconnected = new Signal();

  handshakeHeaders = [];
  supportedProtocols = [];
  handshakeTimout = 3000;
  #refuseNewConnections = false;

  get refuseNewConnections() {
    return this.#refuseNewConnections;
  }

  set refuseNewConnections(refuse) {
    this.#refuseNewConnections = refuse;
    if (refuse) this.pendingPeers.length = 0;
  }

  tcpServer = new TCPServer();
  pendingPeers = [];
  peers = new Map();

  listen(port) {
    console.assert(!this.tcpServer.isListening());
    return this.tcpServer.listen(port);
  }

  stop() {
    this.tcpServer.stop();
    this.pendingPeers.length = 0;
    this.peers.clear();
  }

  send(peerId, message) {
    const type = typeof message;
    if (peerId <= 0) {
      // Send to multiple peers, (zero = broadcast, negative = exclude one).
      for (const id of this.peers.keys()) {
        if (id === -peerId) continue;
        if (type === "string") this.peers.get(id).sendText(message);
        else this.peers.get(id).putPacket(message);
      }
      return OK;
    }

    console.assert(this.peers.has(peerId));
    const socket = this.peers.get(peerId);
    if (type === "string") return socket.sendText(message);
    return socket.send(varToBytes(message));
  }

  getMessage(peerId) {
    console.assert(this.peers.has(peerId));
    const socket = this.peers.get(peerId);
    if (socket.getAvailablePacketCount() < 1) return null;
    const pkt = socket.getPacket();
    if (socket.wasStringPacket()) return new TextDecoder().decode(pkt);
    return bytesToVar(pkt);
  }

  hasMessage(peerId) {
    console.assert(this.peers.has(peerId));
    return this.peers.get(peerId).getAvailablePacketCount() > 0;
  }

  _createPeer() {
    const ws = new WebSocketPeer();
    ws.supportedProtocols = this.supportedProtocols;
    ws.handshakeHeaders = this.handshakeHeaders;
    return ws;
  }

  poll() {
    if (!this.tcpServer.isListening()) return;

    while (!this.refuseNewConnections && this.tcpServer.isConnectionAvailable()) {
      const conn = this.tcpServer.takeConnection();
      console.assert(conn !== null);
      this.pendingPeers.push(new PendingPeer(conn));
    }

    const toRemove = [];

    for (const p of this.pendingPeers) {
      if (!this._connectPending(p)) {
        if (p.connectTime + this.handshakeTimout < performance.now()) {
          // Timeout.
          toRemove.push(p);
        }
        continue; // Still pending.
      }

      toRemove.push(p);
    }

    for (const r of toRemove) this.pendingPeers.splice(this.pendingPeers.indexOf(r), 1);

    toRemove.length = 0;

    for (const [id, p] of this.peers) {
      p.poll();

      if (p.getReadyState() !== WebSocketPeer.STATE_OPEN) {
        this.clientDisconnected.emit(id);
        toRemove.push(id);
        continue;
      }

      while (p.getAvailablePacketCount()) this.messageReceived.emit(id, this.getMessage(id));
    }

    for (const r of toRemove) this.peers.delete(r);
    toRemove.length = 0;
  }

  _connectPending(p) {
    if (p.ws !== null) {
      // Poll websocket client if doing handshake.
      p.ws.poll();
      const state = p.ws.getReadyState();
      if (state === WebSocketPeer.STATE_OPEN) {
        const id = 2 + Math.floor(Math.random() * ((1 << 30) - 1));
        this.peers.set(id, p.ws);
        this.clientConnected.emit(id);
        return true; // Success.
      } else if (state !== WebSocketPeer.STATE_CONNECTING) {
        return true; // Failure.
      }
      return false; // Still connecting.
    } else if (p.tcp.getStatus() !== StreamPeerTCP.STATUS_CONNECTED) {
      return true; // TCP disconnected.
    } else {
      // TCP is ready, create WS peer.
      p.ws = this._createPeer();
      p.ws.acceptStream(p.tcp);
      return false; // WebSocketPeer connection is pending.
    }
  }

  process(_delta) {
    this.poll();
  }
}
