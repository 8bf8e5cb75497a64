// conditions: round trips through NetworkConditions on real sockets. A gdnet client with
// 100 ms latency ± 20 ms jitter (seed 7) echoes one message at a time off a local gdnet
// server, both polled in one process; the measured RTT distribution is printed beside the
// configured one (2 × (100 ± 20): 160 to 240 ms, median 200). Ratio: configured median /
// measured median (1 is exact; below 1 is the frame loop's granularity added).
import { percentile } from "../harness.mjs";
import { gdnet, tick } from "./common.mjs";

const LATENCY = 100;
const JITTER = 20;

export const scenario = {
  name: "conditions",
  async run({ size }) {
    const { WebSocketPeer, WebSocketServer } = await gdnet();
    const count = { smoke: 5, quick: 50, full: 200 }[size];
    const server = new WebSocketServer();
    server.dataReceived.connect((id) => {
      const peer = server.getPeer(id);
      peer.send(peer.getPacket());
    });
    server.listen(0, { bindAddress: "127.0.0.1" });
    const client = new WebSocketPeer({ conditions: { latency: LATENCY, jitter: JITTER, seed: 7 } });
    const guard = performance.now() + 60_000;
    const loop = async (done) => {
      while (!done()) {
        if (performance.now() > guard) throw new Error("conditions: no progress for 60 s");
        server.poll();
        client.poll();
        await tick();
      }
    };
    await loop(() => server.getLocalPort() > 0);
    client.connectToUrl(`ws://127.0.0.1:${server.getLocalPort()}/`);
    await loop(() => client.getReadyState() === WebSocketPeer.STATE_OPEN);
    const rtts = [];
    let sentAt = performance.now();
    client.send(new Uint8Array(32));
    await loop(() => {
      if (client.getAvailablePacketCount() === 0) return false;
      client.getPacket();
      rtts.push(performance.now() - sentAt);
      if (rtts.length === count) return true;
      sentAt = performance.now();
      client.send(new Uint8Array(32));
      return false;
    });
    client.close();
    server.stop();
    const configured = 2 * LATENCY;
    const measured = percentile(rtts, 50);
    return {
      unit: "ms/round trip (median)",
      measured,
      configured,
      gdnet: measured,
      anchor: configured,
      ratio: configured / measured,
      min_ms: Math.min(...rtts),
      p99_ms: percentile(rtts, 99),
      max_ms: Math.max(...rtts),
      configured_min_ms: 2 * (LATENCY - JITTER),
      configured_max_ms: 2 * (LATENCY + JITTER),
      samples: { measured: rtts, configured: [configured] },
      note:
        `measured min ${Math.min(...rtts).toFixed(1)} p50 ${measured.toFixed(1)} p99 ${percentile(rtts, 99).toFixed(1)} max ${Math.max(...rtts).toFixed(1)} ms; ` +
        `configured ${2 * (LATENCY - JITTER)} to ${2 * (LATENCY + JITTER)} ms (2 × (${LATENCY} ± ${JITTER}))`,
    };
  },
};
