import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type ClusterOptions,
  ERR_INVALID_PARAMETER,
  OK,
  WebSocketPeer,
  WebSocketServer,
} from "../../src/index.js";
import type { ContractWorld, Pollable } from "../contract/world.js";

/*
 * Cluster behaviours that hold the same on real sockets with Redis and on a
 * MemoryNetwork with a MemoryClusterStore (issue 16, "What it must show" 6). A world
 * brings the network and a fresh cluster option for each test.
 */

/** A world, and the `cluster` option of a new cluster on its store. */
export interface ClusterWorld {
  world: ContractWorld;
  cluster(): ClusterOptions;
  dispose(): Promise<void>;
}

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

export function defineClusterContract(name: string, makeWorld: () => Promise<ClusterWorld>): void {
  describe(`cluster contract (${name})`, () => {
    let setup: ClusterWorld;
    let world: ContractWorld;
    let servers: WebSocketServer[];
    let clients: WebSocketPeer[];
    const pollables = (): Pollable[] => [...servers, ...clients];
    const until = (done: () => boolean) => world.until(pollables(), done, 15_000);
    const received = new Map<WebSocketPeer, string[]>();
    const read = () => {
      for (const client of clients) {
        const list = received.get(client) ?? [];
        while (client.getAvailablePacketCount() > 0) list.push(decode(client.getPacket()));
        received.set(client, list);
      }
    };

    beforeEach(async () => {
      setup = await makeWorld();
      world = setup.world;
      const cluster = setup.cluster();
      servers = [new WebSocketServer(world.options), new WebSocketServer(world.options)];
      for (const server of servers) expect(server.listen(0, { bindAddress: "127.0.0.1", cluster })).toBe(OK);
      clients = [];
      received.clear();
      await until(() => servers.every((server) => server.getLocalPort() !== 0));
    });

    afterEach(async () => {
      for (const client of clients) client.close(-1);
      for (const server of servers) server.stop();
      await setup.dispose();
    });

    /** Connects a client to server `index`; a server answers 503 until its first ids are leased, so it retries. */
    async function connect(index: number): Promise<WebSocketPeer> {
      for (;;) {
        const client = new WebSocketPeer(world.options);
        expect(client.connectToUrl(`ws://${world.host}:${servers[index]!.getLocalPort()}`)).toBe(OK);
        clients.push(client);
        await until(() => client.getReadyState() !== WebSocketPeer.STATE_CONNECTING);
        if (client.getReadyState() === WebSocketPeer.STATE_OPEN) return client;
        clients.pop();
        await world.frame(servers);
      }
    }

    async function listedEverywhere(count: number): Promise<number[]> {
      await until(() => servers.every((server) => server.getPeerCount() === count));
      const ids = servers[0]!.getPeerIds().sort((a, b) => a - b);
      for (const server of servers) expect(server.getPeerIds().sort((a, b) => a - b)).toEqual(ids);
      return ids;
    }

    it("every server lists every peer once, with distinct ids, and emits one peerConnected each", async () => {
      const connected = servers.map(() => [] as number[]);
      servers.forEach((server, index) => {
        server.peerConnected.connect((id) => connected[index]!.push(id));
      });
      await connect(0);
      await connect(0);
      await connect(1);
      const ids = await listedEverywhere(3);
      expect(new Set(ids).size).toBe(3);
      for (const list of connected) expect([...list].sort((a, b) => a - b)).toEqual(ids);
      for (const id of ids) expect(servers.every((server) => server.hasPeer(id))).toBe(true);
    });

    it("a broadcast reaches every client of the cluster once, and exceptId applies cluster-wide", async () => {
      await connect(0);
      await connect(1);
      const [first, second] = await listedEverywhere(2).then(() => [
        servers[0]!.getPeerIds()[0]!,
        servers[1]!.getPeerIds()[0]!,
      ]);
      expect(servers[0]!.broadcastText("all")).toBe(OK);
      expect(servers[0]!.broadcastText("not b", second)).toBe(OK);
      expect(servers[1]!.broadcastText("not a", first)).toBe(OK);
      await until(() => {
        read();
        return [...received.values()].every((list) => list.length >= 2);
      });
      // One more round behind the first: a duplicate would have come before it.
      expect(servers[1]!.broadcastText("end")).toBe(OK);
      await until(() => {
        read();
        return [...received.values()].every((list) => list.includes("end"));
      });
      // Broadcasts of different servers may interleave either way; each arrives once.
      const [a, b] = [received.get(clients[0]!)!, received.get(clients[1]!)!];
      expect([[...a.slice(0, 2)].sort(), a[2]]).toEqual([["all", "not b"], "end"]);
      expect([[...b.slice(0, 2)].sort(), b[2]]).toEqual([["all", "not a"], "end"]);
      expect([a.length, b.length]).toEqual([3, 3]);
    });

    it("getPeer(remote) forwards sends in call order, mixed with broadcasts, and a kick with its code", async () => {
      const held = await connect(1);
      await listedEverywhere(1);
      const id = servers[1]!.getPeerIds()[0]!;
      const remote = servers[0]!.getPeer(id)!;
      expect(remote.getReadyState()).toBe(WebSocketPeer.STATE_OPEN);
      expect(remote.getAvailablePacketCount()).toBe(0);
      for (let i = 0; i < 50; i++) {
        expect(remote.sendText(`n${i}`)).toBe(OK);
        if (i % 10 === 9) expect(servers[0]!.broadcastText(`b${i}`)).toBe(OK);
      }
      const expected: string[] = [];
      for (let i = 0; i < 50; i++) {
        expected.push(`n${i}`);
        if (i % 10 === 9) expected.push(`b${i}`);
      }
      await until(() => {
        read();
        return received.get(held)!.length >= expected.length;
      });
      expect(received.get(held)).toEqual(expected);
      expect(remote.close(999)).toBe(ERR_INVALID_PARAMETER);
      expect(remote.close(4000, "kicked")).toBe(OK);
      await until(() => held.getReadyState() === WebSocketPeer.STATE_CLOSED);
      expect([held.getCloseCode(), held.getCloseReason()]).toEqual([4000, "kicked"]);
      await until(() => !servers[0]!.hasPeer(id));
      expect(remote.getReadyState()).toBe(WebSocketPeer.STATE_CLOSED);
    });

    it("dropping a remote peer's WebSocketPeer does not kick the player", async () => {
      const held = await connect(1);
      await listedEverywhere(1);
      const id = servers[1]!.getPeerIds()[0]!;
      expect(servers[0]!.getPeer(id)!.close(-1)).toBe(OK);
      for (let i = 0; i < 20; i++) await world.frame(pollables());
      expect(held.getReadyState()).toBe(WebSocketPeer.STATE_OPEN);
      expect(servers[0]!.hasPeer(id) && servers[1]!.hasPeer(id)).toBe(true);
    });

    it("a server that stops takes its peers out of the other servers", async () => {
      await connect(0);
      await connect(1);
      await listedEverywhere(2);
      const leaving = servers[0]!.getPeerIds()[0]!;
      const left: number[] = [];
      servers[1]!.peerDisconnected.connect((id) => left.push(id));
      servers[0]!.stop();
      await until(() => !servers[1]!.hasPeer(leaving));
      expect(left).toEqual([leaving]);
      expect(servers[1]!.getPeerCount()).toBe(1);
    });
  });
}
