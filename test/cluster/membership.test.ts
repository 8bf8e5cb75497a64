import { describe, expect, it } from "vitest";
import { type ClusterHost, ClusterMembership } from "../../src/cluster/ClusterMembership.js";
import { MemoryClusterBus } from "../../src/cluster/memory-bus.js";
import { MemoryClusterStore } from "../../src/cluster/memory-store.js";
import { clusterSettings } from "../../src/cluster/options.js";
import { StagingQueue } from "../../src/core/StagingQueue.js";
import { MemoryNetwork } from "../../src/transport/memory/index.js";
import type { WebSocketPeer } from "../../src/WebSocketPeer.js";
import { WebSocketPeer as Peer } from "../../src/WebSocketPeer.js";

/** A stand-in for a local client: records what it was sent. */
class FakeLocal {
  sent: string[] = [];
  closed: [number, string] | null = null;
  constructor(readonly serverId: number) {}
  send(data: Uint8Array): number {
    this.sent.push(new TextDecoder().decode(data));
    return 0;
  }
  sendPrepared(frame: { data: Uint8Array }): number {
    this.sent.push(new TextDecoder().decode(frame.data));
    return 0;
  }
  close(code: number, reason: string): number {
    this.closed = [code, reason];
    return 0;
  }
  getConnectedHost() {
    return "10.0.0.1";
  }
  getConnectedPort() {
    return 5000 + (this.serverId % 1000);
  }
  getSelectedProtocol() {
    return "";
  }
}

/** A server reduced to what the membership uses. */
class FakeServer implements ClusterHost {
  readonly queue = new StagingQueue();
  readonly locals = new Map<number, FakeLocal>();
  readonly events: string[] = [];
  readonly membership: ClusterMembership;
  constructor(network: MemoryNetwork, store: MemoryClusterStore, address: string, options = {}) {
    const host = network.host(address);
    const settings = clusterSettings({ store, name: "test", ...options })!;
    const bus = new MemoryClusterBus(store, host, `p-${address}`);
    this.membership = new ClusterMembership(bus, this, settings, () => network.now(), network.random);
  }
  wakeAt(): void {}
  localPeer(id: number) {
    return this.locals.get(id) as unknown as WebSocketPeer | undefined;
  }
  localPeers() {
    return this.locals.values() as unknown as Iterable<WebSocketPeer>;
  }
  prepareFrame(data: Uint8Array) {
    return { byteLength: data.byteLength, data } as never;
  }
  createPeer() {
    return new Peer({ network: new MemoryNetwork() });
  }
  recordRemotePeer(id: number, joined: boolean): void {
    this.events.push(`${joined ? "+" : "-"}${id}`);
  }
  poll(): void {
    this.queue.drain();
    this.membership.poll();
  }
  join(): number {
    const id = this.membership.takeId();
    expect(id).toBeGreaterThan(1);
    const local = new FakeLocal(id);
    this.locals.set(id, local);
    this.membership.localJoined(local as unknown as WebSocketPeer);
    return id;
  }
  leave(id: number): void {
    this.locals.delete(id);
    this.membership.localLeft(id);
  }
}

function setup(options = {}) {
  const network = new MemoryNetwork({ seed: 7, latency: 1 });
  const store = new MemoryClusterStore(network);
  const a = new FakeServer(network, store, "10.0.0.1", options);
  const b = new FakeServer(network, store, "10.0.0.2", options);
  const run = (ms: number, servers = [a, b]) => network.step(10, servers, Math.ceil(ms / 10));
  return { network, store, a, b, run };
}

describe("ClusterMembership on a memory store", () => {
  it("a peer that joins one process is listed by the other, and gone after it leaves", () => {
    const { a, b, run } = setup();
    run(100);
    const id = a.join();
    run(50);
    expect(b.membership.has(id)).toBe(true);
    expect(b.events).toEqual([`+${id}`]);
    a.leave(id);
    run(50);
    expect(b.membership.has(id)).toBe(false);
    expect(b.events).toEqual([`+${id}`, `-${id}`]);
  });

  it("sends and closes through a remote peer reach the holder's local peer in call order", () => {
    const { a, b, run } = setup();
    run(100);
    const id = a.join();
    run(50);
    const proxy = b.membership.peer(id)!;
    expect(proxy.getReadyState()).toBe(Peer.STATE_OPEN);
    expect(proxy.getConnectedHost()).toBe("10.0.0.1");
    for (let i = 0; i < 100; i++) expect(proxy.sendText(`m${i}`)).toBe(0);
    expect(b.membership.broadcast(new TextEncoder().encode("all"), true, 0)).toBe(0);
    proxy.close(4000, "kicked");
    run(50);
    const local = a.locals.get(id)!;
    expect(local.sent).toEqual([...Array.from({ length: 100 }, (_, i) => `m${i}`), "all"]);
    expect(local.closed).toEqual([4000, "kicked"]);
  });

  it("a process that stops heartbeating is dropped after the dead timeout, and not before", () => {
    const { a, b, run } = setup({ deadTimeout: 1 });
    run(100);
    const id = a.join();
    run(50);
    expect(b.membership.has(id)).toBe(true);
    // deadTimeout 1 s, heartbeats every 250 ms: still listed 400 ms after a stopped, gone by 1 s.
    run(400, [b]);
    expect(b.membership.has(id)).toBe(true);
    run(600, [b]);
    expect(b.membership.has(id)).toBe(false);
    expect(b.events).toEqual([`+${id}`, `-${id}`]);
  });

  it("a store restart loses no live peer, and the cluster heals", () => {
    const { a, b, store, run } = setup({ deadTimeout: 1 });
    run(100);
    const id = a.join();
    run(50);
    store.stop();
    run(500);
    const proxy = b.membership.peer(id)!;
    expect(proxy.sendText("during")).toBe(0);
    store.start();
    run(2000);
    expect(b.membership.has(id)).toBe(true);
    expect(b.events).toEqual([`+${id}`]);
    expect(a.locals.get(id)!.sent).toEqual(["during"]);
    const late = a.join();
    run(100);
    expect(b.membership.has(late)).toBe(true);
    expect(store.processIds().sort()).toEqual(["p-10.0.0.1", "p-10.0.0.2"]);
  });

  it("a full inbox refuses sends and broadcasts at the call", () => {
    const { a, b, run } = setup({ inboxLimit: 5 });
    run(100);
    const id = a.join();
    run(50);
    const proxy = b.membership.peer(id)!;
    const results: number[] = [];
    for (let i = 0; i < 8; i++) results.push(proxy.sendText(`m${i}`));
    expect(results.filter((r) => r === 0).length).toBe(5);
    expect(b.membership.broadcast(new Uint8Array(1), false, 0)).not.toBe(0);
    run(100);
    expect(a.locals.get(id)!.sent.length).toBe(5);
    expect(proxy.sendText("after")).toBe(0);
  });
});
