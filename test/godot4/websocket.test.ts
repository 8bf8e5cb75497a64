import { readFileSync } from "node:fs";
import { afterEach, expect, it } from "vitest";
import { OK, WebSocketServer } from "../../src/index.js";
import type { Godot4Run } from "../support/godot4/engine.js";
import { describeWithGodot4, pollUntilSettled, waitUntil } from "../support/godot4/suite.js";

/*
 * A real Godot 4.6 WebSocketPeer (the web build: the browser's WebSocket underneath)
 * against gdnet's WebSocketServer in this process. The script prints its states, echoes
 * what it gets and closes when told to (scripts/websocket_client.gd).
 */

const CLIENT = readFileSync(new URL("./scripts/websocket_client.gd", import.meta.url), "utf8");

interface Session {
  server: WebSocketServer;
  events: string[];
  run: Godot4Run;
  id: number;
}

describeWithGodot4("WebSocket: a Godot 4.6 client (web build) with gdnet's WebSocketServer", (godot) => {
  let session: Session | undefined;
  afterEach(async () => {
    await session?.run.stop();
    session?.server.stop();
    session = undefined;
  });

  /** A server offering "chat", and a Godot client offering "other,chat" that is open. */
  async function connect(): Promise<Session> {
    const server = new WebSocketServer();
    const events: string[] = [];
    server.clientConnected.connect((_id, protocol) => events.push(`connected ${protocol}`));
    server.clientCloseRequest.connect((_id, code, reason) =>
      events.push(`close-request ${code} "${reason}"`),
    );
    server.clientDisconnected.connect((_id, clean, code, reason) =>
      events.push(`disconnected ${clean} ${code} "${reason}"`),
    );
    expect(server.listen(0, { supportedProtocols: ["chat"] })).toBe(OK);
    const url = `ws://127.0.0.1:${server.getLocalPort()}/game`;
    const run = godot().run(CLIENT, { args: [url, "other,chat"] });
    session = { server, events, run, id: 0 };
    await pollUntilSettled([server], run.waitForLine("PROTOCOL"));
    session.id = server.getPeerIds()[0]!;
    return session;
  }

  const states = (run: Godot4Run) =>
    run.lines.filter((line) => line.startsWith("STATE")).map((line) => line.slice(6));

  it("connects (CONNECTING, then OPEN) with the server's subprotocol, and echoes text and binary in kind", async () => {
    const { server, run, id, events } = await connect();
    expect(run.lines).toContain("CONNECT 0");
    expect(run.lines).toContain("PROTOCOL chat");
    expect(states(run)).toEqual(["0", "1"]);
    expect(events).toEqual(["connected chat"]);
    expect(server.getPeer(id)!.getRequestedUrl()).toBe(`ws://127.0.0.1:${server.getLocalPort()}/game`);

    const peer = server.getPeer(id)!;
    expect(peer.sendText("héllo ✓")).toBe(OK);
    expect(peer.send(new Uint8Array([0, 1, 255]))).toBe(OK);
    await pollUntilSettled([server], run.waitForLine("BINARY"));
    expect(run.lines.filter((line) => /^(TEXT|BINARY)/.test(line))).toEqual([
      "TEXT héllo ✓",
      "BINARY 0001ff",
    ]);
    await pollUntilSettled(
      [server],
      waitUntil(() => peer.getAvailablePacketCount() === 2),
    );
    expect(new TextDecoder().decode(peer.getPacket())).toBe("héllo ✓");
    expect(peer.wasStringPacket()).toBe(true);
    expect([...peer.getPacket()]).toEqual([0, 1, 255]);
    expect(peer.wasStringPacket()).toBe(false);
  });

  it('the server\'s close 4001 "bye" reaches Godot with its code and reason, and both sides end clean', async () => {
    const { server, run, id, events } = await connect();
    expect(server.disconnectPeer(id, 4001, "bye")).toBe(OK);
    expect(await pollUntilSettled([server], run.waitForLine("CLOSED"))).toBe("CLOSED 4001 bye");
    expect(states(run).at(-1)).toBe("3");
    await pollUntilSettled([server], run.exited);
    await pollUntilSettled(
      [server],
      waitUntil(() => events.length === 2),
    );
    expect(events).toEqual(["connected chat", 'disconnected true 4001 "bye"']);
  });

  it('Godot\'s close(1000, "done") reaches the server as a close request, and Godot ends CLOSED with 1000 "done"', async () => {
    const { server, run, id, events } = await connect();
    server.getPeer(id)!.sendText("close 1000 done");
    expect(await pollUntilSettled([server], run.waitForLine("CLOSED"))).toBe("CLOSED 1000 done");
    // CLOSING (2) shows only when a frame falls between close() and the server's answer.
    expect(states(run)).toEqual(expect.arrayContaining(["0", "1", "3"]));
    expect(states(run).at(-1)).toBe("3");
    await pollUntilSettled(
      [server],
      waitUntil(() => events.length === 3),
    );
    expect(events).toEqual(["connected chat", 'close-request 1000 "done"', 'disconnected true 1000 "done"']);
  });

  it("a connection dropped without a close frame: the web build reports the browser's 1006 (native Godot says -1), the server an unclean close", async () => {
    const { server, run, id, events } = await connect();
    expect(server.disconnectPeer(id, true)).toBe(OK);
    expect(await pollUntilSettled([server], run.waitForLine("CLOSED"))).toBe("CLOSED 1006 ");
    await pollUntilSettled(
      [server],
      waitUntil(() => events.length === 2),
    );
    expect(events).toEqual(["connected chat", 'disconnected false -1 ""']);
  });

  it("a close code the browser forbids (1001) throws in the page: the web engine stops and sends no close frame of its own", async () => {
    const { server, run, id, events } = await connect();
    server.getPeer(id)!.sendText("close 1001 away");
    const error = await pollUntilSettled([server], run.waitForError("uncaught"));
    expect(error).toMatch(/InvalidAccessError.*1000.*3000.*4999/);
    expect(run.lines.at(-1)).toBe("CLOSE_CALLED 1001");
    // Only the page going away closes the socket now: the browser's 1001 with no reason,
    // not the "away" the script asked for.
    await run.stop();
    await pollUntilSettled(
      [server],
      waitUntil(() => events.length === 3),
    );
    expect(events).toEqual(["connected chat", 'close-request 1001 ""', 'disconnected true 1001 ""']);
    expect(run.lines.at(-1)).toBe("CLOSE_CALLED 1001");
  });
});
