import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { defineHttpContract } from "./http.contract.js";
import { defineMultiplayerContract } from "./multiplayer.contract.js";
import { defineRpcContract } from "./rpc.contract.js";
import { defineTcpContract } from "./tcp.contract.js";
import { defineWebSocketContract } from "./websocket.contract.js";
import { createMemoryWorld } from "./world.js";

// The same contract suites over the in-memory network. Time here is virtual: the
// library and the tests may not use a single real timer, which the wrappers below
// count and every test checks.
const realTimers = {
  setTimeout: globalThis.setTimeout,
  setInterval: globalThis.setInterval,
  setImmediate: globalThis.setImmediate,
};
let timersUsed: string[] = [];

beforeAll(() => {
  for (const name of Object.keys(realTimers) as (keyof typeof realTimers)[]) {
    const real = realTimers[name] as (...args: unknown[]) => unknown;
    (globalThis as Record<string, unknown>)[name] = (...args: unknown[]) => {
      timersUsed.push(name);
      return real(...args);
    };
  }
});

afterEach(() => {
  const used = timersUsed;
  timersUsed = [];
  expect(used, "a memory test used a real timer").toEqual([]);
});

afterAll(() => {
  Object.assign(globalThis, realTimers);
});

defineTcpContract(createMemoryWorld);
defineWebSocketContract(createMemoryWorld);
defineHttpContract(createMemoryWorld);
defineMultiplayerContract(createMemoryWorld);
defineRpcContract(createMemoryWorld);
