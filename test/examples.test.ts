import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { MemoryNetwork, type StreamPeerTCP, TCPServer } from "gdnet";
import { afterEach, describe, expect, it, vi } from "vitest";
import { freePort, NodeProcess } from "./fixtures/node-process.js";

const run = promisify(execFile);
const example = (path: string) => fileURLToPath(new URL(`../examples/${path}`, import.meta.url));

const processes: NodeProcess[] = [];
afterEach(() => {
  for (const child of processes.splice(0)) child.kill();
  vi.restoreAllMocks();
});

describe('the TCP tutorial ("Creating a TCP client in Godot")', () => {
  it("against the tutorial's own Node server it prints exactly the tutorial's five lines", async () => {
    const port = await freePort();
    const server = new NodeProcess([example("tcp-client/server.mjs"), String(port)]);
    processes.push(server);
    await server.until("the server listening", (lines) => lines.includes(`Listening on ${port}.`));
    const client = new NodeProcess([example("tcp-client/main.mjs"), String(port)]);
    processes.push(client);
    await server.until("the client's ack", (lines) => lines.includes("Received: ack"));
    // The greeting ends in "\n", so its line is followed by an empty one, as in Godot. A
    // frame that runs before the connection is made sees STATUS_CONNECTING, and the
    // tutorial's code prints "Connecting to host." then (Godot would too); on loopback
    // the connection is usually made first, as in the tutorial's transcript.
    const printed = client.lines.filter((line) => line !== "");
    expect(printed.filter((line) => line === "Connecting to host.").length).toBeLessThanOrEqual(1);
    expect(printed.filter((line) => line !== "Connecting to host.")).toEqual([
      `Connecting to 127.0.0.1:${port}`,
      "Connected to host.",
      "Client connected to server.",
      "available bytes: 23",
      "Client data: Hello from the server!",
    ]);
  });

  it("killing and restarting the server leads to a reconnect, one attempt per failure, through STATUS_ERROR", async () => {
    const port = await freePort();
    const startServer = async () => {
      const server = new NodeProcess([example("tcp-client/server.mjs"), String(port)]);
      processes.push(server);
      await server.until("the server listening", (lines) => lines.includes(`Listening on ${port}.`));
      return server;
    };
    const first = await startServer();
    const client = new NodeProcess([example("tcp-client/main.mjs"), String(port)]);
    processes.push(client);
    await first.until("the client's ack", (lines) => lines.includes("Received: ack"));

    first.kill();
    const failures = (lines: string[]) =>
      lines.filter((l) => l === "Client disconnected from server." || l === "Client error.").length;
    await client.until("the client noticing the server gone", (lines) => failures(lines) === 1);
    // 3 s later the client tries again and is refused: STATUS_ERROR, from which it must
    // be able to connect again (Godot 4 needs disconnect_from_host() first).
    await client.until("a refused retry", (lines) => failures(lines) === 2);
    expect(client.lines.filter((l) => l === "Error with socket stream.").length).toBeGreaterThanOrEqual(1);

    const second = await startServer();
    await second.until("the reconnected client's ack", (lines) => lines.includes("Received: ack"));
    expect(client.count("Client data: Hello from the server!")).toBe(2);
    expect(client.count("available bytes: 23")).toBe(2);
    // One connection attempt per failure (plus the first): the retry timers do not double.
    const attempts = client.lines.filter((l) => l === `Connecting to 127.0.0.1:${port}`).length;
    expect(attempts).toBe(failures(client.lines) + 1);
    expect(client.count("Error connecting to host.")).toBe(0);
  }, 28_000);

  it("npm run demo -- --once runs the tutorial with its server and exits 0", async () => {
    const { stdout } = await run(process.execPath, [example("demo.mjs"), "--once"], { timeout: 25_000 });
    const lines = stdout.split("\n");
    expect(lines).toContain("Connected to host.");
    expect(lines).toContain("available bytes: 23");
    expect(lines).toContain("Client data: Hello from the server!");
    expect(lines).toContain("Received: ack");
  });

  it("on a MemoryNetwork the client retries 3 s after each failure, on the frames' clock", async () => {
    const lines: { frame: number; text: string }[] = [];
    let frame = 0;
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push({ frame, text: args.join(" ") });
    });
    const { createTcpTutorial } = await import("../examples/tcp-client/main.mjs");
    const network = new MemoryNetwork({ seed: 5 });
    // The tutorial's server.js, in gdnet terms: greet every connection.
    let server: TCPServer | null = null;
    const accepted: StreamPeerTCP[] = [];
    const listen = () => {
      server = new TCPServer({ network });
      expect(server.listen(5000)).toBe(0);
    };
    const kill = () => {
      for (const peer of accepted.splice(0)) peer.disconnectFromHost();
      server!.stop();
      server = null;
    };
    listen();
    const tutorial = createTcpTutorial({ port: 5000, options: { network } });
    const frames = async (count: number) => {
      for (let i = 0; i < count; i++) {
        frame++;
        network.advance(16);
        tutorial.frame(0.016);
        const peer = server?.takeConnection() ?? null;
        if (peer !== null) {
          peer.putData(new TextEncoder().encode("Hello from the server!\n"));
          accepted.push(peer);
        }
        // Let the awaited create_timer continue, as Godot resumes it within the frame.
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const framesOf = (text: string) => lines.filter((l) => l.text === text).map((l) => l.frame);
    const FAILURES = new Set(["Client disconnected from server.", "Client error."]);

    await frames(10);
    expect(framesOf("Client data: Hello from the server!\n")).toHaveLength(1);
    kill();
    await frames(200); // the server is down: disconnected, then a refused retry
    listen();
    await frames(200); // the retry after the refusal finds it back
    expect(framesOf("Client data: Hello from the server!\n")).toHaveLength(2);
    expect(framesOf("Client error.")).toHaveLength(1);

    // Each failure is followed by exactly one attempt, on the first frame 3 s after it
    // (188 frames of 16 ms): no attempt is missing, none is doubled.
    const failures = lines.filter((l) => FAILURES.has(l.text)).map((l) => l.frame);
    const attempts = framesOf("Connecting to 127.0.0.1:5000");
    expect(failures).toHaveLength(2);
    expect(attempts.slice(1).map((at, i) => at - failures[i]!)).toEqual([188, 188]);
    tutorial.stop();
    kill();
  });
});
