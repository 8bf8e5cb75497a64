import { monotonicClock } from "../../core/Clock.js";
import { RandomSource } from "../../core/Random.js";
import type { Transport } from "../Transport.js";
import { createBrowserHttpTransport } from "./http.js";
import { browserTcpTransport } from "./tcp.js";
import { createBrowserWebSocketTransport } from "./websocket.js";

/** The real network in a browser: the native WebSocket and fetch; no raw TCP. */
export const browserTransport: Transport = {
  platform: "browser",
  now: monotonicClock,
  random: new RandomSource(),
  tcp: browserTcpTransport,
  webSocket: createBrowserWebSocketTransport(),
  http: createBrowserHttpTransport(),
};
