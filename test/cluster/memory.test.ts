import { describe, expect, it } from "vitest";
import {
  ERR_INVALID_PARAMETER,
  MemoryClusterStore,
  MemoryNetwork,
  OK,
  WebSocketPeer,
  WebSocketServer,
} from "../../src/index.js";

/*
 * Clustered servers on a MemoryNetwork with an in-memory store (issue 16, "What it must
 * show" 6): the cluster behaviours that make sense in memory, on the virtual clock, and
 * a determinism check with a cluster in it.
 */

const text = (peer: WebSocketPeer): string[] => {
  const out: string[] = [];
  while (peer.getAvailablePacketCount() > 0) out.push(new TextDecoder().decode(peer.getPacket()));
  return out;
};

/** Two clustered servers on hosts .1 and .2, and a client factory; everything polled per frame. */
function cluster(seed = 3, options: Record<string, number> = {}) {
  const network = new MemoryNetwork({ seed, latency: 1 });
  const store = new MemoryClusterStore(network);
  const log: string[] = [];
  const servers = ["10.0.0.1", "10.0.0.2"].map((address, index) => {
    const server = new WebSocketServer({ network: network.host(address) });
    const name = String.fromCharCode(65 + index);
    server.clientConnected.connect((id) => log.push(`${name} clientConnected ${id}`));
    server.peerConnected.connect((id) => log.push(`${name} peerConnected ${id}`));
    server.peerDisconnected.connect((id) => log.push(`${name} peerDisconnected ${id}`));
    expect(server.listen(9080, { cluster: { store, name: "lobby", ...options } })).toBe(OK);
    return server;
  });
  const clients: WebSocketPeer[] = [];
  let polled: { poll(): unknown }[] = [...servers];
  const frames = (count: number, only?: { poll(): unknown }[]) =>
    network.step(10, only ?? [...polled, ...clients], count);
  const connect = (serverIndex: number): WebSocketPeer => {
    const client = new WebSocketPeer({ network: network.host(`10.0.1.${clients.length + 1}`) });
    expect(client.connectToUrl(`ws://10.0.0.${serverIndex + 1}:9080`)).toBe(OK);
    clients.push(client);
    frames(5);
    expect(client.getReadyState()).toBe(WebSocketPeer.STATE_OPEN);
    return client;
  };
  /** The id servers give the client at `address` (every server lists every peer). */
  const idOf = (address: string) =>
    servers[0]!.getPeerIds().find((id) => servers[0]!.getPeerAddress(id) === address) ?? 0;
  return {
    network,
    store,
    servers,
    clients,
    log,
    frames,
    connect,
    idOf,
    setPolled: (objects: { poll(): unknown }[]) => {
      polled = objects;
    },
  };
}

/** The ids a server lists, sorted. */
const listed = (server: WebSocketServer) => server.getPeerIds().sort((a, b) => a - b);

describe("a cluster on a MemoryNetwork", () => {
  it("every server lists every peer of the cluster, with distinct ids and one peerConnected each", () => {
    const { servers, connect, frames, log } = cluster();
    frames(10);
    connect(0);
    connect(0);
    connect(1);
    frames(10);
    const [a, b] = servers as [WebSocketServer, WebSocketServer];
    expect(a.getPeerCount()).toBe(3);
    expect(listed(a)).toEqual(listed(b));
    expect(new Set(listed(a)).size).toBe(3);
    for (const id of listed(a)) {
      expect(a.hasPeer(id) && b.hasPeer(id)).toBe(true);
      expect(log.filter((line) => line === `A peerConnected ${id}`)).toHaveLength(1);
      expect(log.filter((line) => line === `B peerConnected ${id}`)).toHaveLength(1);
    }
    // Local peers: peerConnected right after clientConnected.
    const local = log.indexOf(log.find((line) => line.startsWith("A clientConnected"))!);
    expect(log[local + 1]).toBe(log[local]!.replace("clientConnected", "peerConnected"));
  });

  it("a broadcast reaches every client once; exceptId applies cluster-wide", () => {
    const { servers, connect, frames, clients, idOf } = cluster();
    frames(10);
    connect(0);
    connect(0);
    connect(1);
    frames(5);
    const [a, b] = servers as [WebSocketServer, WebSocketServer];
    const b1Id = idOf("10.0.1.3");
    expect(b.getPeer(b1Id)!.getConnectedHost()).toBe("10.0.1.3");
    expect(a.broadcastText("hello")).toBe(OK);
    expect(b.broadcastText("skip b1", b1Id)).toBe(OK);
    frames(5);
    expect(clients.map(text)).toEqual([["hello", "skip b1"], ["hello", "skip b1"], ["hello"]]);
  });

  it("getPeer(remote) forwards sends in order and a kick with its code and reason", () => {
    const { servers, connect, frames } = cluster();
    frames(10);
    const b1 = connect(1);
    frames(5);
    const [a, b] = servers as [WebSocketServer, WebSocketServer];
    const id = b.getPeerIds()[0]!;
    const remote = a.getPeer(id)!;
    expect(remote.getReadyState()).toBe(WebSocketPeer.STATE_OPEN);
    expect(remote.getConnectedHost()).toBe("10.0.1.1");
    expect(remote.getAvailablePacketCount()).toBe(0);
    for (let i = 0; i < 1000; i++) expect(remote.sendText(`n${i}`)).toBe(OK);
    expect(a.broadcastText("last")).toBe(OK);
    frames(20);
    expect(text(b1)).toEqual([...Array.from({ length: 1000 }, (_, i) => `n${i}`), "last"]);
    expect(remote.close(4000, "kicked")).toBe(OK);
    expect(remote.close(999)).toBe(ERR_INVALID_PARAMETER);
    frames(10);
    expect(b1.getReadyState()).toBe(WebSocketPeer.STATE_CLOSED);
    expect(b1.getCloseCode()).toBe(4000);
    expect(b1.getCloseReason()).toBe("kicked");
    expect(a.hasPeer(id)).toBe(false);
    expect(remote.getReadyState()).toBe(WebSocketPeer.STATE_CLOSED);
  });

  it("dropping a remote peer's WebSocketPeer does not kick the player", () => {
    const { servers, connect, frames } = cluster();
    frames(10);
    const b1 = connect(1);
    frames(5);
    const [a, b] = servers as [WebSocketServer, WebSocketServer];
    const id = b.getPeerIds()[0]!;
    a.getPeer(id)!.close(-1);
    frames(10);
    expect(b1.getReadyState()).toBe(WebSocketPeer.STATE_OPEN);
    expect(b.hasPeer(id) && a.hasPeer(id)).toBe(true);
  });

  it("a server that stops polling is dropped after deadTimeout on the virtual clock, and stop() leaves at once", () => {
    const { servers, connect, frames, log, idOf } = cluster(3, { deadTimeout: 2 });
    frames(10);
    const a1 = connect(0);
    connect(1);
    frames(5);
    const [a, b] = servers as [WebSocketServer, WebSocketServer];
    const b1Id = idOf("10.0.1.2");
    expect(a.getPeerCount()).toBe(2);
    // B stops polling (as a killed process would): 1 s later its peer is still listed…
    frames(100, [a, a1]);
    expect(a.hasPeer(b1Id)).toBe(true);
    // …and 2 s (deadTimeout) after B stopped, it is gone.
    frames(100, [a, a1]);
    expect(a.hasPeer(b1Id)).toBe(false);
    expect(a.getPeerCount()).toBe(1);
    expect(log.filter((line) => line.startsWith("A peerDisconnected"))).toEqual([
      `A peerDisconnected ${b1Id}`,
    ]);
    // A server that stops takes its peers out of the others at their next polls.
    const a1Id = idOf("10.0.1.1");
    expect(b.hasPeer(a1Id)).toBe(true);
    a.stop();
    frames(3, [b]);
    expect(b.hasPeer(a1Id)).toBe(false);
    expect(log).toContain(`B peerDisconnected ${a1Id}`);
  });

  it("a store restart loses no peer of a live process, local service goes on, and the cluster heals", () => {
    const { servers, connect, frames, store, log, idOf } = cluster(3, { deadTimeout: 1 });
    frames(10);
    const a1 = connect(0);
    const b1 = connect(1);
    frames(5);
    const [a, b] = servers as [WebSocketServer, WebSocketServer];
    const remoteId = idOf("10.0.1.2");
    store.stop();
    frames(300);
    // Local service goes on, new clients get leased ids, and a send to a remote peer is
    // accepted now and delivered after the store is back.
    expect(a.getPeer(idOf("10.0.1.1"))!.sendText("local")).toBe(OK);
    connect(0);
    frames(2);
    expect(text(a1)).toEqual(["local"]);
    expect(a.getPeer(remoteId)!.sendText("during")).toBe(OK);
    store.start();
    frames(100);
    expect(text(b1)).toEqual(["during"]);
    expect(log.filter((line) => line.includes("peerDisconnected"))).toEqual([]);
    connect(1);
    frames(20);
    expect(listed(a)).toEqual(listed(b));
    expect(a.getPeerCount()).toBe(4);
    expect(b.hasPeer(idOf("10.0.1.3"))).toBe(true);
  });

  // Whichever process registers again first after the restart misses the other's peer in
  // its snapshot, and repairs it from the heartbeat's presence revisions instead.
  for (const holder of [0, 1]) {
    it(`an announcement lost with the store's memory is repaired within joinTimeout (peer on server ${holder})`, () => {
      const { servers, frames, store, log, clients } = cluster(3, { deadTimeout: 5 });
      frames(10);
      const [owner, reader] = [servers[holder]!, servers[1 - holder]!];
      // The reader stops polling: its inbox read times out (250 ms) and no new one is issued…
      frames(40, [owner]);
      // …so the announcement of a client that joins the owner waits unread in its inbox…
      const client = new WebSocketPeer({ network: store.host.network.host("10.0.1.9") });
      expect(client.connectToUrl(`ws://10.0.0.${holder + 1}:9080`)).toBe(OK);
      clients.push(client);
      frames(5, [owner, client]);
      expect(client.getReadyState()).toBe(WebSocketPeer.STATE_OPEN);
      const joined = owner.getPeerIds()[0]!;
      const unread = store.processIds().reduce((sum, id) => sum + store.inboxLength(id), 0);
      expect(unread).toBeGreaterThanOrEqual(1);
      // …and the store restarts empty before the reader reads it: the announcement is gone.
      store.stop();
      store.start();
      // The reader polls again: within joinTimeout (1 s) it lists the peer.
      frames(100);
      expect(reader.hasPeer(joined)).toBe(true);
      const name = holder === 0 ? "B" : "A";
      expect(log.filter((line) => line === `${name} peerConnected ${joined}`)).toHaveLength(1);
    });
  }

  for (const holder of [0, 1]) {
    it(`a departure lost with the store's memory is repaired within leaveTimeout (peer on server ${holder})`, () => {
      const { servers, frames, store, log, clients } = cluster(3, { deadTimeout: 5 });
      frames(10);
      const [owner, reader] = [servers[holder]!, servers[1 - holder]!];
      const client = new WebSocketPeer({ network: store.host.network.host("10.0.1.9") });
      expect(client.connectToUrl(`ws://10.0.0.${holder + 1}:9080`)).toBe(OK);
      clients.push(client);
      frames(10);
      const left = owner.getPeerIds()[0]!;
      expect(reader.hasPeer(left)).toBe(true);
      // The reader stops polling; the client leaves and its departure waits unread…
      frames(40, [owner, client]);
      client.close(1000);
      frames(5, [owner, client]);
      expect(owner.hasPeer(left)).toBe(false);
      expect(store.processIds().reduce((sum, id) => sum + store.inboxLength(id), 0)).toBeGreaterThanOrEqual(
        1,
      );
      // …until the store restarts empty.
      store.stop();
      store.start();
      frames(200);
      expect(reader.hasPeer(left)).toBe(false);
      const name = holder === 0 ? "B" : "A";
      expect(log.filter((line) => line === `${name} peerDisconnected ${left}`)).toHaveLength(1);
    });
  }

  it("cluster together with gdMpApi is refused", () => {
    const network = new MemoryNetwork({ seed: 1 });
    const store = new MemoryClusterStore(network);
    const server = new WebSocketServer({ network });
    expect(server.listen(9080, { gdMpApi: true, cluster: { store, name: "x" } })).toBe(ERR_INVALID_PARAMETER);
    expect(server.listen(9080, { cluster: { name: "x" } as never })).toBe(ERR_INVALID_PARAMETER);
  });

  it("the same seed gives the same ids and the same signals in the same order", () => {
    const run = () => {
      const { connect, frames, log, servers } = cluster(42);
      frames(10);
      connect(0);
      connect(1);
      connect(1);
      frames(10);
      servers[0]!.broadcastText("x");
      servers[1]!.getPeer(servers[0]!.getPeerIds()[0]!)!.close(4001, "bye");
      frames(20);
      return log.join("\n");
    };
    const first = run();
    expect(first.split("\n").length).toBeGreaterThan(8);
    expect(run()).toBe(first);
  });
});
