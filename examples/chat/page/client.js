// The browser chat client: a WebSocketPeer from gdnet's browser build, polled in a
// requestAnimationFrame loop, as the Godot demo's client polls in _process.
import { WebSocketPeer } from "/gdnet.js";

const log = document.getElementById("log");
const status = document.getElementById("status");
const form = document.getElementById("form");
const input = document.getElementById("message");
const wsPort = new URLSearchParams(location.search).get("ws") ?? document.documentElement.dataset.ws;

const socket = new WebSocketPeer();
socket.connectToUrl(`ws://${location.hostname}:${wsPort}/`);
let lastState = -1;

function print(line) {
  log.textContent += `${line}\n`;
  log.scrollTop = log.scrollHeight;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (text.length === 0) return;
  if (socket.sendText(text) !== 0) print("(not connected)");
  input.value = "";
});

function frame() {
  socket.poll();
  const state = socket.getReadyState();
  if (state !== lastState) {
    lastState = state;
    status.textContent = ["connecting…", "connected", "closing…", "disconnected"][state];
    if (state === WebSocketPeer.STATE_CLOSED) print(`Disconnected (code ${socket.getCloseCode()}).`);
  }
  while (socket.getAvailablePacketCount() > 0) print(new TextDecoder().decode(socket.getPacket()));
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);
