import { describe, expect, it } from "vitest";
import {
  MemoryClusterStore,
  MemoryNetwork,
  OK,
  SceneMultiplayer,
  WebSocketMultiplayerPeer,
  WebSocketPeer,
} from "../../src/index.js";
import { encodeSys, SYS_ADD_PEER, SYS_DEL_PEER } from "../../src/multiplayer/godot4-protocol.js";

/*
 * SceneMultiplayer's relay over a cluster on a MemoryNetwork, read on the wire by raw
 * clients: each client is told of each peer of the cluster exactly once (ADD_PEER), by
 * its own server, and of each departure once (DEL_PEER).
 */

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);

describe("the Godot 4 relay over a cluster", () => {
  it("tells each client of each cluster peer once, joins and leaves alike", () => {
    const network = new MemoryNetwork({ seed: 11, latency: 1 });
    const store = new MemoryClusterStore(network);
    const scenes = ["10.0.0.1", "10.0.0.2"].map((address) => {
      const peer = new WebSocketMultiplayerPeer({ network: network.host(address) });
      expect(peer.createServer(9080, "*", null, { cluster: { store, name: "game" } })).toBe(OK);
      return new SceneMultiplayer(peer);
    });
    const clients: WebSocketPeer[] = [];
    const frames = (count: number) => network.step(10, [...scenes, ...clients], count);
    const packets = new Map<WebSocketPeer, Uint8Array[]>();
    const read = () => {
      for (const client of clients) {
        const list = packets.get(client) ?? [];
        while (client.getAvailablePacketCount() > 0) list.push(client.getPacket());
        packets.set(client, list);
      }
    };
    const connect = (server: number) => {
      const client = new WebSocketPeer({ network: network.host(`10.0.1.${clients.length + 1}`) });
      expect(client.connectToUrl(`ws://10.0.0.${server + 1}:9080`)).toBe(OK);
      clients.push(client);
      frames(5);
      read();
      // The first message is the client's id, 4 bytes little-endian.
      const first = packets.get(client)![0]!;
      return new DataView(first.buffer, first.byteOffset).getUint32(0, true);
    };
    frames(10);
    const ids = [connect(0), connect(0), connect(1), connect(1)];
    frames(10);
    read();
    const count = (client: WebSocketPeer, message: Uint8Array) =>
      packets.get(client)!.filter((packet) => same(packet, message)).length;
    clients.forEach((client, index) => {
      for (const id of ids) {
        expect(count(client, encodeSys(SYS_ADD_PEER, id)), `client ${index} told of ${id}`).toBe(
          id === ids[index] ? 0 : 1,
        );
      }
    });
    // Client 2 (on the second server) leaves: everyone else is told once.
    clients[2]!.close(1000);
    frames(10);
    read();
    for (const index of [0, 1, 3]) expect(count(clients[index]!, encodeSys(SYS_DEL_PEER, ids[2]!))).toBe(1);
  });
});
