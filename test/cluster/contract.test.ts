import { MemoryClusterStore } from "../../src/index.js";
import { createMemoryWorld, createNodeWorld } from "../contract/world.js";
import { RedisProcess } from "../support/redis.js";
import { describeWithTool } from "../support/tools.js";
import { defineClusterContract } from "./cluster.contract.js";

// The cluster contract on a MemoryNetwork with an in-memory store, and on real sockets
// with a private redis-server.
let clusters = 0;

defineClusterContract("memory", async () => {
  const world = createMemoryWorld(7);
  const store = new MemoryClusterStore(world.network);
  return {
    world,
    cluster: () => ({ store, name: "contract" }),
    dispose: () => world.dispose(),
  };
});

describeWithTool("redis-server", "on Redis", () => {
  defineClusterContract("node + Redis", async () => {
    const redis = await RedisProcess.start();
    const world = createNodeWorld();
    return {
      world,
      cluster: () => ({ redis: redis.url, name: `contract${++clusters}` }),
      async dispose() {
        await world.dispose();
        await redis.stop();
      },
    };
  });
});
