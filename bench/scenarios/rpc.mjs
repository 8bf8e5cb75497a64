// rpc_100: 100 Godot 4 multiplayer clients (WebSocketMultiplayerPeer + SceneMultiplayer)
// each keeping 16 calls in flight to a gdnet SceneMultiplayer server, which answers each
// one. Round trips per second, counted over a measurement window after a warm-up.
//
// gdnet (the RPC variant): the client calls `rpc(1, "/root/Game", "move", [seq, Vector2, "…"])` and the
// server answers `rpc(sender, "/root/Game", "ack", [seq])`, both encoded and decoded by
// the RPC layer (path cache, compressed ints, Variants, permission checks).
// anchor (the raw variant): the same traffic as `sendBytes`, with payloads of the same sizes made once, so
// the ratio gdnet/anchor (RPC/raw) is what the RPC layer costs next to the socket.
import { gdnet, main, measurementWindow, ready, result, throughputSummary, tick } from "./common.mjs";

const IN_FLIGHT = 16;
const PATH = "/root/Game";

export const scenario = {
  name: "rpc_100",
  file: new URL(import.meta.url),
  params: {
    smoke: { connections: 5, seconds: 0.2, warmup: 0.1 },
    quick: { connections: 100, seconds: 0.8, warmup: 0.4 },
    full: { connections: 100, seconds: 1.5, warmup: 0.5 },
  },
  rounds: { smoke: 1, quick: 2, full: 9 },
  summarize: throughputSummary("round trips/s"),
};

/** The scene both sides declare: the game's `move` (any peer) and `ack` (the server's). */
function declare(multiplayer, SceneMultiplayer) {
  multiplayer.rpcConfig(PATH, "move", { rpcMode: SceneMultiplayer.RPC_MODE_ANY_PEER });
  multiplayer.rpcConfig(PATH, "ack", { rpcMode: SceneMultiplayer.RPC_MODE_AUTHORITY });
}

async function startServer(variant) {
  const { SceneMultiplayer, WebSocketMultiplayerPeer } = await gdnet();
  const peer = new WebSocketMultiplayerPeer();
  peer.maxQueuedPackets = 1 << 16;
  peer.inboundBufferSize = 1 << 22;
  peer.outboundBufferSize = 1 << 22;
  peer.createServer(0, "127.0.0.1");
  const multiplayer = new SceneMultiplayer(peer);
  declare(multiplayer, SceneMultiplayer);
  if (variant === "rpc") {
    multiplayer.rpcReceived.connect((sender, _path, _method, args) =>
      multiplayer.rpc(sender, PATH, "ack", [args[0]]),
    );
  } else {
    const ack = new Uint8Array(8).fill(2);
    multiplayer.peerPacket.connect((sender) => multiplayer.sendBytes(ack, sender));
  }
  while (peer.getLocalPort() === 0) {
    multiplayer.poll();
    await tick();
  }
  ready(peer.getLocalPort());
  for (;;) {
    multiplayer.poll();
    await tick();
  }
}

async function runClients(variant, params) {
  const { SceneMultiplayer, Vector2, WebSocketMultiplayerPeer } = await gdnet();
  const clients = [];
  for (let i = 0; i < params.connections; i++) {
    const peer = new WebSocketMultiplayerPeer();
    peer.createClient(`ws://127.0.0.1:${params.port}/`);
    const multiplayer = new SceneMultiplayer(peer);
    declare(multiplayer, SceneMultiplayer);
    clients.push(multiplayer);
  }
  while (clients.some((multiplayer) => multiplayer.getUniqueId() === 0)) {
    for (const multiplayer of clients) multiplayer.poll();
    await tick();
  }
  const window = measurementWindow(params);
  let seq = 0;
  const move = new Uint8Array(36).fill(1);
  const send =
    variant === "rpc"
      ? (multiplayer) => multiplayer.rpc(1, PATH, "move", [seq++, new Vector2(1.5, -2), "player"])
      : (multiplayer) => multiplayer.sendBytes(move, 1);
  for (const multiplayer of clients) {
    const answered = () => {
      window.record();
      send(multiplayer);
    };
    if (variant === "rpc") multiplayer.rpcReceived.connect(answered);
    else multiplayer.peerPacket.connect(answered);
    for (let i = 0; i < IN_FLIGHT; i++) send(multiplayer);
  }
  while (!window.done) {
    for (const multiplayer of clients) multiplayer.poll();
    await tick();
  }
  result({ rate: window.rate() });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main({
    "server:gdnet": () => startServer("rpc"),
    "server:anchor": () => startServer("raw"),
    "client:gdnet": (params) => runClients("rpc", params),
    "client:anchor": (params) => runClients("raw", params),
  });
}
