import { detachString } from "./core/bytes.js";
import type { Clock } from "./core/Clock.js";
import { DeadlineList } from "./core/DeadlineList.js";
import { type StagedEventTarget, StagingQueue } from "./core/StagingQueue.js";
import { ErrorCode } from "./ErrorCode.js";
import { Godot3ServerPeer } from "./multiplayer/Godot3ServerPeer.js";
import { Signal } from "./Signal.js";
import { resolveNetwork } from "./transport/defaultTransport.js";
import type { NetworkOptions, Transport } from "./transport/Transport.js";
import {
  type WebSocketHandshake,
  type WebSocketHandshakeRequest,
  type WebSocketListener,
  WS_SERVER_ERROR,
  WS_SERVER_INCOMING,
  WS_SERVER_LISTENING,
  WS_SERVER_REQUEST,
} from "./transport/websocket.js";
import { WebSocketPeer } from "./WebSocketPeer.js";
import { selectProtocol } from "./websocket/handshake.js";
import { ServerPacketQueue } from "./websocket/ServerPacketQueue.js";
import type { WebSocketServerOptions } from "./websocket/ServerPeerSettings.js";

export type { WebSocketServerOptions } from "./websocket/ServerPeerSettings.js";

/**
 * Decides an upgrade request inside `WebSocketServer.poll()`: `true` accepts it; `false`
 * refuses it with HTTP 403; a number from 400 to 599 refuses it with that status.
 */
export type WebSocketHandshakeHook = (request: WebSocketHandshakeRequest) => boolean | number;

const NEVER = Number.POSITIVE_INFINITY;
const RECORD_CONNECTED = 1;
const RECORD_PACKET = 2;
const RECORD_CLOSE_REQUEST = 3;
const RECORD_DISCONNECTED = 4;

/**
 * A WebSocket server with numeric peer ids, driven by `poll()`.
 *
 * Ports Godot 3's `WebSocketServer` (the class Godot 4 folded into
 * `WebSocketMultiplayerPeer`), with Godot 4's peer settings. `poll()` applies what
 * happened to every peer since the last poll (its cost follows activity, not the number
 * of peers), then emits the signals in event order. Peer ids are random positive 31-bit
 * integers ≥ 2, unique among live peers, from the network's seedable source. Each peer
 * is a {@link WebSocketPeer} (polled by the server) with the server's limits; the
 * server adds a handshake timeout, a peer limit and a handshake hook.
 * In the browser build `listen` returns `ERR_UNAVAILABLE`.
 *
 * With `gdMpApi` (Godot 3's `gd_mp_api`) the server is a multiplayer peer that speaks
 * Godot 3's high-level protocol and relays between its clients, so Godot 3 games play
 * through it: see `docs/multiplayer.md`. In that mode it emits `peerConnected` and
 * `peerDisconnected` instead of `clientConnected`, `clientDisconnected` and
 * `dataReceived`, and `getPacket` reads the packets addressed to the server.
 */
export class WebSocketServer extends Godot3ServerPeer implements StagedEventTarget {
  /** A client completed the handshake. Ports `client_connected(id, protocol)`. */
  readonly clientConnected = new Signal<[id: number, protocol: string]>();
  /**
   * A client's connection is gone; `wasClean` when the closing handshake completed.
   * Ports `client_disconnected(id, was_clean_close)`.
   */
  readonly clientDisconnected = new Signal<[id: number, wasClean: boolean]>();
  /** A client sent a close frame. Ports `client_close_request(id, code, reason)`. */
  readonly clientCloseRequest = new Signal<[id: number, code: number, reason: string]>();
  /** A packet arrived from a client: emitted once per packet. Ports `data_received(id)`. */
  readonly dataReceived = new Signal<[id: number]>();

  /**
   * Decides each upgrade request inside `poll()` (origin or token checks); `null`
   * accepts every request that passes the protocol and peer-limit checks. gdnet addition.
   */
  handshakeHook: WebSocketHandshakeHook | null = null;

  /** @internal The queue every connection of this server stages into. */
  readonly queue = new StagingQueue();

  readonly #options: NetworkOptions | undefined;
  readonly #transport: Transport;
  readonly #now: Clock;
  readonly #peers = new Map<number, WebSocketPeer>();
  readonly #handshakes = new DeadlineList<WebSocketHandshake>();
  readonly #timers = new DeadlineList<WebSocketPeer>();
  #records: unknown[] = [];
  #spareRecords: unknown[] = [];
  readonly #packets = new ServerPacketQueue();
  #listener: WebSocketListener | null = null;
  #listening = false;
  #localPort = 0;
  #secure = false;
  #pollError: ErrorCode = ErrorCode.OK;
  #pollNow = Number.NaN;

  /** Creates a server that is not listening, on the default network or the one in `options`. */
  constructor(options?: NetworkOptions) {
    super();
    this.#options = options;
    const { transport, now } = resolveNetwork(options);
    this.#transport = transport;
    this.#now = now;
  }

  /**
   * Listens on `port` (0 picks a free one). `options` sets the bind address, TLS and any
   * server property before listening; Godot 3's form `listen(port, protocols)` is
   * accepted too. `ERR_ALREADY_IN_USE` when listening or for a busy port (with the
   * default bind address `"*"`, at once; with a specific address, at the next poll);
   * `ERR_INVALID_PARAMETER` for a bad port or address, or only one of `tlsKey`/`tlsCert`;
   * `ERR_UNAVAILABLE` in browsers. `gdMpApi` (the option, or Godot 3's third argument)
   * turns on Godot 3's multiplayer mode for this session. Ports `WebSocketServer.listen`.
   */
  listen(port: number, options: WebSocketServerOptions | readonly string[] = {}, gdMpApi = false): ErrorCode {
    const webSocket = this.#transport.webSocket;
    if (!webSocket.canServe) return ErrorCode.ERR_UNAVAILABLE;
    if (this.#listener !== null) return ErrorCode.ERR_ALREADY_IN_USE;
    const settings: WebSocketServerOptions = Array.isArray(options)
      ? { supportedProtocols: options as string[] }
      : (options as WebSocketServerOptions);
    const mode = this.configureGdMpApi(gdMpApi || settings.gdMpApi === true);
    if (mode !== ErrorCode.OK) return mode;
    if (!Number.isInteger(port) || port < 0 || port > 65535) return ErrorCode.ERR_INVALID_PARAMETER;
    this.applyOptions(settings);
    if (typeof this.bindAddress !== "string" || this.bindAddress.length === 0) {
      return ErrorCode.ERR_INVALID_PARAMETER;
    }
    if ((this.tlsKey === null) !== (this.tlsCert === null)) return ErrorCode.ERR_INVALID_PARAMETER;
    const result = webSocket.listen(
      { port, bindAddress: this.bindAddress, tlsKey: this.tlsKey, tlsCert: this.tlsCert },
      this.queue,
      this,
    );
    if (typeof result === "number") return result;
    this.#listener = result;
    this.#listening = true;
    this.#localPort = result.localPort;
    this.#secure = this.tlsKey !== null;
    this.#pollError = ErrorCode.OK;
    return ErrorCode.OK;
  }

  /**
   * Applies everything staged for the server and all its peers (handshakes, messages,
   * closes), runs the timeouts that fell due, then emits the signals in event order.
   * Returns a binding error observed in this poll (then `isListening()` is false),
   * otherwise OK. Ports `WebSocketServer.poll`.
   */
  poll(): ErrorCode {
    this.#pollError = ErrorCode.OK;
    this.#pollNow = Number.NaN;
    if (!this.queue.isEmpty) this.queue.drain();
    if (this.#handshakes.size > 0 || this.#timers.size > 0) this.#runTimers(this.#clock());
    if (this.#records.length > 0) this.#emitRecords();
    return this.#pollError;
  }

  /** Whether the server is listening. Ports `WebSocketServer.is_listening`. */
  isListening(): boolean {
    return this.#listening;
  }

  /** The port listened on (useful after `listen(0)`); 0 when not listening. gdnet addition. */
  getLocalPort(): number {
    return this.#localPort;
  }

  /**
   * Stops listening and frees the port: every peer is sent a close frame (1001) and
   * dropped, pending handshakes are dropped, and no signal follows for them. Packets not
   * read are discarded. Ports `WebSocketServer.stop`.
   */
  stop(): void {
    this.#listener?.close();
    this.#listener = null;
    this.#listening = false;
    this.#localPort = 0;
    // Connections staged since the last poll are dropped by this drain (no listener now).
    this.queue.drain();
    for (const handshake of this.#handshakes.takeAll()) if (!handshake.settled) handshake.destroy();
    for (const peer of this.#peers.values()) peer.shutdown(1001, "");
    this.#peers.clear();
    this.#timers.clear();
    this.#records.length = 0;
    this.#packets.clear();
    this.resetMultiplayer();
  }

  /** The peer with `id`, or `null`. Ports `WebSocketServer.get_peer`. */
  getPeer(id: number): WebSocketPeer | null {
    return this.#peers.get(id) ?? null;
  }

  /** Whether a peer with `id` is connected. Ports `WebSocketServer.has_peer`. */
  hasPeer(id: number): boolean {
    return this.#peers.has(id);
  }

  /** The ids of the connected peers, in connection order. gdnet addition. */
  getPeerIds(): number[] {
    return [...this.#peers.keys()];
  }

  /** The number of connected peers. gdnet addition. */
  getPeerCount(): number {
    return this.#peers.size;
  }

  /** A peer's IP address, `""` for an unknown id. Ports `WebSocketServer.get_peer_address`. */
  getPeerAddress(id: number): string {
    return this.#peers.get(id)?.getConnectedHost() ?? "";
  }

  /** A peer's port, 0 for an unknown id. Ports `WebSocketServer.get_peer_port`. */
  getPeerPort(id: number): number {
    return this.#peers.get(id)?.getConnectedPort() ?? 0;
  }

  /**
   * Closes a peer's connection with `code` and `reason` (the rules of
   * `WebSocketPeer.close`); `clientDisconnected` (in multiplayer mode `peerDisconnected`)
   * follows at a later poll. A boolean instead of a code is Godot 4's
   * `disconnect_peer(id, force)`: see `MultiplayerPeerApi.disconnectPeer`.
   * `ERR_INVALID_PARAMETER` for an unknown id or an invalid code or reason.
   * Ports `WebSocketServer.disconnect_peer`.
   */
  override disconnectPeer(id: number, code: number | boolean = 1000, reason = ""): ErrorCode {
    if (typeof code === "boolean") return super.disconnectPeer(id, code);
    const peer = this.#peers.get(id);
    if (peer === undefined) return ErrorCode.ERR_INVALID_PARAMETER;
    return peer.close(code, reason);
  }

  /**
   * Packets received from all peers and not yet read (through the server or the peers);
   * in multiplayer mode, the packets addressed to the server.
   * Ports `get_available_packet_count`.
   */
  override getAvailablePacketCount(): number {
    if (this.gdMpApi) return super.getAvailablePacketCount();
    return this.#packets.count;
  }

  /**
   * The id of the peer whose packet `getPacket` returns next (in multiplayer mode, its
   * sender); 0 when none. Ports `get_packet_peer`.
   */
  override getPacketPeer(): number {
    if (this.gdMpApi) return super.getPacketPeer();
    return this.#packets.next()?.serverId ?? 0;
  }

  /**
   * The oldest packet received from any peer (an empty array when none). Packets of one
   * peer come in order even when mixed with reads from `getPeer(id)`. In multiplayer mode,
   * the next packet addressed to the server, without its 9-byte header. Ports `get_packet`.
   */
  override getPacket(): Uint8Array {
    if (this.gdMpApi) return super.getPacket();
    return this.#packets.take();
  }

  /**
   * Sends `data` to every open peer except `exceptId`, framed once. A peer whose
   * outbound limits are reached is skipped. `ERR_INVALID_PARAMETER` for an unknown
   * write mode. gdnet addition.
   */
  broadcast(data: Uint8Array, writeMode: number = WebSocketPeer.WRITE_MODE_BINARY, exceptId = 0): ErrorCode {
    if (!(data instanceof Uint8Array)) throw new TypeError("broadcast expects a Uint8Array");
    if (writeMode !== WebSocketPeer.WRITE_MODE_TEXT && writeMode !== WebSocketPeer.WRITE_MODE_BINARY) {
      return ErrorCode.ERR_INVALID_PARAMETER;
    }
    if (this.#peers.size === 0) return ErrorCode.OK;
    const frame = this.#transport.webSocket.prepareFrame(data, writeMode === WebSocketPeer.WRITE_MODE_TEXT);
    for (const peer of this.#peers.values()) if (peer.serverId !== exceptId) peer.sendPrepared(frame);
    return ErrorCode.OK;
  }

  /** `broadcast` of the UTF-8 bytes of `text` as a text message. gdnet addition. */
  broadcastText(text: string, exceptId = 0): ErrorCode {
    if (typeof text !== "string") throw new TypeError("broadcastText expects a string");
    return this.broadcast(new TextEncoder().encode(text), WebSocketPeer.WRITE_MODE_TEXT, exceptId);
  }

  /** @internal Applies one staged server event. */
  applyStagedEvent(kind: number, a: unknown, b: unknown): void {
    void b;
    switch (kind) {
      case WS_SERVER_LISTENING:
        if (this.#listener !== null) this.#localPort = a as number;
        return;
      case WS_SERVER_ERROR:
        this.#listener?.close();
        this.#listener = null;
        this.#listening = false;
        this.#localPort = 0;
        this.#pollError = a as ErrorCode;
        return;
      case WS_SERVER_INCOMING: {
        const handshake = a as WebSocketHandshake;
        if (this.#listener === null) handshake.destroy();
        else this.#handshakes.add(this.#clock() + Math.max(0, this.handshakeTimeout) * 1000, handshake);
        return;
      }
      case WS_SERVER_REQUEST:
        this.#decide(a as WebSocketHandshake);
        return;
    }
  }

  /** @internal */
  wakeAt(peer: WebSocketPeer, at: number): void {
    if (at < peer.wakeTime) {
      peer.wakeTime = at;
      this.#timers.add(at, peer);
    }
  }

  /** @internal */
  peerOpened(peer: WebSocketPeer): void {
    void peer;
  }

  /** @internal */
  peerPacket(peer: WebSocketPeer): void {
    this.#packets.received(peer);
    this.#records.push(RECORD_PACKET, peer, undefined, undefined);
  }

  /** @internal */
  peerPacketTaken(peer: WebSocketPeer, count: number): void {
    void peer;
    this.#packets.taken(count);
  }

  /** @internal */
  peerCloseRequested(peer: WebSocketPeer, code: number, reason: string): void {
    this.#records.push(RECORD_CLOSE_REQUEST, peer, code, reason);
  }

  /** @internal */
  peerClosed(peer: WebSocketPeer, wasClean: boolean): void {
    this.#records.push(RECORD_DISCONNECTED, peer, wasClean, undefined);
  }

  /**
   * Called in `poll()` when a client has connected; emits `clientConnected` (in
   * multiplayer mode, announces the peer and emits `peerConnected`). A protocol layered
   * on the server may override it.
   */
  protected onPeerConnected(id: number, protocol: string): void {
    if (this.gdMpApi) this.announcePeer(id);
    else this.clientConnected.emit(id, protocol);
  }

  /**
   * Called in `poll()` once per packet received from `id` (the packet is already in
   * the peer's and the server's queue); emits `dataReceived` (in multiplayer mode,
   * relays the packet instead). A protocol layered on the server may override it to
   * consume the packet itself.
   */
  protected onPeerPacket(id: number): void {
    if (!this.gdMpApi) {
      this.dataReceived.emit(id);
      return;
    }
    // Read through the server's queue, which keeps it short: the packet of this record,
    // or the next one if a peer's packets were read directly.
    const source = this.#packets.next();
    if (source === undefined) return;
    const packet = this.#packets.take();
    this.relayPacket(source.serverId, packet, source.wasStringPacket());
  }

  /** Called in `poll()` when a client sent a close frame; emits `clientCloseRequest`. */
  protected onPeerCloseRequest(id: number, code: number, reason: string): void {
    this.clientCloseRequest.emit(id, code, reason);
  }

  /**
   * Called in `poll()` when a client's connection is gone (the peer has already been
   * removed from the server); emits `clientDisconnected` (in multiplayer mode, tells the
   * other peers and emits `peerDisconnected`).
   */
  protected onPeerDisconnected(id: number, wasClean: boolean): void {
    if (this.gdMpApi) this.announceDeparture(id);
    else this.clientDisconnected.emit(id, wasClean);
  }

  #decide(handshake: WebSocketHandshake): void {
    if (handshake.settled) return;
    // Decided now, one way or the other: its timeout no longer applies.
    this.#handshakes.remove(handshake);
    if (this.#listener === null) {
      handshake.destroy();
      return;
    }
    if (this.#peers.size >= this.maxPeers || this.refuseNewConnections) {
      handshake.refuse(503);
      return;
    }
    const protocol = selectProtocol(handshake.protocols, this.supportedProtocols);
    if (protocol === null) {
      handshake.refuse(400);
      return;
    }
    if (this.handshakeHook !== null) {
      const verdict = this.handshakeHook(handshake);
      if (verdict !== true) {
        handshake.refuse(typeof verdict === "number" && verdict >= 400 && verdict <= 599 ? verdict : 403);
        return;
      }
    }
    const peers = this.#peers;
    const id = this.#transport.random.nextPeerId((candidate) => peers.has(candidate));
    const peer = new WebSocketPeer(this.#options);
    this.configurePeer(peer);
    const connection = handshake.accept(
      protocol,
      {
        protocols: this.supportedProtocols,
        headers: this.handshakeHeaders,
        maxPayload: Math.max(0, this.inboundBufferSize),
      },
      this.queue,
      peer,
    );
    const host = handshake.headers.get("host") ?? "";
    // Detached: the Host header is a slice of the request, which the peer must not keep.
    const url = detachString(`${this.#secure ? "wss" : "ws"}://${host}${handshake.path}`);
    peer.adoptServerConnection(
      this,
      id,
      connection,
      protocol,
      { remoteAddress: handshake.remoteAddress, remotePort: handshake.remotePort },
      url,
    );
    peers.set(id, peer);
    this.#records.push(RECORD_CONNECTED, peer, protocol, undefined);
  }

  #runTimers(now: number): void {
    for (
      let handshake = this.#handshakes.takeDue(now);
      handshake !== undefined;
      handshake = this.#handshakes.takeDue(now)
    ) {
      if (!handshake.settled) handshake.destroy();
    }
    for (let peer = this.#timers.takeDue(now); peer !== undefined; peer = this.#timers.takeDue(now)) {
      if (peer.wakeTime > now) continue;
      peer.wakeTime = NEVER;
      const next = peer.serviceTimers(now);
      if (next < NEVER) this.wakeAt(peer, next);
    }
  }

  #emitRecords(): void {
    const records = this.#records;
    this.#records = this.#spareRecords;
    for (let i = 0; i < records.length; i += 4) {
      const peer = records[i + 1] as WebSocketPeer;
      const id = peer.serverId;
      switch (records[i]) {
        case RECORD_CONNECTED:
          this.onPeerConnected(id, records[i + 2] as string);
          break;
        case RECORD_PACKET:
          this.onPeerPacket(id);
          break;
        case RECORD_CLOSE_REQUEST:
          this.onPeerCloseRequest(id, records[i + 2] as number, records[i + 3] as string);
          break;
        case RECORD_DISCONNECTED:
          if (this.#peers.get(id) === peer) this.#peers.delete(id);
          this.onPeerDisconnected(id, records[i + 2] as boolean);
          break;
      }
    }
    records.length = 0;
    this.#spareRecords = records;
  }

  /** The poll clock, read at most once per poll. */
  #clock(): number {
    if (Number.isNaN(this.#pollNow)) this.#pollNow = this.#now();
    return this.#pollNow;
  }
}
