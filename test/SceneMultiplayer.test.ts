import { describe, expect, it } from "vitest";
import {
  ERR_INVALID_DATA,
  ERR_INVALID_PARAMETER,
  ERR_UNCONFIGURED,
  MemoryNetwork,
  OK,
  SceneMultiplayer,
  WebSocketMultiplayerPeer,
  WebSocketServer,
} from "../src/index.js";
import { frames, le32, RawClient } from "./multiplayer/support.js";
import { toHex } from "./support/hex.js";

describe("SceneMultiplayer", () => {
  it("sendBytes and disconnectPeer refuse bad input with Godot's errors", () => {
    const network = new MemoryNetwork({ seed: 51 });
    const multiplayer = new SceneMultiplayer();
    expect(multiplayer.hasMultiplayerPeer()).toBe(false);
    expect(multiplayer.sendBytes(new Uint8Array([1]))).toBe(ERR_UNCONFIGURED);
    expect(multiplayer.disconnectPeer(5)).toBe(ERR_UNCONFIGURED);
    expect([multiplayer.getUniqueId(), multiplayer.isServer(), multiplayer.getPeers()]).toEqual([
      0,
      false,
      [],
    ]);
    const idle = new WebSocketMultiplayerPeer({ network });
    multiplayer.multiplayerPeer = idle;
    expect(multiplayer.sendBytes(new Uint8Array([1]))).toBe(ERR_UNCONFIGURED);
    expect(idle.createServer(7900)).toBe(OK);
    expect(multiplayer.sendBytes(new Uint8Array(0))).toBe(ERR_INVALID_DATA);
    expect(multiplayer.sendBytes(new Uint8Array([1]), 424242)).toBe(ERR_INVALID_PARAMETER);
    expect(multiplayer.sendBytes(new Uint8Array([1]))).toBe(OK);
    expect(() => multiplayer.sendBytes("x" as unknown as Uint8Array)).toThrow(TypeError);
    expect(multiplayer.disconnectPeer(424242)).toBe(ERR_INVALID_PARAMETER);
    expect(multiplayer.isServer()).toBe(true);
    multiplayer.refuseNewConnections = true;
    expect(idle.refuseNewConnections).toBe(true);
  });

  it("getRemoteSenderId is the sender while peerPacket is emitted, 0 outside", () => {
    const network = new MemoryNetwork({ seed: 52 });
    const server = new WebSocketMultiplayerPeer({ network });
    server.createServer(7901);
    const multiplayer = new SceneMultiplayer(server);
    const senders: number[] = [];
    multiplayer.peerPacket.connect((id) => senders.push(id, multiplayer.getRemoteSenderId()));
    const client = new RawClient(network, "ws://127.0.0.1:7901/");
    frames(network, [client, multiplayer]);
    client.send("03aa");
    frames(network, [client, multiplayer]);
    const id = multiplayer.getPeers()[0]!;
    expect(senders).toEqual([id, id]);
    expect(multiplayer.getRemoteSenderId()).toBe(0);
  });

  it("a new multiplayerPeer replaces the old one: its signals and packets no longer count", () => {
    const network = new MemoryNetwork({ seed: 53 });
    const first = new WebSocketMultiplayerPeer({ network });
    first.createServer(7902);
    const multiplayer = new SceneMultiplayer(first);
    const joined: number[] = [];
    multiplayer.peerConnected.connect((id) => joined.push(id));
    const early = new RawClient(network, "ws://127.0.0.1:7902/");
    frames(network, [early, multiplayer]);
    expect(joined).toHaveLength(1);
    const second = new WebSocketMultiplayerPeer({ network });
    second.createServer(7903);
    multiplayer.multiplayerPeer = second;
    expect(multiplayer.getPeers()).toEqual([]);
    const late = new RawClient(network, "ws://127.0.0.1:7902/");
    frames(network, [late, first, multiplayer]);
    expect(joined).toHaveLength(1);
    expect(first.peerConnected.getConnectionCount()).toBe(0);
  });

  it("Godot 3: a SIMPLIFY_PATH is answered with CONFIRM_PATH as a Godot peer answers, unless confirmPaths is off", () => {
    const network = new MemoryNetwork({ seed: 54 });
    const server = new WebSocketServer({ network });
    server.listen(7904, { gdMpApi: true });
    const multiplayer = new SceneMultiplayer(server);
    const scene: string[] = [];
    multiplayer.scenePacket.connect((id, packet) => scene.push(`${id} ${toHex(packet)}`));
    const client = new RawClient(network, "ws://127.0.0.1:7904/");
    frames(network, [client, multiplayer]);
    const id = multiplayer.getPeers()[0]!;
    client.take();
    // reference/godot3-multiplayer.md: path_id 1 for "Game", and the answer `03 47616d6500`.
    client.send(`00${le32(id)}01000000 02 01000000 47616d6500`);
    client.send(`00${le32(id)}01000000 02 02000000`);
    frames(network, [client, multiplayer]);
    expect(client.take()).toEqual([`0001000000${le32(id)}0347616d6500`]);
    expect(scene).toEqual([`${id} 020100000047616d6500`, `${id} 0202000000`]);
    multiplayer.confirmPaths = false;
    client.send(`00${le32(id)}01000000 02 03000000 4f7468657200`);
    frames(network, [client, multiplayer]);
    expect(client.take()).toEqual([]);
    expect(scene).toHaveLength(3);
  });
});
