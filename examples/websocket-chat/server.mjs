// server.gd of Godot's networking/websocket_chat demo (Godot 4), ported line by line,
// with server.tscn's settings (supported protocol "demo-chat", port 8000). Run it:
//   node --expose-gc examples/websocket-chat/server.mjs [port]
// and type "send <text>" (the Send button), "stop" / "listen" (the Listen toggle),
// "gc" (see below) or "quit".
import { OK } from "gdnet";
import { runScene } from "./scene.mjs";
import { WebSocketServer } from "./websocket/WebSocketServer.mjs";

export class ServerScene {
  _server = new WebSocketServer();
  _lineEdit = { text: "" };
  _listenPort = { value: 8000 };

  constructor() {
    this._server.supportedProtocols = ["demo-chat"];
    this._server.clientConnected.connect((id) => this._onWebSocketServerClientConnected(id));
    this._server.clientDisconnected.connect((id) => this._onWebSocketServerClientDisconnected(id));
    this._server.messageReceived.connect((id, message) =>
      this._onWebSocketServerMessageReceived(id, message),
    );
  }

  info(msg) {
    console.log(msg);
  }

  // #region Server signals
  _onWebSocketServerClientConnected(peerId) {
    const peer = this._server.peers.get(peerId);
    this.info(`Remote client connected: ${peerId}. Protocol: ${peer.getSelectedProtocol()}`);
    this._server.send(-peerId, `[${peerId}] connected`);
  }

  _onWebSocketServerClientDisconnected(peerId) {
    const peer = this._server.peers.get(peerId);
    this.info(
      `Remote client disconnected: ${peerId}. Code: ${peer.getCloseCode()}, Reason: ${peer.getCloseReason()}`,
    );
    this._server.send(-peerId, `[${peerId}] disconnected`);
  }

  _onWebSocketServerMessageReceived(peerId, message) {
    this.info(`Server received data from peer ${peerId}: ${message}`);
    this._server.send(-peerId, `[${peerId}] Says: ${message}`);
  }
  // #endregion

  // #region UI signals
  _onSendPressed() {
    if (this._lineEdit.text === "") return;

    this.info(`Sending message: ${this._lineEdit.text}`);
    this._server.send(0, `Server says: ${this._lineEdit.text}`);
    this._lineEdit.text = "";
  }

  _onListenToggled(pressed) {
    if (!pressed) {
      this._server.stop();
      this.info("Server stopped");
      return;
    }

    const port = Math.trunc(this._listenPort.value);
    const err = this._server.listen(port);

    if (err !== OK) {
      this.info(`Error listing on port ${port}`);
      return;
    }
    this.info(
      `Listing on port ${port}, supported protocols: ${JSON.stringify(this._server.supportedProtocols)}`,
    );
  }
  // #endregion

  process(delta) {
    this._server.process(delta);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const scene = new ServerScene();
  if (process.argv[2] !== undefined) scene._listenPort.value = Number(process.argv[2]);
  scene._onListenToggled(true);
  await runScene(
    (delta) => scene.process(delta),
    (word, rest) => {
      if (word === "send") {
        scene._lineEdit.text = rest;
        scene._onSendPressed();
      } else if (word === "stop") {
        scene._onListenToggled(false);
      } else if (word === "listen") {
        scene._onListenToggled(true);
      } else if (word === "gc") {
        // Godot frees a WebSocketPeer when its last reference goes (stop()'s
        // peers.clear()), closing its socket; JavaScript frees it when the garbage
        // collector runs, which an idle process may not do soon. This runs it now.
        globalThis.gc?.();
      }
    },
  );
}
