import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { freePort, NodeProcess } from "./fixtures/node-process.js";

/*
 * Godot's networking/websocket_chat demo (Godot 4), ported line by line into
 * examples/websocket-chat/, run as a user would: a server process and two client
 * processes, driven through their "UI" (commands on stdin), observed through what
 * they print.
 */

const example = (path: string) =>
  fileURLToPath(new URL(`../examples/websocket-chat/${path}`, import.meta.url));
const processes: NodeProcess[] = [];
afterEach(() => {
  for (const child of processes.splice(0)) child.kill();
});

function start(args: string[]): NodeProcess {
  const child = new NodeProcess(args);
  processes.push(child);
  return child;
}

/** The id the server printed for the n-th client to connect. */
function connectedId(server: NodeProcess, n: number): number {
  const ids = server.lines.flatMap(
    (l) => /^Remote client connected: (\d+)\. Protocol: demo-chat$/.exec(l)?.[1] ?? [],
  );
  return Number(ids[n]);
}

describe("the websocket_chat demo, ported", () => {
  it("two clients chat through the server; the server's stop() and a collection end every client uncleanly", async () => {
    const port = await freePort();
    const url = `ws://127.0.0.1:${port}/test/`;
    // --expose-gc: the server's "gc" command runs the collector, which stands for Godot
    // freeing the WebSocketPeers that stop()'s peers.clear() drops.
    const server = start(["--expose-gc", example("server.mjs"), String(port)]);
    await server.untilLine(`Listing on port ${port}, supported protocols: ["demo-chat"]`);

    const a = start([example("client.mjs"), url]);
    await a.untilLine("Client just connected with protocol: demo-chat");
    await server.until("the first client", () => connectedId(server, 0) > 0);
    const b = start([example("client.mjs"), url]);
    await b.untilLine("Client just connected with protocol: demo-chat");
    await server.until("the second client", () => connectedId(server, 1) > 0);
    const [idA, idB] = [connectedId(server, 0), connectedId(server, 1)];
    expect(idA).toBeGreaterThanOrEqual(2);
    expect(idB).not.toBe(idA);
    await a.untilLine(`[${idB}] connected`);

    a.type("send hello from a");
    await b.untilLine(`[${idA}] Says: hello from a`);
    b.type("send hi a");
    await a.untilLine(`[${idB}] Says: hi a`);
    server.type("send hi all");
    await a.untilLine("Server says: hi all");
    await b.untilLine("Server says: hi all");

    server.type("stop");
    await server.untilLine("Server stopped");
    const closed = "Client just disconnected with code: -1, reason: ";
    // The demo's stop() only clears its peers: the sockets close once the collector takes
    // the dropped WebSocketPeers (Godot frees them at once), without a close frame.
    const collected = () => a.count(closed) === 1 && b.count(closed) === 1;
    for (let i = 0; i < 50 && !collected(); i++) {
      server.type("gc");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await a.untilLine(closed);
    await b.untilLine(closed);

    expect(server.lines).toEqual([
      `Listing on port ${port}, supported protocols: ["demo-chat"]`,
      `Remote client connected: ${idA}. Protocol: demo-chat`,
      `Remote client connected: ${idB}. Protocol: demo-chat`,
      `Server received data from peer ${idA}: hello from a`,
      `Server received data from peer ${idB}: hi a`,
      "Sending message: hi all",
      "Server stopped",
    ]);
    const connecting = [`Connecting to host: ${url}.`, "Client just connected with protocol: demo-chat"];
    expect(a.lines).toEqual([
      ...connecting,
      `[${idB}] connected`,
      "Sending message: hello from a",
      `[${idB}] Says: hi a`,
      "Server says: hi all",
      closed,
    ]);
    expect(b.lines).toEqual([
      ...connecting,
      `[${idA}] Says: hello from a`,
      "Sending message: hi a",
      "Server says: hi all",
      closed,
    ]);
  }, 28_000);
});
