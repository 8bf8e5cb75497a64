import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { RedisProcess } from "../support/redis.js";
import { describeWithTool } from "../support/tools.js";
import { Client, ServerProcess, until } from "./support.js";

/*
 * Clustered servers in separate processes on one private redis-server, with plain `ws`
 * clients (issue 16, "What it must show" 1 to 3). Waits are bounded hang guards; no
 * latency is asserted (the bench measures them).
 */

let redis: RedisProcess;
let clusterNumber = 0;
const servers: ServerProcess[] = [];
const clients: Client[] = [];

async function server(name: string, deadTimeout = 10): Promise<ServerProcess> {
  const started = await ServerProcess.start(redis.url, name, deadTimeout);
  servers.push(started);
  return started;
}

async function client(server: ServerProcess): Promise<Client> {
  const connected = await Client.connect(server.port);
  clients.push(connected);
  return connected;
}

describeWithTool("redis-server", "servers in two processes form one logical server", () => {
  beforeAll(async () => {
    redis = await RedisProcess.start();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.socket.terminate();
    for (const s of servers.splice(0)) s.kill();
    if (!redis.running) await redis.restart();
  });

  it("ids are distinct, counts agree, broadcasts, sends, kicks and disconnects cross processes", async () => {
    const name = `lobby${++clusterNumber}`;
    const a = await server(name);
    const b = await server(name);
    const [a1, a2] = [await client(a), await client(a)];
    const [b1, b2] = [await client(b), await client(b)];
    const ids = [a1.id, a2.id, b1.id, b2.id];
    expect(new Set(ids).size).toBe(4);
    await a.lists(ids);
    await b.lists(ids);
    // Every peer was announced once on each process, local ones too.
    for (const s of [a, b]) expect(s.ids("peerConnected").sort()).toEqual([...ids].sort());

    a1.send("all:hello");
    for (const c of [a1, a2, b1, b2]) await c.receives("hello");
    // A second broadcast behind the first: a duplicate of the first would have come before it.
    b2.send("all:marker");
    for (const c of [a1, a2, b1, b2]) await c.receives("marker");
    for (const c of [a1, a2, b1, b2]) expect(c.count("hello")).toBe(1);

    a1.send(`to:${b1.id}:private`);
    await b1.receives("private");
    a1.send("all:after-private");
    for (const c of [a1, a2, b1, b2]) await c.receives("after-private");
    for (const c of [a1, a2, b2]) expect(c.count("private")).toBe(0);

    a1.send(`flood:${b2.id}:1000`);
    expect((await a.next("flooded")).ok).toBe(1000);
    await until(
      "1,000 messages reach the remote peer",
      () => b2.received.filter((t) => t.startsWith("n")).length >= 1000,
    );
    expect(b2.received.filter((t) => t.startsWith("n"))).toEqual(
      Array.from({ length: 1000 }, (_, i) => `n${i}`),
    );

    a1.send(`kick:${b1.id}`);
    expect((await a.next("kicked")).result).toBe(0);
    await until("the kicked client is closed", () => b1.closed !== null);
    expect(b1.closed).toEqual({ code: 4000, reason: "kicked" });

    a2.close();
    const left = [a1.id, b2.id];
    await a.lists(left);
    await b.lists(left);
    await b.next("peerDisconnected", (e) => e.id === a2.id);
    await a.next("peerDisconnected", (e) => e.id === b1.id);
    expect(b.ids("peerDisconnected").sort()).toEqual([a2.id, b1.id].sort());
  });

  it("a killed process's peers leave the survivors, and a new process joins and is served", async () => {
    const name = `lobby${++clusterNumber}`;
    const a = await server(name, 2);
    const b = await server(name, 2);
    const a1 = await client(a);
    const b1 = await client(b);
    await a.lists([a1.id, b1.id]);
    b.kill();
    await a.next("peerDisconnected", (e) => e.id === b1.id);
    await a.lists([a1.id]);

    const c = await server(name, 2);
    const c1 = await client(c);
    await a.lists([a1.id, c1.id]);
    await c.lists([a1.id, c1.id]);
    c1.send("all:welcome");
    await a1.receives("welcome");
    await c1.receives("welcome");
  });

  it("a Redis restart keeps local service, loses no OK'd send and heals the cluster", async () => {
    const name = `lobby${++clusterNumber}`;
    const a = await server(name, 3);
    const b = await server(name, 3);
    const a1 = await client(a);
    const b1 = await client(b);
    await a.lists([a1.id, b1.id]);

    await redis.stop();
    // Local echo keeps working while Redis is away.
    for (let i = 0; i < 5; i++) {
      a1.send(`echo:local${i}`);
      await a1.receives(`local${i}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    // A send to a remote peer during the outage: OK now, delivered once after.
    a1.send(`to:${b1.id}:during`);
    expect((await a.next("sent")).result).toBe(0);
    await redis.restart();

    await b1.receives("during");
    a1.send(`to:${b1.id}:after`);
    await b1.receives("after");
    expect(b1.count("during")).toBe(1);
    expect(a.alive && b.alive).toBe(true);
    // Nobody left because of the outage (deadTimeout 3 s < 5 s without Redis).
    expect(a.all("peerDisconnected")).toEqual([]);
    expect(b.all("peerDisconnected")).toEqual([]);

    const c = await server(name, 3);
    const c1 = await client(c);
    await c.lists([a1.id, b1.id, c1.id]);
    await a.lists([a1.id, b1.id, c1.id]);
  });
});
