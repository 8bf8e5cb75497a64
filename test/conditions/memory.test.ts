import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { MemoryNetwork, WebSocketPeer, WebSocketServer } from "../../src/index.js";

const run = promisify(execFile);

/** The transcript of `fixtures/memory-jitter.mjs` from a fresh process (uses dist/: `npm run build`). */
async function jitterTranscript(networkSeed: number, conditionsSeed: number): Promise<string> {
  const script = fileURLToPath(new URL("./fixtures/memory-jitter.mjs", import.meta.url));
  const entry = new URL("../../dist/index.js", import.meta.url).href;
  const { stdout } = await run(
    process.execPath,
    [script, entry, String(networkSeed), String(conditionsSeed)],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return stdout;
}

/** The numbers of one client's echoes, in the order they arrived. */
function echoesOf(transcript: string, client: string): number[] {
  const pattern = new RegExp(`${client} got echo ${client}(\\d+)$`);
  return transcript
    .split("\n")
    .map((line) => pattern.exec(line))
    .filter((match) => match !== null)
    .map((match) => Number(match[1]));
}

describe("conditions on the memory network", () => {
  it("the same seeds give the same frame-by-frame transcript in two processes, and another conditions seed another one", async () => {
    const [first, second, other] = await Promise.all([
      jitterTranscript(11, 7),
      jitterTranscript(11, 7),
      jitterTranscript(11, 8),
    ]);
    expect(first.split("\n").length).toBeGreaterThan(300);
    expect(second).toBe(first);
    // The jitter is drawn from the conditions' seed: another seed moves arrivals.
    expect(other).not.toBe(first);
    for (const client of ["a", "b", "c"]) {
      const echoes = echoesOf(first, client);
      expect(echoes).toEqual(Array.from({ length: 60 }, (_, i) => i));
    }
  }, 20_000);

  it("jitter varies the delay of each message within ± jitter and never reorders a stream", () => {
    const network = new MemoryNetwork({ seed: 3 });
    network.setLinkConditions({ latency: 50, jitter: 20, seed: 5 });
    const server = new WebSocketServer({ network: network.host("s.test") });
    expect(server.listen(9000)).toBe(0);
    const client = new WebSocketPeer({ network: network.host("c.test") });
    client.connectToUrl("ws://s.test:9000/");
    const sentAt = new Map<number, number>();
    const delays: number[] = [];
    const order: number[] = [];
    let next = 0;
    for (let frame = 0; frame < 2000 && order.length < 200; frame++) {
      network.advance(1);
      client.poll();
      server.poll();
      for (const id of server.getPeerIds()) {
        const peer = server.getPeer(id)!;
        while (peer.getAvailablePacketCount() > 0) {
          const n = peer.getPacket()[0]!;
          order.push(n);
          delays.push(network.now() - sentAt.get(n)!);
        }
      }
      if (client.getReadyState() === WebSocketPeer.STATE_OPEN && next < 200) {
        sentAt.set(next, network.now());
        client.send(new Uint8Array([next++]));
      }
    }
    expect(order).toEqual(Array.from({ length: 200 }, (_, i) => i));
    // Seen at the first poll at or after arrival (1 ms frames): within [30, 71] ms.
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(30);
    expect(Math.max(...delays)).toBeLessThanOrEqual(71);
    // Not a constant delay: the jitter spreads them.
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(15);
  });

  it("a 2 s blackhole ends in the heartbeat's close path on both sides, with no FIN and no reset", () => {
    const network = new MemoryNetwork({ seed: 9 });
    const server = new WebSocketServer({ network: network.host("s.test") });
    server.heartbeatInterval = 0.5;
    const disconnects: string[] = [];
    server.clientDisconnected.connect((id, clean, code) =>
      disconnects.push(`${id} ${clean} ${code} t${network.now()}`),
    );
    expect(server.listen(9000)).toBe(0);
    const client = new WebSocketPeer({ network: network.host("c.test") });
    client.heartbeatInterval = 0.5;
    client.connectToUrl("ws://s.test:9000/");
    network.step(10, [client, server], 20);
    expect(client.getReadyState()).toBe(WebSocketPeer.STATE_OPEN);
    // Heartbeats go both ways while the link is fine: nobody is dropped in 3 s.
    network.step(10, [client, server], 300);
    expect(client.getReadyState()).toBe(WebSocketPeer.STATE_OPEN);
    expect(server.getPeerCount()).toBe(1);
    const cut = network.now();
    network.setLinkConditions({ blackhole: true }, "s.test", "c.test");
    let clientClosedAt = -1;
    for (let frame = 0; frame < 200; frame++) {
      network.step(10, [client, server]);
      if (clientClosedAt < 0 && client.getReadyState() === WebSocketPeer.STATE_CLOSED)
        clientClosedAt = network.now();
    }
    network.setLinkConditions({ blackhole: false }, "s.test", "c.test");
    network.step(10, [client, server], 100);
    // Both sides gave up by the heartbeat (unclean, -1) within the 2 s of silence.
    expect(client.getReadyState()).toBe(WebSocketPeer.STATE_CLOSED);
    expect(client.getCloseCode()).toBe(-1);
    expect(clientClosedAt - cut).toBeGreaterThan(0);
    expect(clientClosedAt - cut).toBeLessThanOrEqual(1100);
    expect(disconnects).toHaveLength(1);
    const [, clean, code, at] = disconnects[0]!.split(" ");
    expect(clean).toBe("false");
    expect(code).toBe("-1");
    expect(Number(at!.slice(1)) - cut).toBeLessThanOrEqual(1100);
  });
});
