import { describe, expect, it } from "vitest";
import { MemoryNetwork, OK, SceneMultiplayer, WebSocketMultiplayerPeer } from "../src/index.js";

/*
 * SceneMultiplayer's relay within a frame budget (SPEC §1.3): one client's broadcasts,
 * which cost a send per peer, are relayed a budget at a time, in order, none lost.
 */

describe("SceneMultiplayer relay budget", () => {
  it("a client's 200 broadcasts to 8 peers are relayed over several polls, in order, none lost", () => {
    const network = new MemoryNetwork({ seed: 61 });
    const hostPeer = new WebSocketMultiplayerPeer({ network });
    expect(hostPeer.createServer(7950)).toBe(OK);
    const host = new SceneMultiplayer(hostPeer);
    host.relayBudget = 90; // 10 broadcasts to 8 peers (plus the packet itself) per poll
    const clients = Array.from({ length: 9 }, () => {
      const peer = new WebSocketMultiplayerPeer({ network });
      peer.createClient("ws://127.0.0.1:7950/");
      return new SceneMultiplayer(peer);
    });
    const received = clients.map(() => [] as string[]);
    clients.forEach((client, i) => {
      client.peerPacket.connect((_id, packet) => received[i]!.push(new TextDecoder().decode(packet)));
    });
    const step = () => {
      network.advance(16);
      for (const client of clients) client.poll();
      host.poll();
    };
    for (let i = 0; i < 10; i++) step();
    expect(clients.every((client) => client.getPeers().length === 9)).toBe(true);
    const [sender, ...others] = clients;
    for (let i = 0; i < 200; i++) expect(sender!.sendBytes(new TextEncoder().encode(`b${i}`))).toBe(OK);
    const relayedPerPoll: number[] = [];
    for (let i = 0; i < 100 && received[1]!.length < 200; i++) {
      const before = received.slice(1).reduce((sum, list) => sum + list.length, 0);
      step();
      relayedPerPoll.push(received.slice(1).reduce((sum, list) => sum + list.length, 0) - before);
    }
    const expected = Array.from({ length: 200 }, (_, i) => `b${i}`);
    for (let i = 1; i < clients.length; i++) expect(received[i]).toEqual(expected);
    expect(received[0]).toEqual([]);
    expect(others).toHaveLength(8);
    // 10 broadcasts a poll reach 8 peers each: at most 80 deliveries a poll, over 20 or more polls.
    expect(Math.max(...relayedPerPoll)).toBeLessThanOrEqual(80);
    expect(relayedPerPoll.filter((count) => count > 0).length).toBeGreaterThanOrEqual(20);
  });
});
