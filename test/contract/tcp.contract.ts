import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as gdnet from "../../src/index.js";
import {
  ERR_ALREADY_IN_USE,
  ERR_INVALID_PARAMETER,
  FAILED,
  OK,
  StreamPeerTCP,
  TCPServer,
} from "../../src/index.js";
import { probeUnresolvable } from "../fixtures/tcp-unresolvable.mjs";
import { runNodeWithLoopbackOnly } from "../support/isolated.js";
import { firstMismatch, streamChunk } from "../support/stream-pattern.js";
import type { ContractWorld } from "./world.js";

const { STATUS_NONE, STATUS_CONNECTING, STATUS_CONNECTED, STATUS_ERROR } = StreamPeerTCP;

/** The StreamPeerTCP / TCPServer behaviour every transport must show. */
export function defineTcpContract(makeWorld: () => ContractWorld): void {
  describe("StreamPeerTCP and TCPServer", () => {
    let world: ContractWorld;
    let server: TCPServer;

    beforeEach(() => {
      world = makeWorld();
      routes = [];
      server = new TCPServer(world.options);
      expect(server.listen(0)).toBe(OK);
    });

    afterEach(async () => {
      server.stop();
      await world.dispose();
    });

    let routes: { host: string; port: number }[] = [];

    /** Connects a client (through the world's route) and returns it with the accepted peer. */
    async function connectPair(): Promise<{ client: StreamPeerTCP; accepted: StreamPeerTCP }> {
      const target = await world.route(server.getLocalPort());
      routes.push(target);
      const client = new StreamPeerTCP(world.options);
      expect(client.connectToHost(target.host, target.port)).toBe(OK);
      await world.until(
        [client, server],
        () => client.getStatus() === STATUS_CONNECTED && server.isConnectionAvailable(),
      );
      const accepted = server.takeConnection();
      expect(accepted).not.toBeNull();
      return { client, accepted: accepted! };
    }

    it("connecting to an open port is CONNECTING at once and CONNECTED at a later poll", async () => {
      const client = new StreamPeerTCP(world.options);
      expect(client.connectToHost(world.host, server.getLocalPort())).toBe(OK);
      expect(client.getStatus()).toBe(STATUS_CONNECTING);
      await world.until([client], () => client.getStatus() !== STATUS_CONNECTING);
      expect(client.getStatus()).toBe(STATUS_CONNECTED);
      expect(client.getConnectedPort()).toBe(server.getLocalPort());
      expect(client.getLocalPort()).toBeGreaterThan(0);
      client.disconnectFromHost();
    });

    it("connecting to a closed port ends in STATUS_ERROR and poll() reports ERR_CONNECTION_ERROR once", async () => {
      const client = new StreamPeerTCP(world.options);
      expect(client.connectToHost(world.host, await world.closedPort())).toBe(OK);
      const results: number[] = [];
      await world.until(
        [{ poll: () => results.push(client.poll()) }],
        () => client.getStatus() !== STATUS_CONNECTING,
      );
      expect(client.getStatus()).toBe(STATUS_ERROR);
      expect(results.filter((r) => r !== OK)).toEqual([gdnet.ERR_CONNECTION_ERROR]);
    });

    it("an accepted connection is CONNECTED as soon as it is taken", async () => {
      const { client, accepted } = await connectPair();
      expect(accepted.getStatus()).toBe(STATUS_CONNECTED);
      expect(accepted.getConnectedPort()).toBeGreaterThan(0);
      client.disconnectFromHost();
      accepted.disconnectFromHost();
    });

    it("bytes travel both ways and arrive in order", async () => {
      const { client, accepted } = await connectPair();
      expect(client.putData(new Uint8Array([1, 2, 3]))).toBe(OK);
      expect(client.putData(new Uint8Array([4, 5]))).toBe(OK);
      await world.until([accepted], () => accepted.getAvailableBytes() === 5);
      expect(accepted.getData(5)).toEqual([OK, new Uint8Array([1, 2, 3, 4, 5])]);
      accepted.putUtf8String("héllo ✓");
      await world.until([client], () => client.getAvailableBytes() === 14);
      expect(client.getUtf8String()).toBe("héllo ✓");
      client.disconnectFromHost();
      accepted.disconnectFromHost();
    });

    it("a peer that stops polling makes the sender wait: its writes are refused past outboundBufferSize, and every accepted byte arrives in order later", async () => {
      const client = new StreamPeerTCP(world.options);
      expect(client.connectToHost(world.host, server.getLocalPort())).toBe(OK);
      await world.until(
        [client, server],
        () => client.getStatus() === STATUS_CONNECTED && server.isConnectionAvailable(),
      );
      const sender = server.takeConnection()!;
      sender.outboundBufferSize = 1024 * 1024;
      const CHUNK = 256 * 1024;
      let sent = 0;
      let refused = false;
      // The client's game has stopped polling; the sender writes a chunk a frame until a
      // write is refused. Without flow control, the client would take everything.
      await world.until(
        [sender],
        () => {
          if (sender.putData(streamChunk(sent, CHUNK)) === OK) sent += CHUNK;
          else refused = true;
          return refused || sent > 256 * 1024 * 1024;
        },
        30_000,
      );
      expect(refused).toBe(true);
      let received = 0;
      let mismatch = -1;
      await world.until(
        [client, sender],
        () => {
          const [err, data] = client.getPartialData(1024 * 1024);
          expect(err).toBe(OK);
          if (mismatch < 0) mismatch = firstMismatch(data, received);
          received += data.byteLength;
          return received >= sent;
        },
        30_000,
      );
      expect(mismatch).toBe(-1);
      expect(received).toBe(sent);
      client.disconnectFromHost();
      sender.disconnectFromHost();
    }, 60_000);

    it("a remote orderly close gives STATUS_NONE only once the bytes received before it are read", async () => {
      const { client, accepted } = await connectPair();
      accepted.putData(new Uint8Array([7, 8, 9]));
      accepted.disconnectFromHost();
      expect(accepted.getStatus()).toBe(STATUS_NONE);
      await world.until([client], () => client.getAvailableBytes() === 3);
      // Several more frames: the FIN has arrived, but unread bytes keep the peer connected.
      for (let i = 0; i < 5; i++) await world.frame([client]);
      expect(client.getStatus()).toBe(STATUS_CONNECTED);
      expect(client.getData(3)).toEqual([OK, new Uint8Array([7, 8, 9])]);
      await world.until([client], () => client.getStatus() !== STATUS_CONNECTED);
      expect(client.getStatus()).toBe(STATUS_NONE);
    });

    it("a reset gives STATUS_ERROR on both sides", async () => {
      const { client, accepted } = await connectPair();
      world.resetRouted();
      await world.until(
        [client, accepted],
        () => client.getStatus() !== STATUS_CONNECTED && accepted.getStatus() !== STATUS_CONNECTED,
      );
      expect(client.getStatus()).toBe(STATUS_ERROR);
      expect(accepted.getStatus()).toBe(STATUS_ERROR);
      expect(client.putData(new Uint8Array([1]))).toBe(FAILED);
    });

    it("a port that refuses new connections fails them with STATUS_ERROR while an open one goes on", async () => {
      const { client, accepted } = await connectPair();
      world.refuseRouted();
      const late = new StreamPeerTCP(world.options);
      const first = routes[0]!;
      expect(late.connectToHost(first.host, first.port)).toBe(OK);
      await world.until([late], () => late.getStatus() !== STATUS_CONNECTING);
      expect(late.getStatus()).toBe(STATUS_ERROR);
      client.putData(new Uint8Array([42]));
      await world.until([accepted], () => accepted.getAvailableBytes() === 1);
      expect(accepted.getU8()).toBe(42);
      client.disconnectFromHost();
      accepted.disconnectFromHost();
    });

    it("disconnectFromHost() is STATUS_NONE at once and the remote sees an orderly close", async () => {
      const { client, accepted } = await connectPair();
      client.disconnectFromHost();
      expect(client.getStatus()).toBe(STATUS_NONE);
      expect(client.getConnectedHost()).toBe("");
      expect(client.getConnectedPort()).toBe(0);
      await world.until([accepted], () => accepted.getStatus() !== STATUS_CONNECTED);
      expect(accepted.getStatus()).toBe(STATUS_NONE);
    });

    it("a silently dropped connection stays CONNECTED: only the game's own timeout can tell", async () => {
      const { client, accepted } = await connectPair();
      world.dropRouted();
      client.putData(new Uint8Array([1, 2, 3]));
      for (let i = 0; i < 10; i++) await world.frame([client, accepted]);
      expect(client.getStatus()).toBe(STATUS_CONNECTED);
      expect(accepted.getStatus()).toBe(STATUS_CONNECTED);
      expect(accepted.getAvailableBytes()).toBe(0);
      client.disconnectFromHost();
      accepted.disconnectFromHost();
    });

    it("bad arguments return ERR_INVALID_PARAMETER and leave the peer usable", async () => {
      const client = new StreamPeerTCP(world.options);
      expect(client.connectToHost(world.host, 0)).toBe(ERR_INVALID_PARAMETER);
      expect(client.connectToHost(world.host, 70000)).toBe(ERR_INVALID_PARAMETER);
      expect(client.connectToHost(world.host, 1.5)).toBe(ERR_INVALID_PARAMETER);
      expect(client.connectToHost("", 80)).toBe(ERR_INVALID_PARAMETER);
      expect(client.getStatus()).toBe(STATUS_NONE);
      expect(client.connectToHost(world.host, server.getLocalPort())).toBe(OK);
      await world.until([client], () => client.getStatus() === STATUS_CONNECTED);
      client.disconnectFromHost();
    });

    it("writing while CONNECTING fails and queues nothing", async () => {
      const client = new StreamPeerTCP(world.options);
      client.connectToHost(world.host, server.getLocalPort());
      expect(client.putData(new Uint8Array([1]))).toBe(FAILED);
      expect(client.putPartialData(new Uint8Array([1]))).toEqual([FAILED, 0]);
      await world.until(
        [client, server],
        () => client.getStatus() === STATUS_CONNECTED && server.isConnectionAvailable(),
      );
      const accepted = server.takeConnection()!;
      for (let i = 0; i < 3; i++) await world.frame([accepted]);
      expect(accepted.getAvailableBytes()).toBe(0);
      client.disconnectFromHost();
      accepted.disconnectFromHost();
    });

    it("connecting again while connected (or after an error) returns ERR_ALREADY_IN_USE", async () => {
      const { client, accepted } = await connectPair();
      expect(client.connectToHost(world.host, server.getLocalPort())).toBe(ERR_ALREADY_IN_USE);
      expect(client.getStatus()).toBe(STATUS_CONNECTED);
      const failing = new StreamPeerTCP(world.options);
      failing.connectToHost(world.host, await world.closedPort());
      await world.until([failing], () => failing.getStatus() === STATUS_ERROR);
      expect(failing.connectToHost(world.host, server.getLocalPort())).toBe(ERR_ALREADY_IN_USE);
      failing.disconnectFromHost();
      expect(failing.connectToHost(world.host, server.getLocalPort())).toBe(OK);
      await world.until([failing], () => failing.getStatus() === STATUS_CONNECTED);
      failing.disconnectFromHost();
      client.disconnectFromHost();
      accepted.disconnectFromHost();
    });

    it("listening on a busy port returns ERR_ALREADY_IN_USE at once; listening twice too", () => {
      const second = new TCPServer(world.options);
      expect(second.listen(server.getLocalPort())).toBe(ERR_ALREADY_IN_USE);
      expect(second.isListening()).toBe(false);
      expect(server.listen(0)).toBe(ERR_ALREADY_IN_USE);
      expect(second.listen(70000)).toBe(ERR_INVALID_PARAMETER);
      expect(second.listen(-1)).toBe(ERR_INVALID_PARAMETER);
      expect(second.listen(0, "not an address")).toBe(ERR_INVALID_PARAMETER);
      expect(second.listen(0)).toBe(OK);
      second.stop();
    });

    it("a specific bind address reports a busy port at the next poll", async () => {
      const second = new TCPServer(world.options);
      expect(second.listen(server.getLocalPort(), "127.0.0.1")).toBe(OK);
      let result = OK;
      await world.until([{ poll: () => (result = second.poll()) }], () => !second.isListening());
      expect(result).toBe(ERR_ALREADY_IN_USE);
      expect(second.getLocalPort()).toBe(0);
      const third = new TCPServer(world.options);
      expect(third.listen(0, "127.0.0.1")).toBe(OK);
      await world.until([third], () => third.getLocalPort() !== 0);
      expect(third.isListening()).toBe(true);
      third.stop();
    });

    it("stop() frees the port for a new listener", async () => {
      const port = server.getLocalPort();
      server.stop();
      expect(server.isListening()).toBe(false);
      const again = new TCPServer(world.options);
      expect(again.listen(port)).toBe(OK);
      const client = new StreamPeerTCP(world.options);
      client.connectToHost(world.host, port);
      await world.until([client, again], () => again.isConnectionAvailable());
      again.takeConnection()!.disconnectFromHost();
      client.disconnectFromHost();
      again.stop();
    });

    it("bytes that arrive between two polls change nothing until the next poll", async () => {
      const { client, accepted } = await connectPair();
      client.putData(new Uint8Array([1, 2, 3, 4]));
      // Let the bytes arrive without polling the receiver.
      for (let i = 0; i < 5; i++) await world.frame([]);
      expect(accepted.getAvailableBytes()).toBe(0);
      accepted.poll();
      expect(accepted.getAvailableBytes()).toBe(4);
      client.disconnectFromHost();
      for (let i = 0; i < 5; i++) await world.frame([]);
      expect(accepted.getStatus()).toBe(STATUS_CONNECTED);
      accepted.getData(4);
      accepted.poll();
      expect(accepted.getStatus()).toBe(STATUS_NONE);
    });

    it("isConnectionAvailable() pulls a connection accepted since the last call, with no TCPServer.poll()", async () => {
      const client = new StreamPeerTCP(world.options);
      client.connectToHost(world.host, server.getLocalPort());
      await world.until([client], () => client.getStatus() === STATUS_CONNECTED);
      // The server's accept may land a moment after the client's connect: wait for it,
      // polling only the client, as the websocket_chat demo's server never polls.
      await world.until([client], () => server.isConnectionAvailable());
      const accepted = server.takeConnection();
      expect(accepted?.getStatus()).toBe(STATUS_CONNECTED);
      expect(server.isConnectionAvailable()).toBe(false);
      expect(server.takeConnection()).toBeNull();
      accepted!.disconnectFromHost();
      client.disconnectFromHost();
    });

    it("takeConnection() alone takes a connection accepted since the last call", async () => {
      const client = new StreamPeerTCP(world.options);
      client.connectToHost(world.host, server.getLocalPort());
      let accepted: StreamPeerTCP | null = null;
      const take = () => {
        accepted = server.takeConnection();
        return accepted !== null;
      };
      await world.until([client], take);
      await world.until([client], () => client.getStatus() === STATUS_CONNECTED);
      expect(accepted!.getConnectedPort()).toBe(client.getLocalPort());
      // poll() stays a harmless extra: nothing left to take, no error to report.
      expect(server.poll()).toBe(OK);
      expect(server.takeConnection()).toBeNull();
      accepted!.disconnectFromHost();
      client.disconnectFromHost();
    });

    it("a connect that nobody answers times out after connectTimeout, measured on the poll clock", async () => {
      const client = new StreamPeerTCP(world.options);
      client.connectTimeout = 120_000;
      // Connected and then silently unanswered is not a connect; use an address nobody has
      // in memory, and in real sockets an injected clock jump during a connect that cannot
      // complete before the next poll.
      expect(
        client.connectToHost(world.name === "memory" ? "10.255.255.1" : world.host, server.getLocalPort()),
      ).toBe(OK);
      world.advanceClock(120_001);
      expect(client.poll()).toBe(gdnet.ERR_CONNECTION_ERROR);
      expect(client.getStatus()).toBe(STATUS_ERROR);
    });

    it("a host name that does not resolve gives STATUS_ERROR at a later poll without blocking", async () => {
      let result: Awaited<ReturnType<typeof probeUnresolvable>>;
      if (world.name === "node") {
        const entry = new URL("../../dist/index.js", import.meta.url).href;
        const script = fileURLToPath(new URL("../fixtures/tcp-unresolvable.mjs", import.meta.url));
        const out = await runNodeWithLoopbackOnly([script, entry, world.unresolvableHost]);
        result = JSON.parse(out.trim().split("\n").pop()!);
      } else {
        result = await probeUnresolvable(gdnet, world.options, world.unresolvableHost, () =>
          Promise.resolve(world.advanceClock(16)),
        );
      }
      expect(result.connectResult).toBe(OK);
      expect(result.statusAfterConnect).toBe(STATUS_CONNECTING);
      expect(result.finalStatus).toBe(STATUS_ERROR);
      expect(result.polls).toBeGreaterThanOrEqual(1);
    });
  });
}
