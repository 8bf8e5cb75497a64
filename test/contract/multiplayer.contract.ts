import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ERR_ALREADY_IN_USE,
  MultiplayerPeer,
  type MultiplayerPeerApi,
  OK,
  SceneMultiplayer,
  WebSocketClient,
  WebSocketMultiplayerPeer,
  WebSocketServer,
} from "../../src/index.js";
import type { ContractWorld, Pollable } from "./world.js";

const { CONNECTION_CONNECTED, CONNECTION_DISCONNECTED } = MultiplayerPeer;
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (value: string) => new TextEncoder().encode(value);

/** How one Godot version's server and clients are made. */
interface Mode {
  readonly name: string;
  /** Starts a server; resolves with its peer and port. */
  server(world: ContractWorld): { peer: MultiplayerPeerApi; port: () => number };
  /** Starts a client connecting to `url`. */
  client(world: ContractWorld, url: string): MultiplayerPeerApi;
}

const godot3: Mode = {
  name: "Godot 3 (WebSocketServer/WebSocketClient with gdMpApi)",
  server(world) {
    const server = new WebSocketServer(world.options);
    expect(server.listen(0, { gdMpApi: true })).toBe(OK);
    return { peer: server, port: () => server.getLocalPort() };
  },
  client(world, url) {
    const client = new WebSocketClient(world.options);
    expect(client.connectToUrl(url, [], true)).toBe(OK);
    return client;
  },
};

const godot4: Mode = {
  name: "Godot 4 (WebSocketMultiplayerPeer)",
  server(world) {
    const server = new WebSocketMultiplayerPeer(world.options);
    expect(server.createServer(0)).toBe(OK);
    return { peer: server, port: () => server.getLocalPort() };
  },
  client(world, url) {
    const client = new WebSocketMultiplayerPeer(world.options);
    expect(client.createClient(url)).toBe(OK);
    return client;
  },
};

/** A SceneMultiplayer with everything it emits recorded as strings. */
function recorded(peer: MultiplayerPeerApi): { multiplayer: SceneMultiplayer; events: string[] } {
  const multiplayer = new SceneMultiplayer(peer);
  const events: string[] = [];
  multiplayer.peerConnected.connect((id) => events.push(`connected ${id}`));
  multiplayer.peerDisconnected.connect((id) => events.push(`disconnected ${id}`));
  multiplayer.connectedToServer.connect(() => events.push("connected_to_server"));
  multiplayer.connectionFailed.connect(() => events.push("connection_failed"));
  multiplayer.serverDisconnected.connect(() => events.push("server_disconnected"));
  multiplayer.peerPacket.connect((id, packet) => events.push(`packet ${id} ${text(packet)}`));
  return { multiplayer, events };
}

/** Gdnet multiplayer servers and clients talking to each other, in both Godot versions' protocols. */
export function defineMultiplayerContract(makeWorld: () => ContractWorld): void {
  for (const mode of [godot3, godot4]) {
    describe(`Multiplayer, ${mode.name}`, () => {
      let world: ContractWorld;
      let server: ReturnType<Mode["server"]>;
      let host: ReturnType<typeof recorded>;
      let everyone: Pollable[];

      beforeEach(() => {
        world = makeWorld();
        server = mode.server(world);
        host = recorded(server.peer);
        everyone = [host.multiplayer];
      });

      afterEach(async () => {
        server.peer.close();
        await world.dispose();
      });

      async function join(): Promise<ReturnType<typeof recorded> & { id: number; peer: MultiplayerPeerApi }> {
        const peer = mode.client(world, `ws://${world.host}:${server.port()}/`);
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

      it("clients get ids ≥ 2 and learn about each other and the server", async () => {
        const a = await join();
        const b = await join();
        await world.until(everyone, () => a.multiplayer.getPeers().includes(b.id));
        expect(a.id).toBeGreaterThanOrEqual(2);
        expect(b.id).not.toBe(a.id);
        expect(host.multiplayer.isServer()).toBe(true);
        expect(host.multiplayer.getPeers().sort()).toEqual([a.id, b.id].sort());
        expect(a.multiplayer.getPeers()).toEqual([1, b.id]);
        expect(b.multiplayer.getPeers().sort()).toEqual([1, a.id].sort());
        expect(a.events).toEqual(
          expect.arrayContaining(["connected_to_server", "connected 1", `connected ${b.id}`]),
        );
        expect(a.peer.getConnectionStatus()).toBe(CONNECTION_CONNECTED);
        expect(host.events).toEqual([`connected ${a.id}`, `connected ${b.id}`]);
      });

      it("sendBytes reaches one peer, everyone, or everyone but one, through the server, with the right sender", async () => {
        const [a, b, c] = [await join(), await join(), await join()];
        await world.until(
          everyone,
          () => a.multiplayer.getPeers().length === 3 && c.multiplayer.getPeers().length === 3,
        );
        for (const player of [host, a, b, c]) player.events.length = 0;
        expect(a.multiplayer.sendBytes(bytes("to b"), b.id)).toBe(OK);
        expect(a.multiplayer.sendBytes(bytes("to all"))).toBe(OK);
        expect(a.multiplayer.sendBytes(bytes("all but c"), -c.id)).toBe(OK);
        expect(a.multiplayer.sendBytes(bytes("all but server"), -1)).toBe(OK);
        expect(a.multiplayer.sendBytes(bytes("to server"), 1)).toBe(OK);
        await world.until(
          everyone,
          () => host.events.length === 3 && b.events.length === 4 && c.events.length === 2,
        );
        expect(host.multiplayer.sendBytes(bytes("from server"), -b.id)).toBe(OK);
        await world.until(everyone, () => a.events.length === 1 && c.events.length === 3);
        await world.frame(everyone);
        expect(b.events).toEqual([
          `packet ${a.id} to b`,
          `packet ${a.id} to all`,
          `packet ${a.id} all but c`,
          `packet ${a.id} all but server`,
        ]);
        expect(c.events).toEqual([
          `packet ${a.id} to all`,
          `packet ${a.id} all but server`,
          "packet 1 from server",
        ]);
        expect(host.events).toEqual([
          `packet ${a.id} to all`,
          `packet ${a.id} all but c`,
          `packet ${a.id} to server`,
        ]);
        expect(a.events).toEqual(["packet 1 from server"]);
      });

      it("a client that leaves is announced to the rest; disconnectPeer kicks one, who sees server_disconnected", async () => {
        const [a, b, c] = [await join(), await join(), await join()];
        await world.until(everyone, () => a.multiplayer.getPeers().length === 3);
        for (const player of [host, a, b, c]) player.events.length = 0;
        c.peer.disconnectPeer(1);
        // Wait for every event checked below, c's own included: on sockets c learns that
        // its connection ended only when the closing handshake is done, which may come
        // after the others have heard of it.
        await world.until(
          everyone,
          () =>
            a.events.length > 0 &&
            b.events.length > 0 &&
            host.events.length > 0 &&
            c.events.includes("server_disconnected"),
        );
        expect([a.events, b.events, host.events]).toEqual([
          [`disconnected ${c.id}`],
          [`disconnected ${c.id}`],
          [`disconnected ${c.id}`],
        ]);
        expect(c.events.at(-1)).toBe("server_disconnected");
        for (const player of [host, a, b]) player.events.length = 0;
        expect(host.multiplayer.disconnectPeer(a.id)).toBe(OK);
        await world.until(
          everyone,
          () => a.events.includes("server_disconnected") && b.events.length > 0 && host.events.length > 0,
        );
        expect(a.events.filter((e) => !e.startsWith("disconnected 1"))).toEqual(["server_disconnected"]);
        expect(a.peer.getConnectionStatus()).toBe(CONNECTION_DISCONNECTED);
        expect(b.events).toEqual([`disconnected ${a.id}`]);
        expect(host.events).toEqual([`disconnected ${a.id}`]);
        expect(host.multiplayer.getPeers()).toEqual([b.id]);
        expect(b.multiplayer.getPeers()).toEqual([1]);
      });

      it("refuseNewConnections turns new clients away (connection_failed) while the others keep playing", async () => {
        const a = await join();
        host.multiplayer.refuseNewConnections = true;
        expect(server.peer.refuseNewConnections).toBe(true);
        const late = recorded(mode.client(world, `ws://${world.host}:${server.port()}/`));
        everyone.push(late.multiplayer);
        await world.until(everyone, () => late.events.length > 0);
        expect(late.events).toEqual(["connection_failed"]);
        expect(a.multiplayer.sendBytes(bytes("still here"), 1)).toBe(OK);
        await world.until(everyone, () => host.events.includes(`packet ${a.id} still here`));
        expect(host.multiplayer.getPeers()).toEqual([a.id]);
      });

      it("a client whose server is not there reports connection_failed", async () => {
        const lost = recorded(mode.client(world, `ws://${world.host}:${await world.closedPort()}/`));
        await world.until([lost.multiplayer], () => lost.events.length > 0);
        expect(lost.events).toEqual(["connection_failed"]);
        expect(lost.multiplayer.getUniqueId()).toBe(0);
      });

      it("the server closing: every client sees server_disconnected, and close() leaves the server reusable", async () => {
        const a = await join();
        server.peer.close();
        expect(server.peer.getConnectionStatus()).toBe(CONNECTION_DISCONNECTED);
        await world.until(everyone, () => a.events.includes("server_disconnected"));
        if (server.peer instanceof WebSocketMultiplayerPeer) {
          expect(server.peer.createServer(0)).toBe(OK);
          expect(server.peer.createServer(0)).toBe(ERR_ALREADY_IN_USE);
        } else {
          expect((server.peer as WebSocketServer).listen(0, { gdMpApi: true })).toBe(OK);
        }
        const b = await join();
        expect(host.multiplayer.getPeers()).toEqual([b.id]);
      });
    });
  }

  describe("Multiplayer, Godot 4 handshake timeout", () => {
    it("a plain WebSocket server that never sends an id: the client gives up after handshakeTimeout", async () => {
      const world = makeWorld();
      const plain = new WebSocketServer(world.options);
      expect(plain.listen(0)).toBe(OK);
      const client = new WebSocketMultiplayerPeer(world.options);
      client.handshakeTimeout = 2;
      const player = recorded(client);
      expect(client.createClient(`ws://${world.host}:${plain.getLocalPort()}/`)).toBe(OK);
      await world.until([player.multiplayer, plain], () => plain.getPeerCount() === 1);
      await world.frame([player.multiplayer, plain]);
      expect(client.getConnectionStatus()).toBe(MultiplayerPeer.CONNECTION_CONNECTING);
      world.advanceClock(2500);
      await world.frame([player.multiplayer, plain]);
      expect(player.events).toEqual(["connection_failed"]);
      plain.stop();
      await world.dispose();
    });
  });
}
