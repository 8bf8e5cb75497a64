import { monotonicClock } from "../../core/Clock.js";
import { RandomSource } from "../../core/Random.js";
import type { Transport } from "../Transport.js";
import { createNodeHttpTransport } from "./http.js";
import { nodeTcpTransport } from "./tcp.js";
import { createNodeWebSocketTransport } from "./websocket.js";

/** The real network on Node: node:net, ws and node:http, with the monotonic clock. */
export const nodeTransport: Transport = {
  platform: "node",
  now: monotonicClock,
  random: new RandomSource(),
  tcp: nodeTcpTransport,
  webSocket: createNodeWebSocketTransport(),
  http: createNodeHttpTransport(),
};
