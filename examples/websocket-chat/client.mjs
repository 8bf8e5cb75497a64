// client.gd of Godot's networking/websocket_chat demo (Godot 4), ported line by line,
// with client.tscn's settings (supported protocol "demo-chat"). Run it:
//   node examples/websocket-chat/client.mjs [url]      (default ws://localhost:8000/test/)
// and type "send <text>" (the Send button), "disconnect" / "connect" (the Connect
// toggle) or "quit".
import { OK } from "gdnet";
import { runScene } from "./scene.mjs";
import { WebSocketClient } from "./websocket/WebSocketClient.mjs";

export class ClientScene {
  _client = new WebSocketClient();
  _lineEdit = { text: "" };
  _host = { text: "ws://localhost:8000/test/" };

  constructor() {
    this._client.supportedProtocols = ["demo-chat"];
    this._client.connectionClosed.connect(() => this._onWebSocketClientConnectionClosed());
    this._client.connectedToServer.connect(() => this._onWebSocketClientConnectedToServer());
    this._client.messageReceived.connect((message) => this._onWebSocketClientMessageReceived(message));
  }

  info(msg) {
    console.log(msg);
  }

  // #region Client signals
  _onWebSocketClientConnectionClosed() {
    const ws = this._client.getSocket();
    this.info(`Client just disconnected with code: ${ws.getCloseCode()}, reason: ${ws.getCloseReason()}`);
  }

  _onWebSocketClientConnectedToServer() {
    this.info(`Client just connected with protocol: ${this._client.getSocket().getSelectedProtocol()}`);
  }

  _onWebSocketClientMessageReceived(message) {
    this.info(`${message}`);
  }
  // #endregion

  // #region UI signals
  _onSendPressed() {
    if (this._lineEdit.text === "") return;

    this.info(`Sending message: ${this._lineEdit.text}`);
    this._client.send(this._lineEdit.text);
    this._lineEdit.text = "";
  }

  _onConnectToggled(pressed) {
    if (!pressed) {
      this._client.close();
      return;
    }

    if (this._host.text === "") return;

    this.info(`Connecting to host: ${this._host.text}.`);
    const err = this._client.connectToUrl(this._host.text);
    if (err !== OK) {
      this.info(`Error connecting to host: ${this._host.text}`);
      return;
    }
  }
  // #endregion

  process(delta) {
    this._client.process(delta);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const scene = new ClientScene();
  if (process.argv[2] !== undefined) scene._host.text = process.argv[2];
  scene._onConnectToggled(true);
  await runScene(
    (delta) => scene.process(delta),
    (word, rest) => {
      if (word === "send") {
        scene._lineEdit.text = rest;
        scene._onSendPressed();
      } else if (word === "disconnect") {
        scene._onConnectToggled(false);
      } else if (word === "connect") {
        scene._onConnectToggled(true);
      }
    },
  );
}
