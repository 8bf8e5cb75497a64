import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ERR_CONNECTION_ERROR,
  ERR_INVALID_PARAMETER,
  ERR_UNCONFIGURED,
  Float,
  MultiplayerPeer,
  type MultiplayerPeerApi,
  OK,
  SceneMultiplayer,
  Vector2,
  WebSocketClient,
  WebSocketMultiplayerPeer,
  WebSocketServer,
} from "../../src/index.js";
import type { ContractWorld, Pollable } from "./world.js";

const { RPC_MODE_ANY_PEER, RPC_MODE_AUTHORITY } = SceneMultiplayer;
const { TRANSFER_MODE_RELIABLE } = MultiplayerPeer;

/** The scene every peer of these tests declares, as a GDScript with these `@rpc`s would. */
function declareScene(multiplayer: SceneMultiplayer): void {
  const reliable = { transferMode: TRANSFER_MODE_RELIABLE };
  multiplayer.rpcConfig("/root/Game", "hello_server", { ...reliable, rpcMode: RPC_MODE_ANY_PEER });
  multiplayer.rpcConfig("/root/Game", "from_server", { ...reliable, rpcMode: RPC_MODE_AUTHORITY });
  multiplayer.rpcConfig("/root/Game", "secret", {});
  multiplayer.rpcConfig("/root/Game", "chat", { rpcMode: RPC_MODE_ANY_PEER, callLocal: true });
  multiplayer.rpcConfig("/root/Game/Players/*", "move", { ...reliable });
  multiplayer.rpcConfig("/root/Game/Players/*", "ping", { rpcMode: RPC_MODE_ANY_PEER });
}

/** The same scene in a Godot 3 game (`remote`, `remotesync`, `puppet`, `master` functions). */
function declareGodot3Scene(multiplayer: SceneMultiplayer): void {
  const { REMOTE, REMOTESYNC, PUPPET, MASTER } = SceneMultiplayer.Godot3RpcMode;
  multiplayer.rpcConfig("/root/Game", "hello_server", { rpcMode: REMOTE });
  multiplayer.rpcConfig("/root/Game", "from_server", { rpcMode: PUPPET });
  multiplayer.rpcConfig("/root/Game", "to_master", { rpcMode: MASTER });
  multiplayer.rpcConfig("/root/Game", "chat", { rpcMode: REMOTESYNC });
  multiplayer.rpcConfig("/root/Game/Players/*", "move", { rpcMode: PUPPET });
}

/** A SceneMultiplayer whose RPC traffic is recorded as strings. */
function recorded(peer: MultiplayerPeerApi, declare = declareScene) {
  const multiplayer = new SceneMultiplayer(peer);
  declare(multiplayer);
  const calls: string[] = [];
  const refusals: string[] = [];
  const scene: string[] = [];
  multiplayer.rpcReceived.connect((sender, path, method, args) => {
    calls.push(`${sender} ${path} ${method}(${printed(args)}) as ${multiplayer.getRemoteSenderId()}`);
  });
  multiplayer.rpcRefused.connect((sender, path, method, reason) =>
    refusals.push(`${sender} ${path} ${method} ${reason}`),
  );
  multiplayer.scenePacket.connect((sender) => scene.push(`${sender}`));
  return { multiplayer, calls, refusals, scene };
}

/** Arguments as Godot would print them, with their types: the test compares what arrived. */
function printed(args: unknown[]): string {
  return args
    .map((value) => {
      if (value instanceof Map) return `{${[...value].map(([k, v]) => `${k}: ${printed([v])}`).join(", ")}}`;
      if (Array.isArray(value)) return `[${printed(value)}]`;
      if (value instanceof Vector2) return `Vector2(${value.x}, ${value.y})`;
      if (typeof value === "string") return JSON.stringify(value);
      if (typeof value === "number") return `${Number.isInteger(value) ? "int" : "float"} ${value}`;
      return String(value);
    })
    .join(", ");
}

/** Godot 4 RPCs between a gdnet server and gdnet clients. */
export function defineRpcContract(makeWorld: () => ContractWorld): void {
  describe("RPCs, Godot 4 (SceneMultiplayer over WebSocketMultiplayerPeer)", () => {
    let world: ContractWorld;
    let serverPeer: WebSocketMultiplayerPeer;
    let host: ReturnType<typeof recorded>;
    let everyone: Pollable[];

    beforeEach(() => {
      world = makeWorld();
      serverPeer = new WebSocketMultiplayerPeer(world.options);
      expect(serverPeer.createServer(0)).toBe(OK);
      host = recorded(serverPeer);
      everyone = [host.multiplayer];
    });

    afterEach(async () => {
      serverPeer.close();
      await world.dispose();
    });

    async function join() {
      const peer = new WebSocketMultiplayerPeer(world.options);
      expect(peer.createClient(`ws://${world.host}:${serverPeer.getLocalPort()}/`)).toBe(OK);
      const player = recorded(peer);
      everyone.push(player.multiplayer);
      await world.until(
        everyone,
        () =>
          player.multiplayer.getUniqueId() !== 0 &&
          host.multiplayer.getPeers().includes(player.multiplayer.getUniqueId()),
      );
      return { ...player, id: player.multiplayer.getUniqueId(), peer };
    }

    async function threeClients() {
      const [a, b, c] = [await join(), await join(), await join()];
      await world.until(everyone, () => [a, b, c].every((p) => p.multiplayer.getPeers().length === 3));
      return [a, b, c] as const;
    }

    it("the server's authority RPC reaches one client, every client, or all but one, with String, int, float, Vector2, Dictionary and Array", async () => {
      const [a, b, c] = await threeClients();
      const args = [
        "welcome",
        7,
        new Float(2),
        0.5,
        new Vector2(1.5, -2),
        new Map<string, unknown>([["id", a.id]]),
        [1, "two", [3]],
      ];
      expect(host.multiplayer.rpc(a.id, "/root/Game", "from_server", args)).toBe(OK);
      expect(host.multiplayer.rpc(0, "/root/Game", "from_server", ["all"])).toBe(OK);
      expect(host.multiplayer.rpc(-b.id, "/root/Game", "from_server", ["not b"])).toBe(OK);
      await world.until(everyone, () => a.calls.length === 3 && b.calls.length === 1 && c.calls.length === 2);
      await world.frame(everyone);
      expect(a.calls).toEqual([
        `1 /root/Game from_server("welcome", int 7, int 2, float 0.5, Vector2(1.5, -2), {id: int ${a.id}}, [int 1, "two", [int 3]]) as 1`,
        '1 /root/Game from_server("all") as 1',
        '1 /root/Game from_server("not b") as 1',
      ]);
      expect(b.calls).toEqual(['1 /root/Game from_server("all") as 1']);
      expect(c.calls).toEqual([
        '1 /root/Game from_server("all") as 1',
        '1 /root/Game from_server("not b") as 1',
      ]);
      expect([a.refusals, b.refusals, c.refusals, host.calls, host.refusals]).toEqual([[], [], [], [], []]);
      // Once each client confirmed the path, later calls use the cache id and still arrive.
      expect(host.multiplayer.rpc(0, "/root/Game", "from_server", [new Float(-0.25)])).toBe(OK);
      await world.until(everyone, () => c.calls.length === 3);
      expect(c.calls[2]).toBe("1 /root/Game from_server(float -0.25) as 1");
    });

    it("a client's rpc to the server (rpc_id(1, ...)) arrives with its sender and arguments; getRemoteSenderId answers it", async () => {
      const a = await join();
      expect(a.multiplayer.rpc(1, "/root/Game", "hello_server", ["hi", 7, new Vector2(1.5, -2)])).toBe(OK);
      expect(a.multiplayer.rpc(1, "/root/Game", "hello_server", [true, new Uint8Array([1, 2])])).toBe(OK);
      expect(a.multiplayer.rpc(1, "/root/Game", "hello_server", [new Uint8Array([1, 2, 3])])).toBe(OK);
      await world.until(everyone, () => host.calls.length === 3);
      expect(host.calls).toEqual([
        `${a.id} /root/Game hello_server("hi", int 7, Vector2(1.5, -2)) as ${a.id}`,
        `${a.id} /root/Game hello_server(true, 1,2) as ${a.id}`,
        `${a.id} /root/Game hello_server(1,2,3) as ${a.id}`,
      ]);
      expect(host.multiplayer.getRemoteSenderId()).toBe(0);
    });

    it("a client's authority RPC to the server is refused with rpcRefused, and the client keeps playing", async () => {
      const a = await join();
      expect(a.multiplayer.rpc(1, "/root/Game", "secret", [5])).toBe(OK);
      expect(a.multiplayer.rpc(1, "/root/Game", "hello_server", ["after"])).toBe(OK);
      await world.until(everyone, () => host.calls.length === 1);
      expect(host.refusals).toEqual([`${a.id} /root/Game secret not_allowed`]);
      expect(host.calls).toEqual([`${a.id} /root/Game hello_server("after") as ${a.id}`]);
    });

    it("a client's rpc() to everyone reaches the other clients through the relay and the server; callLocal runs at once on the caller", async () => {
      const [a, b, c] = await threeClients();
      expect(b.multiplayer.rpc(0, "/root/Game", "chat", ["broadcast from b"])).toBe(OK);
      expect(b.calls).toEqual([`${b.id} /root/Game chat("broadcast from b") as ${b.id}`]);
      expect(b.multiplayer.rpc(-c.id, "/root/Game", "chat", ["not c"])).toBe(OK);
      await world.until(
        everyone,
        () => a.calls.length === 2 && host.calls.length === 2 && c.calls.length === 1,
      );
      await world.frame(everyone);
      for (const seen of [a.calls, host.calls]) {
        expect(seen).toEqual([
          `${b.id} /root/Game chat("broadcast from b") as ${b.id}`,
          `${b.id} /root/Game chat("not c") as ${b.id}`,
        ]);
      }
      expect(c.calls).toEqual([`${b.id} /root/Game chat("broadcast from b") as ${b.id}`]);
      expect(b.calls).toHaveLength(2);
      // A client calling another client's node directly goes through the relay too.
      expect(a.multiplayer.rpc(c.id, "/root/Game", "chat", ["a to c"])).toBe(OK);
      await world.until(everyone, () => c.calls.length === 2);
      expect(c.calls[1]).toBe(`${a.id} /root/Game chat("a to c") as ${a.id}`);
      expect([a.refusals, b.refusals, c.refusals, host.refusals]).toEqual([[], [], [], []]);
    });

    it("a client that declares a different method list is refused both ways, and nothing crashes", async () => {
      const a = await join();
      const odd = await join();
      odd.multiplayer.rpcConfig("/root/Game", "secret", null);
      odd.multiplayer.rpcConfig("/root/Game", "aaa", { rpcMode: RPC_MODE_ANY_PEER });
      expect(odd.multiplayer.rpc(1, "/root/Game", "aaa", ["wrong method"])).toBe(OK);
      await world.until(everyone, () => host.refusals.length >= 1 && odd.refusals.length >= 1);
      expect(host.refusals).toContain(`${odd.id} /root/Game  checksum_mismatch`);
      expect(odd.refusals).toEqual([`1 /root/Game  checksum_mismatch`]);
      expect(host.multiplayer.rpc(0, "/root/Game", "from_server", ["only a"])).toBe(OK);
      expect(odd.multiplayer.rpc(1, "/root/Game", "hello_server", ["still wrong"])).toBe(OK);
      await world.until(everyone, () => a.calls.length === 1);
      await world.frame(everyone);
      await world.frame(everyone);
      expect(a.calls).toEqual(['1 /root/Game from_server("only a") as 1']);
      expect([odd.calls, host.calls]).toEqual([[], []]);
      expect(host.refusals.every((line) => line.endsWith("checksum_mismatch"))).toBe(true);
      expect(host.multiplayer.getPeers()).toEqual([a.id, odd.id]);
    });

    it("a client-owned player node: its owner's authority RPC arrives, another client's is refused", async () => {
      const [owner, other] = [await join(), await join()];
      const player = `/root/Game/Players/${owner.id}`;
      for (const side of [host, owner, other]) side.multiplayer.setMultiplayerAuthority(player, owner.id);
      expect(host.multiplayer.getMultiplayerAuthority(player)).toBe(owner.id);
      expect(host.multiplayer.getMultiplayerAuthority("/root/Game")).toBe(1);
      expect(owner.multiplayer.rpc(1, player, "move", [new Vector2(3, 4)])).toBe(OK);
      expect(other.multiplayer.rpc(1, player, "move", [new Vector2(9, 9)])).toBe(OK);
      expect(other.multiplayer.rpc(1, player, "ping", [])).toBe(OK);
      await world.until(everyone, () => host.calls.length === 2 && host.refusals.length === 1);
      expect(host.calls).toEqual([
        `${owner.id} ${player} move(Vector2(3, 4)) as ${owner.id}`,
        `${other.id} ${player} ping() as ${other.id}`,
      ]);
      expect(host.refusals).toEqual([`${other.id} ${player} move not_allowed`]);
      // The server, no longer the authority there, is refused by the other client too.
      expect(host.multiplayer.rpc(other.id, player, "move", [new Vector2(0, 0)])).toBe(OK);
      await world.until(everyone, () => other.refusals.length === 1);
      expect(other.refusals).toEqual([`1 ${player} move not_allowed`]);
    });

    it("rpc() answers as Godot: no peer, not connected, undeclared method, yourself without callLocal, unknown peer", async () => {
      const lonely = new SceneMultiplayer();
      declareScene(lonely);
      expect(lonely.rpc(1, "/root/Game", "chat", [])).toBe(ERR_UNCONFIGURED);
      const connecting = new WebSocketMultiplayerPeer(world.options);
      lonely.multiplayerPeer = connecting;
      expect(lonely.rpc(1, "/root/Game", "chat", [])).toBe(ERR_CONNECTION_ERROR);
      expect(host.multiplayer.rpc(0, "/root/Game", "nope", [])).toBe(ERR_INVALID_PARAMETER);
      expect(host.multiplayer.rpc(0, "/root/Elsewhere", "chat", [])).toBe(ERR_INVALID_PARAMETER);
      expect(host.multiplayer.rpc(1, "/root/Game", "from_server", [])).toBe(ERR_INVALID_PARAMETER);
      expect(host.multiplayer.rpc(1, "/root/Game", "chat", ["me"])).toBe(OK);
      expect(host.calls).toEqual(['1 /root/Game chat("me") as 1']);
      expect(host.multiplayer.rpc(424242, "/root/Game", "chat", [])).toBe(OK);
      expect(host.multiplayer.rpc(0, "/root/Game", "chat", [() => 1])).toBe(ERR_INVALID_PARAMETER);
      expect(() => host.multiplayer.rpcConfig("/elsewhere/Game", "chat", {})).toThrow(RangeError);
      expect(() => host.multiplayer.rpc(Number.NaN, "/root/Game", "chat", [])).toThrow(TypeError);
      expect(() => host.multiplayer.rpc(0, "/root/Game", "chat", "me" as unknown as [])).toThrow(TypeError);
    });

    it("packets for paths nobody declared still reach scenePacket; a peer that leaves takes its path cache with it", async () => {
      const a = await join();
      a.multiplayer.rpcConfig("/root/Custom", "x", { rpcMode: RPC_MODE_ANY_PEER });
      expect(a.multiplayer.rpc(1, "/root/Custom", "x", [1])).toBe(OK);
      expect(a.multiplayer.rpc(1, "/root/Game", "hello_server", [1])).toBe(OK);
      await world.until(everyone, () => host.calls.length === 1 && host.scene.length === 2);
      expect(host.scene).toEqual([`${a.id}`, `${a.id}`]);
      expect(host.multiplayer.getPathCacheSize()).toBe(2);
      a.peer.disconnectPeer(1);
      await world.until(everyone, () => host.multiplayer.getPeers().length === 0);
      expect(host.multiplayer.getPathCacheSize()).toBe(0);
    });
  });

  describe("RPCs, Godot 3 (SceneMultiplayer over WebSocketServer/WebSocketClient with gdMpApi)", () => {
    let world: ContractWorld;
    let serverPeer: WebSocketServer;
    let host: ReturnType<typeof recorded>;
    let everyone: Pollable[];

    beforeEach(() => {
      world = makeWorld();
      serverPeer = new WebSocketServer(world.options);
      expect(serverPeer.listen(0, { gdMpApi: true })).toBe(OK);
      host = recorded(serverPeer, declareGodot3Scene);
      everyone = [host.multiplayer];
    });

    afterEach(async () => {
      serverPeer.stop();
      await world.dispose();
    });

    async function join() {
      const peer = new WebSocketClient(world.options);
      expect(peer.connectToUrl(`ws://${world.host}:${serverPeer.getLocalPort()}/`, [], true)).toBe(OK);
      const player = recorded(peer, declareGodot3Scene);
      everyone.push(player.multiplayer);
      await world.until(
        everyone,
        () =>
          player.multiplayer.getUniqueId() !== 0 &&
          host.multiplayer.getPeers().includes(player.multiplayer.getUniqueId()),
      );
      return { ...player, id: player.multiplayer.getUniqueId(), peer };
    }

    it("the server's puppet RPC reaches one client, every client, or all but one; a client's rpc_id(1) to a remote function arrives", async () => {
      const [a, b] = [await join(), await join()];
      await world.until(
        everyone,
        () => a.multiplayer.getPeers().length === 2 && b.multiplayer.getPeers().length === 2,
      );
      const args = [
        "welcome",
        7,
        new Float(2.5),
        new Vector2(1.5, -2),
        new Map<string, unknown>([["id", a.id]]),
        [1, "two"],
      ];
      expect(host.multiplayer.rpc(a.id, "/root/Game", "from_server", args)).toBe(OK);
      for (const round of ["first", "second"]) {
        expect(host.multiplayer.rpc(0, "/root/Game", "from_server", [round])).toBe(OK);
        expect(host.multiplayer.rpc(-a.id, "/root/Game", "from_server", [`${round}, not a`])).toBe(OK);
      }
      expect(a.multiplayer.rpc(1, "/root/Game", "hello_server", ["hi", 7, new Vector2(1.5, -2)])).toBe(OK);
      await world.until(
        everyone,
        () => a.calls.length === 3 && b.calls.length === 4 && host.calls.length === 1,
      );
      await world.frame(everyone);
      expect(a.calls).toEqual([
        `1 /root/Game from_server("welcome", int 7, float 2.5, Vector2(1.5, -2), {id: int ${a.id}}, [int 1, "two"]) as 1`,
        '1 /root/Game from_server("first") as 1',
        '1 /root/Game from_server("second") as 1',
      ]);
      expect(b.calls).toEqual([
        '1 /root/Game from_server("first") as 1',
        '1 /root/Game from_server("first, not a") as 1',
        '1 /root/Game from_server("second") as 1',
        '1 /root/Game from_server("second, not a") as 1',
      ]);
      expect(host.calls).toEqual([
        `${a.id} /root/Game hello_server("hi", int 7, Vector2(1.5, -2)) as ${a.id}`,
      ]);
    });

    it("modes are enforced by the receiver: puppet refused on the master, master refused off it; remotesync reaches everyone and runs on the caller", async () => {
      const [a, b] = [await join(), await join()];
      await world.until(everyone, () => a.multiplayer.getPeers().length === 2);
      expect(a.multiplayer.rpc(1, "/root/Game", "from_server", ["puppet to the master"])).toBe(OK);
      expect(a.multiplayer.rpc(1, "/root/Game", "to_master", ["master"])).toBe(OK);
      expect(a.multiplayer.rpc(b.id, "/root/Game", "to_master", ["b is no master"])).toBe(OK);
      expect(a.multiplayer.rpc(0, "/root/Game", "chat", ["to all"])).toBe(OK);
      expect(a.calls).toEqual([`${a.id} /root/Game chat("to all") as ${a.id}`]);
      await world.until(
        everyone,
        () => host.calls.length === 2 && b.calls.length === 1 && b.refusals.length === 1,
      );
      expect(host.calls).toEqual([
        `${a.id} /root/Game to_master("master") as ${a.id}`,
        `${a.id} /root/Game chat("to all") as ${a.id}`,
      ]);
      expect(host.refusals).toEqual([`${a.id} /root/Game from_server not_allowed`]);
      expect(b.calls).toEqual([`${a.id} /root/Game chat("to all") as ${a.id}`]);
      expect(b.refusals).toEqual([`${a.id} /root/Game to_master not_allowed`]);
      // Now that everyone confirmed the path, the broadcast goes out as one packet (to = 0).
      expect(a.multiplayer.rpc(0, "/root/Game", "chat", ["again"])).toBe(OK);
      await world.until(everyone, () => host.calls.length === 3 && b.calls.length === 2);
      expect([host.calls[2], b.calls[1]]).toEqual([
        `${a.id} /root/Game chat("again") as ${a.id}`,
        `${a.id} /root/Game chat("again") as ${a.id}`,
      ]);
      // The master's own master call runs only here; a remote-only call to yourself is refused.
      expect(host.multiplayer.rpc(0, "/root/Game", "to_master", ["self"])).toBe(OK);
      expect(host.calls.at(-1)).toBe('1 /root/Game to_master("self") as 1');
      expect(host.multiplayer.rpc(1, "/root/Game", "hello_server", [])).toBe(ERR_INVALID_PARAMETER);
    });

    it("a client-owned node: its master's puppet calls arrive, another client's are refused", async () => {
      const [owner, other] = [await join(), await join()];
      const player = `/root/Game/Players/${owner.id}`;
      for (const side of [host, owner, other]) side.multiplayer.setMultiplayerAuthority(player, owner.id);
      expect(owner.multiplayer.rpc(1, player, "move", [new Vector2(1, 2)])).toBe(OK);
      expect(other.multiplayer.rpc(1, player, "move", [new Vector2(9, 9)])).toBe(OK);
      await world.until(everyone, () => host.calls.length === 1 && host.refusals.length === 1);
      expect(host.calls).toEqual([`${owner.id} ${player} move(Vector2(1, 2)) as ${owner.id}`]);
      expect(host.refusals).toEqual([`${other.id} ${player} move not_allowed`]);
    });
  });
}
