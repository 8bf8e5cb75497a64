import type { StagingQueue } from "../../src/core/StagingQueue.js";
import type { HttpTransport } from "../../src/transport/http.js";
import { nodeTransport } from "../../src/transport/node/index.js";
import type { NetworkOptions, Transport } from "../../src/transport/Transport.js";

/**
 * `options` with its network's HTTP exchanges watched: every event they stage for their
 * owner is recorded (its kind, `HTTP_*`) as it is staged, before any poll applies it. A
 * test can then wait for an event to be staged without polling, and check that nothing
 * of it shows until the owner polls.
 */
export function watchedHttpOptions(options: NetworkOptions, staged: number[]): NetworkOptions {
  const base = options.network ?? nodeTransport;
  const http: HttpTransport = {
    start(request, queue, target) {
      const watched = new Proxy(queue, {
        get(inner, key) {
          if (key === "push") {
            return (...args: Parameters<StagingQueue["push"]>) => {
              staged.push(args[1]);
              inner.push(...args);
            };
          }
          const value = Reflect.get(inner, key, inner);
          return typeof value === "function" ? value.bind(inner) : value;
        },
      });
      return base.http.start(request, watched, target);
    },
  };
  const network: Transport = {
    platform: base.platform,
    now: () => base.now(),
    random: base.random,
    tcp: base.tcp,
    webSocket: base.webSocket,
    http,
  };
  return { ...options, network };
}
