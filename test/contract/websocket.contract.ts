import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ERR_ALREADY_IN_USE,
  ERR_INVALID_PARAMETER,
  ERR_OUT_OF_MEMORY,
  ERR_UNAVAILABLE,
  FAILED,
  OK,
  StreamPeerTCP,
  TCPServer,
  WebSocketPeer,
  WebSocketServer,
} from "../../src/index.js";
import type { ContractWorld } from "./world.js";

const { STATE_CONNECTING, STATE_OPEN, STATE_CLOSING, STATE_CLOSED, WRITE_MODE_TEXT } = WebSocketPeer;
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (value: string) => new TextEncoder().encode(value);

/** Everything a server emitted, as readable strings, in order. */
function recordSignals(server: WebSocketServer): string[] {
  const events: string[] = [];
  server.clientConnected.connect((id, protocol) => events.push(`connected ${id} "${protocol}"`));
  server.dataReceived.connect((id) => events.push(`data ${id}`));
  server.clientCloseRequest.connect((id, code, reason) =>
    events.push(`close-request ${id} ${code} "${reason}"`),
  );
  server.clientDisconnected.connect((id, clean) => events.push(`disconnected ${id} ${clean}`));
  return events;
}

/** A minimal upgrade request, for raw TCP clients. */
function upgradeRequest(extra = ""): string {
  return (
    "GET / HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
    `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`
  );
}

/** The WebSocket behaviour every transport must show. */
export function defineWebSocketContract(makeWorld: () => ContractWorld): void {
  describe("WebSocketPeer and WebSocketServer", () => {
    let world: ContractWorld;
    let server: WebSocketServer;
    let events: string[];

    beforeEach(() => {
      world = makeWorld();
      server = new WebSocketServer(world.options);
      events = recordSignals(server);
    });

    afterEach(async () => {
      server.stop();
      await world.dispose();
    });

    function listen(options: Parameters<WebSocketServer["listen"]>[1] = {}): void {
      expect(server.listen(0, options)).toBe(OK);
    }

    /** Connects a client through the world's route; resolves once both sides settled. */
    async function connect(
      setup: (client: WebSocketPeer) => void = () => {},
      path = "/",
    ): Promise<{ client: WebSocketPeer; id: number; peer: WebSocketPeer | null; url: string }> {
      const target = await world.route(server.getLocalPort());
      const client = new WebSocketPeer(world.options);
      setup(client);
      const before = server.getPeerCount();
      const url = `ws://${target.host}:${target.port}${path}`;
      expect(client.connectToUrl(url)).toBe(OK);
      await world.until(
        [client, server],
        () =>
          (client.getReadyState() === STATE_OPEN && server.getPeerCount() > before) ||
          client.getReadyState() === STATE_CLOSED,
      );
      const ids = server.getPeerIds();
      const id = server.getPeerCount() > before ? ids[ids.length - 1]! : 0;
      return { client, id, peer: server.getPeer(id), url };
    }

    /**
     * Connects a client straight to the server (no fault proxy between them, so the only
     * buffers on the way are the transport's own) and returns it with its server-side peer.
     */
    async function connectDirect(): Promise<{ client: WebSocketPeer; peer: WebSocketPeer }> {
      const client = new WebSocketPeer(world.options);
      expect(client.connectToUrl(`ws://${world.host}:${server.getLocalPort()}/`)).toBe(OK);
      await world.until(
        [client, server],
        () => client.getReadyState() === STATE_OPEN && server.getPeerCount() === 1,
      );
      return { client, peer: server.getPeer(server.getPeerIds()[0]!)! };
    }

    /** A raw TCP client that sends `request` and collects what comes back. */
    async function rawExchange(request: string): Promise<{ raw: StreamPeerTCP; received: () => string }> {
      const raw = new StreamPeerTCP(world.options);
      expect(raw.connectToHost(world.host, server.getLocalPort())).toBe(OK);
      await world.until([raw, server], () => raw.getStatus() === StreamPeerTCP.STATUS_CONNECTED);
      if (request !== "") expect(raw.putData(bytes(request))).toBe(OK);
      let collected = "";
      return {
        raw,
        received: () => {
          const available = raw.getAvailableBytes();
          if (available > 0) collected += text(raw.getData(available)[1]);
          return collected;
        },
      };
    }

    it("connectToUrl is CONNECTING at once and OPEN at a later poll; the server reports an id ≥ 2", async () => {
      listen();
      const target = await world.route(server.getLocalPort());
      const client = new WebSocketPeer(world.options);
      expect(client.connectToUrl(`ws://${target.host}:${target.port}/chat?room=1`)).toBe(OK);
      expect(client.getReadyState()).toBe(STATE_CONNECTING);
      expect(client.getRequestedUrl()).toBe(`ws://${target.host}:${target.port}/chat?room=1`);
      await world.until(
        [client, server],
        () => client.getReadyState() === STATE_OPEN && server.getPeerCount() === 1,
      );
      const [id] = server.getPeerIds();
      expect(id).toBeGreaterThanOrEqual(2);
      expect(id).toBeLessThanOrEqual(0x7fffffff);
      expect(events).toEqual([`connected ${id} ""`]);
      expect(client.getSelectedProtocol()).toBe("");
      expect(client.getConnectedPort()).toBe(target.port);
      const peer = server.getPeer(id!)!;
      expect(peer.getReadyState()).toBe(STATE_OPEN);
      expect(peer.getRequestedUrl()).toBe(`ws://${target.host}:${target.port}/chat?room=1`);
      expect(server.getPeerAddress(id!)).toBe("127.0.0.1");
      expect(server.getPeerPort(id!)).toBeGreaterThan(0);
      expect(server.hasPeer(id!)).toBe(true);
      expect(server.getPeer(1)).toBeNull();
      client.close();
    });

    it("text stays text and binary stays binary, both ways, in order, empty messages included", async () => {
      listen();
      const { client, id, peer } = await connect();
      expect(client.sendText("héllo ✓")).toBe(OK);
      expect(client.send(new Uint8Array([0, 1, 255]))).toBe(OK);
      expect(client.send(new Uint8Array(0), WRITE_MODE_TEXT)).toBe(OK);
      expect(client.send(new Uint8Array(0))).toBe(OK);
      await world.until([server], () => peer!.getAvailablePacketCount() === 4);
      expect(events.filter((e) => e.startsWith("data"))).toEqual(Array(4).fill(`data ${id}`));
      expect(text(peer!.getPacket())).toBe("héllo ✓");
      expect(peer!.wasStringPacket()).toBe(true);
      expect([...peer!.getPacket()]).toEqual([0, 1, 255]);
      expect(peer!.wasStringPacket()).toBe(false);
      expect(peer!.getPacket().byteLength).toBe(0);
      expect(peer!.wasStringPacket()).toBe(true);
      expect(peer!.getPacket().byteLength).toBe(0);
      expect(peer!.wasStringPacket()).toBe(false);
      expect(peer!.sendText("answer")).toBe(OK);
      expect(peer!.putPacket(new Uint8Array([9, 8]))).toBe(OK);
      await world.until([client], () => client.getAvailablePacketCount() === 2);
      expect(text(client.getPacket())).toBe("answer");
      expect(client.wasStringPacket()).toBe(true);
      expect([...client.getPacket()]).toEqual([9, 8]);
      expect(client.wasStringPacket()).toBe(false);
      expect(client.getPacket().byteLength).toBe(0);
      expect(client.getPacketError()).toBe(ERR_UNAVAILABLE);
      client.close();
    });

    it("what arrives between two polls is invisible until poll(), and signals fire only inside poll()", async () => {
      listen();
      const { client, id, peer } = await connect();
      events.length = 0;
      client.sendText("one");
      client.sendText("two");
      for (let i = 0; i < 5; i++) await world.frame([client]);
      expect(peer!.getAvailablePacketCount()).toBe(0);
      expect(server.getAvailablePacketCount()).toBe(0);
      expect(events).toEqual([]);
      server.poll();
      expect(events).toEqual([`data ${id}`, `data ${id}`]);
      expect(peer!.getAvailablePacketCount()).toBe(2);
      peer!.close(4000, "later");
      for (let i = 0; i < 5; i++) await world.frame([server]);
      expect(client.getReadyState()).toBe(STATE_OPEN);
      expect(client.getCloseCode()).toBe(-1);
      client.poll();
      await world.until([client, server], () => client.getReadyState() === STATE_CLOSED);
      expect(client.getCloseCode()).toBe(4000);
    });

    it("packets received before a remote close stay readable after it", async () => {
      listen();
      const { client, id } = await connect();
      const peer = server.getPeer(id)!;
      peer.sendText("a");
      peer.sendText("b");
      peer.send(new Uint8Array([3]));
      expect(server.disconnectPeer(id, 4001, "bye")).toBe(OK);
      await world.until([client, server], () => client.getReadyState() === STATE_CLOSED);
      expect(client.getCloseCode()).toBe(4001);
      expect(client.getCloseReason()).toBe("bye");
      expect(client.getAvailablePacketCount()).toBe(3);
      expect(text(client.getPacket())).toBe("a");
      expect(text(client.getPacket())).toBe("b");
      expect([...client.getPacket()]).toEqual([3]);
      expect(client.getPacket().byteLength).toBe(0);
      expect(client.getPacketError()).toBe(FAILED);
    });

    it("the first of the client's subprotocols that the server supports is agreed", async () => {
      listen({ supportedProtocols: [" chat ", "superchat"] });
      expect(server.supportedProtocols).toEqual(["chat", "superchat"]);
      const { client, id } = await connect((c) => {
        c.supportedProtocols = ["superchat ", "chat"];
      });
      expect(client.getReadyState()).toBe(STATE_OPEN);
      expect(client.getSelectedProtocol()).toBe("superchat");
      expect(server.getPeer(id)!.getSelectedProtocol()).toBe("superchat");
      expect(events).toEqual([`connected ${id} "superchat"`]);
      client.close();
    });

    it("a client offering none of the server's subprotocols is refused with 400 and ends CLOSED with -1", async () => {
      listen({ supportedProtocols: ["chat"] });
      const { client } = await connect((c) => {
        c.supportedProtocols = ["other"];
      });
      expect(client.getReadyState()).toBe(STATE_CLOSED);
      expect(client.getCloseCode()).toBe(-1);
      const none = await connect();
      expect(none.client.getReadyState()).toBe(STATE_CLOSED);
      expect(server.getPeerCount()).toBe(0);
      expect(events).toEqual([]);
      const { raw, received } = await rawExchange(upgradeRequest());
      await world.until([raw, server], () => received().includes("\r\n\r\n"));
      expect(received()).toMatch(/^HTTP\/1\.1 400 /);
    });

    it("close(4000, reason) from the client: CLOSING at once, then CLOSED clean on both sides", async () => {
      listen();
      const { client, id } = await connect();
      expect(client.close(4000, "done")).toBe(OK);
      expect(client.getReadyState()).toBe(STATE_CLOSING);
      expect(client.send(new Uint8Array([1]))).toBe(FAILED);
      await world.until(
        [client, server],
        () => client.getReadyState() === STATE_CLOSED && server.getPeerCount() === 0,
      );
      expect(client.getCloseCode()).toBe(4000);
      expect(client.getCloseReason()).toBe("done");
      expect(events.slice(1)).toEqual([`close-request ${id} 4000 "done"`, `disconnected ${id} true`]);
    });

    it("disconnectPeer sends its code and reason; the server reports a clean disconnect", async () => {
      listen();
      const { client, id, peer } = await connect();
      expect(server.disconnectPeer(id, 4002, "kick")).toBe(OK);
      expect(peer!.getReadyState()).toBe(STATE_CLOSING);
      await world.until(
        [client, server],
        () => client.getReadyState() === STATE_CLOSED && server.getPeerCount() === 0,
      );
      expect(client.getCloseCode()).toBe(4002);
      expect(client.getCloseReason()).toBe("kick");
      expect(peer!.getCloseCode()).toBe(4002);
      expect(events.slice(1)).toEqual([`disconnected ${id} true`]);
      expect(server.disconnectPeer(id)).toBe(ERR_INVALID_PARAMETER);
    });

    it("close() while CONNECTING is CLOSED at once with -1, and the server never reports the client", async () => {
      listen();
      const client = new WebSocketPeer(world.options);
      expect(client.connectToUrl(`ws://${world.host}:${server.getLocalPort()}`)).toBe(OK);
      expect(client.close()).toBe(OK);
      expect(client.getReadyState()).toBe(STATE_CLOSED);
      expect(client.getCloseCode()).toBe(-1);
      for (let i = 0; i < 10; i++) await world.frame([client, server]);
      expect(client.getReadyState()).toBe(STATE_CLOSED);
      expect(events).toEqual([]);
      expect(server.getPeerCount()).toBe(0);
    });

    it("close() while CLOSING changes nothing; close() while CLOSED drops the unread packets", async () => {
      listen();
      const { client, peer } = await connect();
      peer!.sendText("unread");
      await world.until([client], () => client.getAvailablePacketCount() === 1);
      expect(client.close(4000, "first")).toBe(OK);
      expect(client.close(4005, "second")).toBe(OK);
      expect(client.getReadyState()).toBe(STATE_CLOSING);
      await world.until([client, server], () => client.getReadyState() === STATE_CLOSED);
      expect(client.getCloseCode()).toBe(4000);
      expect(client.getAvailablePacketCount()).toBe(1);
      expect(client.close()).toBe(OK);
      expect(client.getAvailablePacketCount()).toBe(0);
    });

    it("close(-1) drops the connection at once without a close frame: the remote sees -1, unclean", async () => {
      listen();
      const { client, id } = await connect();
      expect(client.close(-1)).toBe(OK);
      expect(client.getReadyState()).toBe(STATE_CLOSED);
      expect(client.getCloseCode()).toBe(-1);
      await world.until([server], () => server.getPeerCount() === 0);
      expect(events.slice(1)).toEqual([`disconnected ${id} false`]);
    });

    it("an invalid close code or an over-long reason is refused and the peer stays OPEN and usable", async () => {
      listen();
      const { client, peer } = await connect();
      for (const code of [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 1000.5]) {
        expect(client.close(code), `code ${code}`).toBe(ERR_INVALID_PARAMETER);
      }
      expect(client.close(1000, "x".repeat(124))).toBe(ERR_INVALID_PARAMETER);
      expect(client.close(1000, "é".repeat(62))).toBe(ERR_INVALID_PARAMETER);
      expect(client.getReadyState()).toBe(STATE_OPEN);
      expect(client.sendText("still here")).toBe(OK);
      await world.until([server], () => peer!.getAvailablePacketCount() === 1);
      expect(text(peer!.getPacket())).toBe("still here");
      expect(client.close(3000, "é".repeat(61))).toBe(OK);
      await world.until([client, server], () => client.getReadyState() === STATE_CLOSED);
      expect(client.getCloseCode()).toBe(3000);
    });

    it("a server closes with 1001, 1008 and 1011 and reason; the client sees each, and clientDisconnected reports it", async () => {
      listen();
      const disconnects: string[] = [];
      server.clientDisconnected.connect((id, clean, code, reason) =>
        disconnects.push(`${id} ${clean} ${code} ${reason}`),
      );
      for (const [code, reason] of [
        [1001, "going away"],
        [1008, "policy violation"],
        [1011, "internal error"],
      ] as const) {
        const { client, id } = await connect();
        expect(server.disconnectPeer(id, code, reason)).toBe(OK);
        await world.until(
          [client, server],
          () => client.getReadyState() === STATE_CLOSED && !server.hasPeer(id),
        );
        expect(client.getCloseCode()).toBe(code);
        expect(client.getCloseReason()).toBe(reason);
        expect(disconnects.at(-1)).toBe(`${id} true ${code} ${reason}`);
      }
    });

    it("clientDisconnected carries the code and reason of every way a peer ends: remote close, limit, reset", async () => {
      listen({ inboundBufferSize: 16 });
      const disconnects = new Map<number, string>();
      server.clientDisconnected.connect((id, clean, code, reason) =>
        disconnects.set(id, `${clean} ${code} ${reason}`),
      );
      const remote = await connect();
      const limited = await connect();
      const reset = await connect();
      expect(remote.client.close(4001, "bye")).toBe(OK);
      expect(limited.client.send(new Uint8Array(17))).toBe(OK);
      expect(server.disconnectPeer(reset.id, true)).toBe(OK);
      await world.until([remote.client, limited.client, reset.client, server], () => disconnects.size === 3);
      expect(disconnects.get(remote.id)).toBe("true 4001 bye");
      expect(disconnects.get(limited.id)).toBe("false 1009 Message too big");
      expect(disconnects.get(reset.id)).toBe("false -1 ");
    });

    it("a client offering a subprotocol the server lacks is refused and both sides say why", async () => {
      listen();
      const refusals: string[] = [];
      server.handshakeRefused.connect((_address, _port, reason) => refusals.push(reason));
      const { client } = await connect((c) => {
        c.supportedProtocols = ["lws-mirror-protocol"];
      });
      expect(client.getReadyState()).toBe(STATE_CLOSED);
      expect(client.getCloseCode()).toBe(-1);
      await world.until([server], () => refusals.length === 1);
      expect(refusals[0]).toContain("no common subprotocol");
      expect(refusals[0]).toContain("lws-mirror-protocol");
      expect(client.getCloseReason()).toBe("HTTP/1.1 400 Bad Request");
    });

    it("a malformed upgrade and an over-full server are reported by handshakeRefused", async () => {
      listen({ maxPeers: 1 });
      const refusals: string[] = [];
      server.handshakeRefused.connect((_address, _port, reason) => refusals.push(reason));
      await connect();
      const full = await connect();
      expect(full.client.getCloseReason()).toBe("HTTP/1.1 503 Service Unavailable");
      const { raw, received } = await rawExchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      await world.until([server], () => refusals.length === 2);
      expect(refusals).toEqual(["server full (HTTP 503)", "malformed upgrade request (HTTP 400)"]);
      await world.until([server, raw], () => received().startsWith("HTTP/1.1 400"));
    });

    it("a CLOSING peer whose remote never answers is CLOSED with -1 after closeTimeout", async () => {
      listen();
      const { client } = await connect();
      client.closeTimeout = 2;
      world.holdClock();
      world.dropRouted();
      expect(client.close(4000)).toBe(OK);
      for (let i = 0; i < 5; i++) await world.frame([client]);
      expect(client.getReadyState()).toBe(STATE_CLOSING);
      world.advanceClock(1900);
      await world.frame([client]);
      expect(client.getReadyState()).toBe(STATE_CLOSING);
      world.advanceClock(200);
      await world.frame([client]);
      expect(client.getReadyState()).toBe(STATE_CLOSED);
      expect(client.getCloseCode()).toBe(-1);
    });

    it("a server port that refuses new connections fails new clients with -1 while connected ones go on", async () => {
      listen();
      const { client, id, url } = await connect();
      world.refuseRouted();
      const late = new WebSocketPeer(world.options);
      expect(late.connectToUrl(url)).toBe(OK);
      await world.until([late, server], () => late.getReadyState() === STATE_CLOSED);
      expect(late.getCloseCode()).toBe(-1);
      expect(client.sendText("still here")).toBe(OK);
      await world.until([client, server], () => server.getAvailablePacketCount() > 0);
      expect(server.getPacketPeer()).toBe(id);
      expect(text(server.getPacket())).toBe("still here");
      expect(server.getPeerCount()).toBe(1);
    });

    it("a reset is reported as -1 on both sides", async () => {
      listen();
      const { client, id } = await connect();
      world.resetRouted();
      await world.until(
        [client, server],
        () => client.getReadyState() === STATE_CLOSED && server.getPeerCount() === 0,
      );
      expect(client.getCloseCode()).toBe(-1);
      expect(events.slice(1)).toEqual([`disconnected ${id} false`]);
      expect(client.sendText("x")).toBe(FAILED);
    });

    it("a silently dropped connection stays OPEN until the heartbeat closes it with -1 within two intervals", async () => {
      listen();
      const { client } = await connect();
      client.heartbeatInterval = 1;
      // The first ping goes out at once and is answered.
      for (let i = 0; i < 10; i++) await world.frame([client, server]);
      world.holdClock();
      world.dropRouted();
      for (let i = 0; i < 10; i++) await world.frame([client, server]);
      expect(client.getReadyState()).toBe(STATE_OPEN);
      world.advanceClock(1000);
      await world.frame([client]);
      expect(client.getReadyState()).toBe(STATE_OPEN);
      world.advanceClock(1000);
      await world.frame([client]);
      expect(client.getReadyState()).toBe(STATE_CLOSED);
      expect(client.getCloseCode()).toBe(-1);
    });

    it("a server heartbeat drops a silent client within two intervals: clientDisconnected(false)", async () => {
      listen({ heartbeatInterval: 1 });
      const { id } = await connect();
      for (let i = 0; i < 10; i++) await world.frame([server]);
      world.holdClock();
      world.dropRouted();
      world.advanceClock(1000);
      await world.frame([server]);
      expect(server.hasPeer(id)).toBe(true);
      world.advanceClock(1000);
      await world.frame([server]);
      expect(server.hasPeer(id)).toBe(false);
      expect(events.slice(1)).toEqual([`disconnected ${id} false`]);
    });

    it("a message over inboundBufferSize closes with 1009; one of exactly that size is accepted", async () => {
      listen();
      const { client, id, peer } = await connect((c) => {
        c.inboundBufferSize = 10;
      });
      client.inboundBufferSize = 1;
      peer!.send(new Uint8Array(10));
      await world.until([client], () => client.getAvailablePacketCount() === 1);
      peer!.send(new Uint8Array(11));
      await world.until(
        [client, server],
        () => client.getReadyState() === STATE_CLOSED && server.getPeerCount() === 0,
      );
      expect(client.getCloseCode()).toBe(1009);
      expect(client.getCloseReason()).toBe("Message too big");
      expect(client.getAvailablePacketCount()).toBe(1);
      expect(events.slice(1)).toEqual([`close-request ${id} 1009 ""`, `disconnected ${id} true`]);
    });

    it("a send over outboundBufferSize returns ERR_OUT_OF_MEMORY and queues nothing", async () => {
      listen();
      const { client, peer } = await connect();
      client.outboundBufferSize = 100;
      expect(client.send(new Uint8Array(101))).toBe(ERR_OUT_OF_MEMORY);
      expect(client.getCurrentOutboundBufferedAmount()).toBe(0);
      expect(client.send(new Uint8Array(100))).toBe(OK);
      await world.until([client, server], () => peer!.getAvailablePacketCount() === 1);
      for (let i = 0; i < 5; i++) await world.frame([client, server]);
      expect(peer!.getAvailablePacketCount()).toBe(1);
      expect(peer!.getPacket().byteLength).toBe(100);
      const fresh = new WebSocketPeer(world.options);
      expect(fresh.send(new Uint8Array(1))).toBe(FAILED);
      expect(fresh.getCurrentOutboundBufferedAmount()).toBe(0);
      client.close();
    });

    it("a client that stops polling makes the server wait: its sends are refused past outboundBufferSize, and every accepted message arrives in order later", async () => {
      listen();
      const { client, peer } = await connectDirect();
      const MESSAGE = 16 * 1024;
      let sent = 0;
      let refused = false;
      // The client's game has stopped polling; the server sends a few messages a frame
      // until a send is refused. Without flow control, the client would take everything.
      await world.until(
        [server],
        () => {
          for (let k = 0; k < 4 && !refused; k++) {
            const message = new Uint8Array(MESSAGE).fill(sent & 0xff);
            new DataView(message.buffer).setUint32(0, sent, true);
            if (peer.putPacket(message) === OK) sent++;
            else refused = true;
          }
          return refused || sent > 16_384;
        },
        30_000,
      );
      expect(refused).toBe(true);
      let next = 0;
      let wrong = -1;
      await world.until(
        [client, server],
        () => {
          while (client.getAvailablePacketCount() > 0) {
            const packet = client.getPacket();
            const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
            if (wrong < 0 && (packet.byteLength !== MESSAGE || view.getUint32(0, true) !== next))
              wrong = next;
            next++;
          }
          return next >= sent;
        },
        30_000,
      );
      expect(wrong).toBe(-1);
      expect(next).toBe(sent);
      expect(client.getReadyState()).toBe(STATE_OPEN);
      client.close();
    }, 60_000);

    it("with the client not polling, maxQueuedPackets refuses the send that would make one message too many wait", async () => {
      listen();
      const { client, peer } = await connectDirect();
      peer.outboundBufferSize = 0; // no byte limit: only the message count refuses
      peer.maxQueuedPackets = 8;
      const MESSAGE = 32 * 1024; // within the client's inboundBufferSize
      let sent = 0;
      let refused = false;
      await world.until(
        [server],
        () => {
          if (peer.putPacket(new Uint8Array(MESSAGE)) === OK) sent++;
          else refused = true;
          return refused || sent > 4096;
        },
        30_000,
      );
      expect(refused).toBe(true);
      // Eight messages wait, whole or in part (a socket may have taken the start of one).
      const waiting = peer.getCurrentOutboundBufferedAmount();
      expect(waiting).toBeGreaterThan(7 * MESSAGE);
      expect(waiting).toBeLessThanOrEqual(8 * (MESSAGE + 14));
      let received = 0;
      await world.until(
        [client, server],
        () => {
          while (client.getAvailablePacketCount() > 0)
            if (client.getPacket().byteLength === MESSAGE) received++;
          return received >= sent;
        },
        30_000,
      );
      expect(received).toBe(sent);
      client.close();
    }, 60_000);

    it("a TCP client that never upgrades is dropped after handshakeTimeout", async () => {
      listen({ handshakeTimeout: 3 });
      world.holdClock();
      const { raw } = await rawExchange("");
      for (let i = 0; i < 5; i++) await world.frame([raw, server]);
      world.advanceClock(2500);
      for (let i = 0; i < 3; i++) await world.frame([raw, server]);
      expect(raw.getStatus()).toBe(StreamPeerTCP.STATUS_CONNECTED);
      world.advanceClock(600);
      await world.until([raw, server], () => raw.getStatus() !== StreamPeerTCP.STATUS_CONNECTED);
      expect(events).toEqual([]);
    });

    it("maxPeers refuses an upgrade past the limit with HTTP 503", async () => {
      listen({ maxPeers: 1 });
      const first = await connect();
      expect(first.client.getReadyState()).toBe(STATE_OPEN);
      const second = await connect();
      expect(second.client.getReadyState()).toBe(STATE_CLOSED);
      expect(second.client.getCloseCode()).toBe(-1);
      const { raw, received } = await rawExchange(upgradeRequest());
      await world.until([raw, server], () => received().includes("\r\n\r\n"));
      expect(received()).toMatch(/^HTTP\/1\.1 503 /);
      expect(server.getPeerCount()).toBe(1);
      first.client.close();
    });

    it("the handshake hook sees the request and may refuse it with an HTTP status", async () => {
      const seen: string[] = [];
      server.handshakeHook = (request) => {
        seen.push(`${request.path} ${request.headers.get("x-token")} ${request.protocols.join(",")}`);
        return request.headers.get("x-token") === "good" ? true : 401;
      };
      listen({ supportedProtocols: ["chat"] });
      const accepted = await connect((c) => {
        c.handshakeHeaders = ["X-Token: good"];
        c.supportedProtocols = ["chat"];
      }, "/room?a=1");
      expect(accepted.client.getReadyState()).toBe(STATE_OPEN);
      const refused = await connect((c) => {
        c.handshakeHeaders = ["X-Token: bad"];
        c.supportedProtocols = ["chat"];
      });
      expect(refused.client.getReadyState()).toBe(STATE_CLOSED);
      const { raw, received } = await rawExchange(upgradeRequest("Sec-WebSocket-Protocol: chat\r\n"));
      await world.until([raw, server], () => received().includes("\r\n\r\n"));
      expect(received()).toMatch(/^HTTP\/1\.1 401 /);
      expect(seen).toEqual(["/room?a=1 good chat", "/ bad chat", "/ undefined chat"]);
      server.handshakeHook = () => false;
      const forbidden = await rawExchange(upgradeRequest("Sec-WebSocket-Protocol: chat\r\n"));
      await world.until([forbidden.raw, server], () => forbidden.received().includes("\r\n\r\n"));
      expect(forbidden.received()).toMatch(/^HTTP\/1\.1 403 /);
      accepted.client.close();
    });

    it("junk instead of an upgrade request is answered with 400 and the server stays usable", async () => {
      listen();
      const { raw, received } = await rawExchange("hello there\r\n\r\n");
      await world.until([raw, server], () => received().includes("\r\n\r\n"));
      expect(received()).toMatch(/^HTTP\/1\.1 400 /);
      await world.until([raw], () => raw.getStatus() !== StreamPeerTCP.STATUS_CONNECTED);
      const { client } = await connect();
      expect(client.getReadyState()).toBe(STATE_OPEN);
      client.close();
    });

    it("an unmasked frame from a client fails its connection with 1002 (clientDisconnected false)", async () => {
      listen();
      const { raw, received } = await rawExchange(upgradeRequest());
      await world.until([raw, server], () => received().includes("\r\n\r\n") && server.getPeerCount() === 1);
      expect(received()).toMatch(/^HTTP\/1\.1 101 /);
      const id = server.getPeerIds()[0]!;
      const peer = server.getPeer(id)!;
      raw.putData(new Uint8Array([0x81, 0x02, 0x68, 0x69]));
      await world.until([raw, server], () => server.getPeerCount() === 0);
      expect(peer.getCloseCode()).toBe(1002);
      expect(peer.getReadyState()).toBe(STATE_CLOSED);
      expect(events).toEqual([`connected ${id} ""`, `disconnected ${id} false`]);
    });

    it("broadcast reaches every open peer except the excluded id, framed as the write mode says", async () => {
      listen();
      const clients = [await connect(), await connect(), await connect()];
      const excluded = clients[1]!.id;
      expect(server.broadcastText("to all but one", excluded)).toBe(OK);
      expect(server.broadcast(new Uint8Array([7]))).toBe(OK);
      expect(server.broadcast(new Uint8Array([7]), 5)).toBe(ERR_INVALID_PARAMETER);
      const expected = [2, 1, 2];
      await world.until(
        clients.map((c) => c.client),
        () => clients.every((c, i) => c.client.getAvailablePacketCount() === expected[i]),
      );
      for (let i = 0; i < 5; i++) await world.frame(clients.map((c) => c.client));
      expect(clients.map((c) => c.client.getAvailablePacketCount())).toEqual(expected);
      expect(text(clients[0]!.client.getPacket())).toBe("to all but one");
      expect(clients[0]!.client.wasStringPacket()).toBe(true);
      expect([...clients[1]!.client.getPacket()]).toEqual([7]);
      expect(clients[1]!.client.wasStringPacket()).toBe(false);
      for (const { client } of clients) client.close();
    });

    it("the server-level queue gives every peer's packets in arrival order", async () => {
      listen();
      const a = await connect();
      const b = await connect();
      a.client.sendText("a1");
      await world.until([server], () => server.getAvailablePacketCount() === 1);
      b.client.sendText("b1");
      await world.until([server], () => server.getAvailablePacketCount() === 2);
      a.client.sendText("a2");
      await world.until([server], () => server.getAvailablePacketCount() === 3);
      expect(server.getPacketPeer()).toBe(a.id);
      expect(text(server.getPacket())).toBe("a1");
      // Reading through the peer counts too.
      expect(text(server.getPeer(b.id)!.getPacket())).toBe("b1");
      expect(server.getAvailablePacketCount()).toBe(1);
      expect(server.getPacketPeer()).toBe(a.id);
      expect(text(server.getPacket())).toBe("a2");
      expect(server.getAvailablePacketCount()).toBe(0);
      expect(server.getPacketPeer()).toBe(0);
      expect(server.getPacket().byteLength).toBe(0);
      a.client.close();
      b.client.close();
    });

    it("stop() closes every client with 1001 and frees the port", async () => {
      listen();
      const port = server.getLocalPort();
      const a = await connect();
      const b = await connect();
      server.stop();
      expect(server.isListening()).toBe(false);
      expect(server.getPeerCount()).toBe(0);
      await world.until(
        [a.client, b.client],
        () => a.client.getReadyState() === STATE_CLOSED && b.client.getReadyState() === STATE_CLOSED,
      );
      expect(a.client.getCloseCode()).toBe(1001);
      expect(b.client.getCloseCode()).toBe(1001);
      const again = new WebSocketServer(world.options);
      expect(again.listen(port)).toBe(OK);
      again.stop();
    });

    it("acceptStream completes the handshake over a TCPServer connection (Godot 4's server)", async () => {
      const tcp = new TCPServer(world.options);
      expect(tcp.listen(0)).toBe(OK);
      const target = await world.route(tcp.getLocalPort());
      const client = new WebSocketPeer(world.options);
      client.supportedProtocols = ["x", "chat"];
      client.connectToUrl(`ws://${target.host}:${target.port}/game`);
      await world.until([client, tcp], () => tcp.isConnectionAvailable());
      const accepted = new WebSocketPeer(world.options);
      accepted.supportedProtocols = ["chat"];
      expect(accepted.acceptStream(null as unknown as StreamPeerTCP)).toBe(ERR_INVALID_PARAMETER);
      expect(accepted.acceptStream(tcp.takeConnection()!)).toBe(OK);
      expect(accepted.getReadyState()).toBe(STATE_CONNECTING);
      await world.until(
        [client, accepted],
        () => client.getReadyState() === STATE_OPEN && accepted.getReadyState() === STATE_OPEN,
      );
      expect(accepted.getSelectedProtocol()).toBe("chat");
      expect(client.getSelectedProtocol()).toBe("chat");
      expect(accepted.getRequestedUrl()).toBe(`ws://${target.host}:${target.port}/game`);
      expect(accepted.getConnectedHost()).toBe("127.0.0.1");
      expect(accepted.acceptStream(new StreamPeerTCP(world.options))).toBe(ERR_ALREADY_IN_USE);
      client.sendText("ping");
      await world.until([accepted], () => accepted.getAvailablePacketCount() === 1);
      expect(text(accepted.getPacket())).toBe("ping");
      accepted.close(4003, "over");
      await world.until(
        [client, accepted],
        () => client.getReadyState() === STATE_CLOSED && accepted.getReadyState() === STATE_CLOSED,
      );
      expect(client.getCloseCode()).toBe(4003);
      expect(accepted.getCloseCode()).toBe(4003);
      tcp.stop();
    });

    it("acceptStream answers a request offering no supported subprotocol with 400 and ends CLOSED", async () => {
      const tcp = new TCPServer(world.options);
      expect(tcp.listen(0)).toBe(OK);
      const raw = new StreamPeerTCP(world.options);
      raw.connectToHost(world.host, tcp.getLocalPort());
      await world.until(
        [raw, tcp],
        () => tcp.isConnectionAvailable() && raw.getStatus() === StreamPeerTCP.STATUS_CONNECTED,
      );
      const accepted = new WebSocketPeer(world.options);
      accepted.supportedProtocols = ["chat"];
      expect(accepted.acceptStream(tcp.takeConnection()!)).toBe(OK);
      raw.putData(bytes(upgradeRequest()));
      let response = "";
      await world.until([raw, accepted], () => {
        const n = raw.getAvailableBytes();
        if (n > 0) response += text(raw.getData(n)[1]);
        return accepted.getReadyState() === STATE_CLOSED && response.includes("\r\n\r\n");
      });
      expect(response).toMatch(/^HTTP\/1\.1 400 /);
      expect(accepted.getCloseCode()).toBe(-1);
      tcp.stop();
    });

    it("connecting to a closed port ends CLOSED with -1", async () => {
      const client = new WebSocketPeer(world.options);
      expect(client.connectToUrl(`ws://${world.host}:${await world.closedPort()}`)).toBe(OK);
      await world.until([client], () => client.getReadyState() === STATE_CLOSED);
      expect(client.getCloseCode()).toBe(-1);
      expect(client.getReadyState()).toBe(STATE_CLOSED);
    });

    it("bad arguments return Godot's errors and leave the peer usable", async () => {
      listen();
      const client = new WebSocketPeer(world.options);
      expect(client.connectToUrl("")).toBe(ERR_INVALID_PARAMETER);
      expect(client.connectToUrl("http://127.0.0.1:80")).toBe(ERR_INVALID_PARAMETER);
      expect(client.connectToUrl("ws://:80")).toBe(ERR_INVALID_PARAMETER);
      expect(client.connectToUrl("ws://127.0.0.1:0")).toBe(ERR_INVALID_PARAMETER);
      expect(client.connectToUrl("ws://127.0.0.1:65536")).toBe(ERR_INVALID_PARAMETER);
      expect(client.connectToUrl("ws://127.0.0.1:port")).toBe(ERR_INVALID_PARAMETER);
      expect(client.connectToUrl("ws://user@127.0.0.1:80")).toBe(ERR_INVALID_PARAMETER);
      expect(client.send(new Uint8Array([1]), 7)).toBe(ERR_INVALID_PARAMETER);
      expect(client.sendText("x")).toBe(FAILED);
      expect(client.getReadyState()).toBe(STATE_CLOSED);
      expect(client.getPacket().byteLength).toBe(0);
      expect(client.getPacketError()).toBe(FAILED);
      expect(client.close()).toBe(OK);
      // No scheme means ws://.
      expect(client.connectToUrl(`${world.host}:${server.getLocalPort()}`)).toBe(OK);
      expect(client.connectToUrl(`ws://${world.host}:${server.getLocalPort()}`)).toBe(ERR_ALREADY_IN_USE);
      await world.until([client, server], () => client.getReadyState() === STATE_OPEN);
      client.close();
      const busy = new WebSocketServer(world.options);
      expect(busy.listen(server.getLocalPort())).toBe(ERR_ALREADY_IN_USE);
      expect(busy.listen(70000)).toBe(ERR_INVALID_PARAMETER);
      expect(busy.listen(-1)).toBe(ERR_INVALID_PARAMETER);
      expect(busy.listen(0, { bindAddress: "not an address" })).toBe(ERR_INVALID_PARAMETER);
      expect(busy.listen(0, { bindAddress: "*", tlsKey: "only a key" })).toBe(ERR_INVALID_PARAMETER);
      expect(busy.listen(0, { tlsKey: null })).toBe(OK);
      expect(busy.listen(0)).toBe(ERR_ALREADY_IN_USE);
      busy.stop();
    });
  });
}
