import { describe, expect, it } from "vitest";
import { MemoryNetwork, OK, WebSocketPeer, WebSocketServer } from "../src/index.js";
import { HANDSHAKE_WORK } from "../src/websocket/ServerConnections.js";

/*
 * The frame budget of WebSocketServer.poll() (SPEC §1.3): a poll does a bounded amount
 * of work, counted in work, and leaves the rest staged, in order, for the next poll.
 * On the in-memory network, so every count is exact and every run the same.
 */

function step(network: MemoryNetwork, objects: { poll(): unknown }[]): void {
  network.advance(16);
  for (const object of objects) object.poll();
}

describe("WebSocketServer frame budget", () => {
  it("300 handshakes arriving together are spread over several polls, none lost, none timed out", () => {
    const network = new MemoryNetwork({ seed: 41 });
    const server = new WebSocketServer({ network });
    server.pollBudget = 20 * HANDSHAKE_WORK; // 20 handshakes
    server.handshakeTimeout = 0.05; // 50 ms: shorter than the polls the backlog needs
    expect(server.listen(7000)).toBe(OK);
    const clients = Array.from({ length: 300 }, () => new WebSocketPeer({ network }));
    for (const client of clients) client.connectToUrl("ws://127.0.0.1:7000/");
    const refused: string[] = [];
    server.handshakeRefused.connect((_a, _p, reason) => refused.push(reason));
    const perPoll: number[] = [];
    let connected = 0;
    server.clientConnected.connect(() => connected++);
    for (let i = 0; i < 200 && connected < 300; i++) {
      for (const client of clients) client.poll();
      const before = connected;
      network.advance(16);
      server.poll();
      perPoll.push(connected - before);
    }
    expect(connected).toBe(300);
    expect(refused).toEqual([]);
    expect(Math.max(...perPoll)).toBeLessThanOrEqual(20);
    expect(perPoll.filter((count) => count > 0).length).toBeGreaterThanOrEqual(15);
    for (const client of clients) client.poll();
    expect(clients.every((client) => client.getReadyState() === WebSocketPeer.STATE_OPEN)).toBe(true);
  });

  it("a client flooding 5,000 messages is applied a budget at a time, in order, while a quiet client is served every poll", () => {
    const network = new MemoryNetwork({ seed: 42 });
    const server = new WebSocketServer({ network });
    server.pollBudget = 500;
    server.maxQueuedPackets = 10_000;
    expect(server.listen(7000)).toBe(OK);
    const flooder = new WebSocketPeer({ network });
    const quiet = new WebSocketPeer({ network });
    flooder.connectToUrl("ws://127.0.0.1:7000/");
    quiet.connectToUrl("ws://127.0.0.1:7000/");
    for (let i = 0; i < 5; i++) step(network, [flooder, quiet, server]);
    const received = new Map<number, string[]>();
    server.dataReceived.connect((id) => {
      const list = received.get(id) ?? [];
      list.push(new TextDecoder().decode(server.getPeer(id)!.getPacket()));
      received.set(id, list);
    });
    flooder.maxQueuedPackets = 10_000;
    flooder.outboundBufferSize = 0;
    for (let i = 0; i < 5000; i++) expect(flooder.sendText(`m${i}`)).toBe(OK);
    const perPoll: number[] = [];
    const quietEchoes: number[] = [];
    for (let i = 0; i < 100; i++) {
      quiet.sendText(`q${i}`);
      network.advance(16);
      flooder.poll();
      quiet.poll();
      const before = [...received.values()].reduce((sum, list) => sum + list.length, 0);
      server.poll();
      const after = [...received.values()].reduce((sum, list) => sum + list.length, 0);
      perPoll.push(after - before);
      quietEchoes.push(received.size);
      if ((received.get(server.getPeerIds()[0]!)?.length ?? 0) === 5000 && i > 20) break;
    }
    const [flooderId, quietId] = server.getPeerIds();
    expect(received.get(flooderId!)).toEqual(Array.from({ length: 5000 }, (_, i) => `m${i}`));
    // Every message and every staged event costs a unit: no poll applied more than the budget.
    expect(Math.max(...perPoll)).toBeLessThanOrEqual(500);
    expect(perPoll.filter((count) => count > 0).length).toBeGreaterThanOrEqual(10);
    // The quiet client's messages were not stuck behind the flood: they kept their order
    // and arrived while the flood was still being applied.
    const quietMessages = received.get(quietId!)!;
    expect(quietMessages).toEqual(
      quietMessages.slice().sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))),
    );
    expect(quietMessages.length).toBeGreaterThan(5);
  });

  it("pollBudget = Infinity applies everything staged at one poll", () => {
    const network = new MemoryNetwork({ seed: 43 });
    const server = new WebSocketServer({ network });
    server.pollBudget = Number.POSITIVE_INFINITY;
    expect(server.listen(7000)).toBe(OK);
    const clients = Array.from({ length: 200 }, () => new WebSocketPeer({ network }));
    for (const client of clients) client.connectToUrl("ws://127.0.0.1:7000/");
    let connected = 0;
    server.clientConnected.connect(() => connected++);
    for (let i = 0; i < 4 && connected === 0; i++) step(network, [...clients, server]);
    expect(connected).toBe(200);
  });
});
