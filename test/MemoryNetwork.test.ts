import { describe, expect, it } from "vitest";
import { MemoryNetwork, OK, StreamPeerTCP, TCPServer } from "../src/index.js";

/** A connected client/accepted pair between two hosts of `network`. */
function pair(network: MemoryNetwork, clientHost: string, serverHost: string) {
  const server = new TCPServer({ network: network.host(serverHost) });
  expect(server.listen(7000)).toBe(OK);
  const client = new StreamPeerTCP({ network: network.host(clientHost) });
  expect(client.connectToHost(serverHost, 7000)).toBe(OK);
  return { server, client };
}

function settle(network: MemoryNetwork, objects: { poll(): unknown }[], ms: number, step = 16): void {
  for (let t = 0; t < ms; t += step) {
    network.advance(step);
    for (const o of objects) o.poll();
  }
}

describe("MemoryNetwork", () => {
  it("a message sent at frame 0 over a 50 ms link is visible at the first poll at or after 50 ms, in order", () => {
    const network = new MemoryNetwork({ seed: 1 });
    network.setLinkConditions({ latency: 50 }, "client", "server");
    const { server, client } = pair(network, "client", "server");
    settle(network, [client, server], 200);
    const accepted = server.takeConnection()!;
    expect(client.getStatus()).toBe(StreamPeerTCP.STATUS_CONNECTED);
    const sentAt = network.now();
    for (let i = 0; i < 5; i++) client.putU8(i);
    const seenAt: number[] = [];
    while (accepted.getAvailableBytes() < 5) {
      network.advance(16);
      accepted.poll();
      if (accepted.getAvailableBytes() > 0) seenAt.push(network.now() - sentAt);
    }
    expect(seenAt[0]).toBeGreaterThanOrEqual(50);
    expect(seenAt[0]).toBeLessThan(50 + 16);
    expect(Array.from(accepted.getData(5)[1])).toEqual([0, 1, 2, 3, 4]);
  });

  it("bandwidth delays a large message by its size", () => {
    const network = new MemoryNetwork({ seed: 1 });
    network.setLinkConditions({ bandwidth: 100_000 }, "client", "server");
    const { server, client } = pair(network, "client", "server");
    settle(network, [client, server], 32);
    const accepted = server.takeConnection()!;
    const start = network.now();
    client.putData(new Uint8Array(50_000));
    let arrived = -1;
    for (let t = 0; t < 2000 && arrived < 0; t += 10) {
      network.advance(10);
      accepted.poll();
      if (accepted.getAvailableBytes() === 50_000) arrived = network.now() - start;
    }
    expect(arrived).toBeGreaterThanOrEqual(500);
    expect(arrived).toBeLessThan(520);
  });

  it("a partition stalls a connection and healing delivers what was sent, in order", () => {
    const network = new MemoryNetwork({ seed: 1 });
    const { server, client } = pair(network, "a", "b");
    settle(network, [client, server], 32);
    const accepted = server.takeConnection()!;
    network.partition("a", "b");
    client.putData(new Uint8Array([1, 2]));
    settle(network, [client, accepted], 10_000);
    expect(accepted.getAvailableBytes()).toBe(0);
    client.putData(new Uint8Array([3]));
    network.heal("a", "b");
    accepted.poll();
    expect(Array.from(accepted.getData(3)[1])).toEqual([1, 2, 3]);
  });

  it("refused ports and reset connections behave like a real network", () => {
    const network = new MemoryNetwork({ seed: 1 });
    const { server, client } = pair(network, "a", "b");
    settle(network, [client, server], 32);
    const accepted = server.takeConnection()!;
    network.refuseConnections("b", 7000);
    const second = new StreamPeerTCP({ network: network.host("a") });
    second.connectToHost("b", 7000);
    settle(network, [second], 32);
    expect(second.getStatus()).toBe(StreamPeerTCP.STATUS_ERROR);
    network.resetConnections("b", 7000);
    settle(network, [client, accepted], 32);
    expect(client.getStatus()).toBe(StreamPeerTCP.STATUS_ERROR);
    expect(accepted.getStatus()).toBe(StreamPeerTCP.STATUS_ERROR);
  });

  it("a dropped host goes silent: no close, no reset, nothing delivered", () => {
    const network = new MemoryNetwork({ seed: 1 });
    const { server, client } = pair(network, "a", "b");
    settle(network, [client, server], 32);
    const accepted = server.takeConnection()!;
    network.dropHost("a");
    client.putData(new Uint8Array([1]));
    accepted.putData(new Uint8Array([2]));
    settle(network, [client, accepted], 5000);
    expect(client.getStatus()).toBe(StreamPeerTCP.STATUS_CONNECTED);
    expect(accepted.getStatus()).toBe(StreamPeerTCP.STATUS_CONNECTED);
    expect(accepted.getAvailableBytes()).toBe(0);
    expect(client.getAvailableBytes()).toBe(0);
  });

  it("step() advances the clock and polls each object once per frame", () => {
    const network = new MemoryNetwork({ seed: 1 });
    const seen: number[] = [];
    const probe = { poll: () => seen.push(network.now()) };
    network.step(16, [probe, probe], 3);
    expect(seen).toEqual([16, 16, 32, 32, 48, 48]);
  });

  it("advance() refuses negative time", () => {
    expect(() => new MemoryNetwork().advance(-1)).toThrow(RangeError);
  });
});
