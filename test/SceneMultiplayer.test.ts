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

describe("SceneMultiplayer RPC declarations", () => {
  const GAME_SUM = "afc4587f66e8e43eb971fa1200a7fee4";
  const hexOf = (text: string) => toHex(new TextEncoder().encode(text));
  const simplify = (checksum: string, cacheId: number, path: string) =>
    `01${hexOf(checksum)}00${le32(cacheId)}${hexOf(path)}00`;

  /** A Godot 4 server declaring /root/Game as the reference's game does, and one bare client. */
  function serverWithClient(seed: number, port: number) {
    const network = new MemoryNetwork({ seed });
    const peer = new WebSocketMultiplayerPeer({ network });
    peer.createServer(port);
    const multiplayer = new SceneMultiplayer(peer);
    for (const method of ["hello_server", "from_server", "secret", "chat"]) {
      multiplayer.rpcConfig("/root/Game", method, { rpcMode: SceneMultiplayer.RPC_MODE_ANY_PEER });
    }
    const client = new RawClient(network, `ws://127.0.0.1:${port}/`);
    frames(network, [client, multiplayer]);
    client.take();
    const step = () => frames(network, [client, multiplayer]);
    return { multiplayer, client, step, id: multiplayer.getPeers()[0]! };
  }

  it("a path is announced once, spelled out until confirmed, then sent by cache id; a changed declaration is announced again under a new id", () => {
    const { multiplayer, client, step, id } = serverWithClient(61, 7910);
    expect(multiplayer.rpc(id, "/root/Game", "from_server", ["a"])).toBe(OK);
    expect(multiplayer.rpc(id, "Game", "from_server", ["b"])).toBe(OK);
    step();
    const first = "04000000 01000000 61000000".replace(/ /g, "");
    expect(client.take()).toEqual([
      simplify(GAME_SUM, 1, "Game"),
      `20${le32(0x80000013)}0101${first}47616d6500`,
      `20${le32(0x80000013)}0101${first.replace("61000000", "62000000")}47616d6500`,
    ]);
    client.send("020101000000");
    step();
    expect(multiplayer.rpc(id, "/root/Game", "from_server", ["c"])).toBe(OK);
    step();
    expect(client.take()).toEqual(["00010101040000000100000063000000"]);
    // A new method changes the ids and the checksum: the path goes out again, id 2.
    multiplayer.rpcConfig("/root/Game", "aaa", { rpcMode: SceneMultiplayer.RPC_MODE_ANY_PEER });
    expect(multiplayer.rpc(id, "/root/Game", "from_server", ["d"])).toBe(OK);
    step();
    const [announce, call] = client.take();
    expect(announce!.slice(0, 2)).toBe("01");
    expect(announce!.slice(68, 76)).toBe(le32(2));
    expect(announce!.slice(2, 66)).not.toBe(hexOf(GAME_SUM));
    expect(call!.slice(0, 12)).toBe(`20${le32(0x80000013)}02`);
  });

  it("what a peer announced is checked against the current declaration", () => {
    const { multiplayer, client, step } = serverWithClient(62, 7911);
    const calls: string[] = [];
    const refusals: string[] = [];
    multiplayer.rpcReceived.connect((_s, _p, method, args) => calls.push(`${method} ${args}`));
    multiplayer.rpcRefused.connect((_s, _p, _m, reason) => refusals.push(reason));
    client.send(simplify(GAME_SUM, 1, "Game"));
    client.send("00 01 02 01 0205");
    step();
    expect(client.take()).toEqual(["020101000000"]);
    expect(calls).toEqual(["hello_server 5"]);
    multiplayer.rpcConfig("/root/Game", "chat", null);
    client.send("00 01 02 01 0206");
    step();
    expect([calls.length, refusals]).toEqual([1, ["checksum_mismatch"]]);
    multiplayer.rpcConfig("/root/Game", "chat", { rpcMode: SceneMultiplayer.RPC_MODE_ANY_PEER });
    client.send("00 01 02 01 0207");
    step();
    expect(calls).toEqual(["hello_server 5", "hello_server 7"]);
  });

  it("a declaration for <parent>/* covers each direct child; an exact path's own declaration wins; null removes a method", () => {
    const network = new MemoryNetwork({ seed: 63 });
    const peer = new WebSocketMultiplayerPeer({ network });
    peer.createServer(7912);
    const multiplayer = new SceneMultiplayer(peer);
    multiplayer.rpcConfig("/root/Game/Players/*", "move", { callLocal: true });
    multiplayer.rpcConfig("/root/Game/Players/7", "jump", { callLocal: true });
    const calls: string[] = [];
    multiplayer.rpcReceived.connect((sender, path, method) => calls.push(`${sender} ${path} ${method}`));
    expect(multiplayer.rpc(1, "/root/Game/Players/3", "move")).toBe(OK);
    expect(multiplayer.rpc(1, "Game/Players/4", "move")).toBe(OK);
    expect(multiplayer.rpc(1, "/root/Game/Players/3/Gun", "move")).toBe(ERR_INVALID_PARAMETER);
    expect(multiplayer.rpc(1, "/root/Game/Players", "move")).toBe(ERR_INVALID_PARAMETER);
    expect(multiplayer.rpc(1, "/root/Game/Players/7", "move")).toBe(ERR_INVALID_PARAMETER);
    expect(multiplayer.rpc(1, "/root/Game/Players/7", "jump")).toBe(OK);
    multiplayer.rpcConfig("/root/Game/Players/7", "jump", null);
    expect(multiplayer.rpc(1, "/root/Game/Players/7", "move")).toBe(OK);
    expect(calls).toEqual([
      "1 /root/Game/Players/3 move",
      "1 /root/Game/Players/4 move",
      "1 /root/Game/Players/7 jump",
      "1 /root/Game/Players/7 move",
    ]);
  });

  it("a callLocal call made inside rpcReceived answers getRemoteSenderId with this peer, then the outer sender again", () => {
    const { multiplayer, client, step, id } = serverWithClient(64, 7913);
    multiplayer.rpcConfig("/root/Game", "echo", { callLocal: true });
    const seen: string[] = [];
    multiplayer.rpcReceived.connect((sender, _path, method) => {
      seen.push(`${method} from ${sender}, remote ${multiplayer.getRemoteSenderId()}`);
      if (method === "hello_server") {
        expect(multiplayer.rpc(0, "/root/Game", "echo", [])).toBe(OK);
        seen.push(`after echo, remote ${multiplayer.getRemoteSenderId()}`);
      }
    });
    client.send(`20${le32(0x80000007)}0300 47616d6500`);
    step();
    expect(seen).toEqual([
      `hello_server from ${id}, remote ${id}`,
      "echo from 1, remote 1",
      `after echo, remote ${id}`,
    ]);
    expect(multiplayer.getRemoteSenderId()).toBe(0);
  });

  it("a peer that answers the server's announcement with valid = 0 gets nothing more on that path, and its calls there are refused", () => {
    const { multiplayer, client, step, id } = serverWithClient(65, 7914);
    const refusals: string[] = [];
    multiplayer.rpcRefused.connect((sender, path, _m, reason) =>
      refusals.push(`${sender} ${path} ${reason}`),
    );
    const calls: string[] = [];
    multiplayer.rpcReceived.connect((_s, _p, method) => calls.push(method));
    expect(multiplayer.rpc(id, "/root/Game", "from_server", ["a"])).toBe(OK);
    step();
    expect(client.take()).toHaveLength(2);
    client.send("020001000000");
    step();
    expect(refusals).toEqual([`${id} /root/Game checksum_mismatch`]);
    expect(multiplayer.rpc(id, "/root/Game", "from_server", ["b"])).toBe(OK);
    expect(multiplayer.rpc(0, "/root/Game", "from_server", ["c"])).toBe(OK);
    client.send(`20${le32(0x80000007)}0200 47616d6500`);
    step();
    expect(client.take()).toEqual([]);
    expect(calls).toEqual([]);
    expect(refusals).toEqual([`${id} /root/Game checksum_mismatch`, `${id} /root/Game checksum_mismatch`]);
  });
});
