// Why this file is long: it is the whole public API of a Godot class (settings, signals,
// methods, the MultiplayerPeer face), each member documented where it is declared; the
// machinery lives in websocket/ServerConnections.ts, Godot 3's protocol in
// multiplayer/Godot3ServerRelay.ts.
import type { ClusterMembership } from "./cluster/ClusterMembership.js";
import { prepareCluster, startCluster } from "./cluster/join.js";
import type { Clock } from "./core/Clock.js";
import type { StagingQueue } from "./core/StagingQueue.js";
import { ErrorCode } from "./ErrorCode.js";
import type { MultiplayerPeerApi } from "./MultiplayerPeer.js";
import {
  CONNECTION_CONNECTED,
  CONNECTION_DISCONNECTED,
  TRANSFER_MODE_RELIABLE,
} from "./multiplayer/constants.js";
import { Godot3ServerRelay } from "./multiplayer/Godot3ServerRelay.js";
import { Signal } from "./Signal.js";
import { resolveNetwork } from "./transport/defaultTransport.js";
import type { NetworkOptions, Transport } from "./transport/Transport.js";
import type { WebSocketHandshakeRequest } from "./transport/websocket.js";
import { WebSocketPeer } from "./WebSocketPeer.js";
import { selectProtocol } from "./websocket/handshake.js";
import { type Refusal, ServerConnections } from "./websocket/ServerConnections.js";
import {
  applyServerOptions,
  configurePeer,
  setBuffersInKb,
  type WebSocketServerOptions,
} from "./websocket/server-options.js";

export type { WebSocketServerOptions } from "./websocket/server-options.js";

/**
 * Decides an upgrade request inside `WebSocketServer.poll()`: `true` accepts it; `false`
 * refuses it with HTTP 403; a number from 400 to 599 refuses it with that status.
 */
export type WebSocketHandshakeHook = (request: WebSocketHandshakeRequest) => boolean | number;

const SERVER_ID = 1;

/**
 * The default {@link WebSocketServer.pollBudget}: at most this many units of work per
 * `poll()`. A message, a ping or a staged event costs one unit, a handshake 64, a
 * peer's end or a handshake timeout 16; so one poll applies up to ~4,000 messages, 64
 * handshakes or 256 disconnections and leaves the rest for the next (about one 60 Hz
 * frame's worth on a small server, measured in `npm run bench -- --only hostile`).
 */
export const DEFAULT_POLL_BUDGET = 4096;

/**
 * A WebSocket server with numeric peer ids, driven by `poll()`.
 *
 * Ports Godot 3's `WebSocketServer` (the class Godot 4 folded into
 * `WebSocketMultiplayerPeer`), with Godot 4's peer settings. `poll()` applies what
 * happened to the peers since the last poll (its cost follows activity, not the number
 * of peers, and is bounded by {@link WebSocketServer.pollBudget}), then emits the signals
 * in event order. Peer ids are random positive 31-bit integers ≥ 2, unique among live
 * peers, from the network's seedable source. Each peer is a {@link WebSocketPeer}
 * (polled by the server) with the server's limits; the server adds a handshake timeout,
 * a peer limit and a handshake hook. In the browser build `listen` returns
 * `ERR_UNAVAILABLE`.
 *
 * With `gdMpApi` (Godot 3's `gd_mp_api`) the server is a multiplayer peer that speaks
 * Godot 3's high-level protocol and relays between its clients, so Godot 3 games play
 * through it: see `docs/multiplayer.md`. In that mode it emits `peerConnected` and
 * `peerDisconnected` instead of `clientConnected`, `clientDisconnected` and
 * `dataReceived`, and `getPacket` reads the packets addressed to the server.
 */
export class WebSocketServer implements MultiplayerPeerApi {
  /** A client completed the handshake. Ports `client_connected(id, protocol)`. */
  readonly clientConnected = new Signal<[id: number, protocol: string]>();
  /**
   * A client's connection is gone; `wasClean` when the closing handshake completed, and
   * the close code and reason as the peer reports them (`getCloseCode`: the code of the
   * close frames exchanged, 1009 for a message over the limit, -1 for a reset, a
   * heartbeat timeout or a forced close). Ports `client_disconnected(id,
   * was_clean_close)`; `code` and `reason` are gdnet additions.
   */
  readonly clientDisconnected = new Signal<[id: number, wasClean: boolean, code: number, reason: string]>();
  /** A client sent a close frame. Ports `client_close_request(id, code, reason)`. */
  readonly clientCloseRequest = new Signal<[id: number, code: number, reason: string]>();
  /** A packet arrived from a client: emitted once per packet. Ports `data_received(id)`. */
  readonly dataReceived = new Signal<[id: number]>();
  /**
   * A connection was refused before it became a peer, and why: no common subprotocol, a
   * malformed request, the server full (`maxPeers`), the handshake hook, or the handshake
   * timeout. gdnet addition (Godot drops such connections without a word).
   */
  readonly handshakeRefused = new Signal<[address: string, port: number, reason: string]>();
  /**
   * A client joined (multiplayer mode only; it has been told its id and the other peers).
   * Ports `NetworkedMultiplayerPeer.peer_connected(id)`.
   */
  readonly peerConnected = new Signal<[id: number]>();
  /**
   * A client left (multiplayer mode only; the others have been told).
   * Ports `NetworkedMultiplayerPeer.peer_disconnected(id)`.
   */
  readonly peerDisconnected = new Signal<[id: number]>();

  /**
   * Decides each upgrade request inside `poll()` (origin or token checks); `null`
   * accepts every request that passes the protocol and peer-limit checks. gdnet addition.
   */
  handshakeHook: WebSocketHandshakeHook | null = null;
  /** The address `listen` binds to. Default `"*"`. Ports Godot 3's `bind_ip`. */
  bindAddress = "*";
  /**
   * Extra header lines ("Name: value") in every 101 response. Default `[]`.
   * Ports Godot 4's `WebSocketMultiplayerPeer.handshake_headers`.
   */
  handshakeHeaders: string[] = [];
  /** PEM private key for `wss` (with `tlsCert`). Default `null`. Ports Godot 3's `private_key`. */
  tlsKey: string | null = null;
  /** PEM certificate chain for `wss` (with `tlsKey`). Default `null`. Ports Godot 3's `ssl_certificate`. */
  tlsCert: string | null = null;
  /**
   * Every peer's `inboundBufferSize` (largest message). Default 65535.
   * Ports `WebSocketMultiplayerPeer.inbound_buffer_size` (Godot 3: `set_buffers`).
   */
  inboundBufferSize = 65535;
  /**
   * Every peer's `outboundBufferSize`, so a peer that never reads cannot grow the
   * server's memory: sends to it fail once this much waits. Default 65535.
   * Ports `WebSocketMultiplayerPeer.outbound_buffer_size` (Godot 3: `set_buffers`).
   */
  outboundBufferSize = 65535;
  /**
   * Every peer's `maxQueuedPackets`. Default 4096.
   * Ports `WebSocketMultiplayerPeer.max_queued_packets` (Godot 3: `set_buffers`).
   */
  maxQueuedPackets = 4096;
  /** Every peer's `closeTimeout`, in seconds. Default 5. gdnet addition (Godot waits forever). */
  closeTimeout = 5;
  /**
   * Seconds a connection may take from TCP accept to a complete upgrade (TLS included)
   * before it is dropped (a client that never upgrades). Default 3. Ports `handshake_timeout`.
   */
  handshakeTimeout = 3;
  /**
   * The most peers connected at once; an upgrade past it is refused with HTTP 503.
   * Default `Infinity`. gdnet addition.
   */
  maxPeers = Number.POSITIVE_INFINITY;
  /**
   * The most units of work one `poll()` does (SPEC §1.3): a staged event, a message or a
   * ping costs one, a handshake 64, a peer's end or a handshake timeout 16. What is left stays staged, in order, for the next
   * poll; nothing is lost, and a handshake held back does not time out because of it.
   * Counted in work, never in time, so runs stay deterministic. Default 4096;
   * `Infinity` applies everything at every poll. gdnet addition.
   */
  pollBudget = DEFAULT_POLL_BUDGET;
  /**
   * Whether upgrade requests are refused (with HTTP 503), in either mode. Default false.
   * Ports `refuse_new_connections`.
   */
  refuseNewConnections = false;
  /** Default `TRANSFER_MODE_RELIABLE`; stored only, as in Godot. Ports `transfer_mode`. */
  transferMode: number = TRANSFER_MODE_RELIABLE;
  /** Default 0; stored only, as in Godot. Ports Godot 4's `transfer_channel`. */
  transferChannel = 0;
  /** Godot 3's protocol. gdnet addition (see `MultiplayerPeerApi.godotVersion`). */
  readonly godotVersion = 3 as const;

  readonly #options: NetworkOptions | undefined;
  readonly #transport: Transport;
  readonly #connections: ServerConnections;
  /** Godot 3's multiplayer protocol, in `gdMpApi` mode. */
  readonly #godot3: Godot3ServerRelay;
  #gdMpApi = false;
  #listening = false;
  #secure = false;
  #supportedProtocols: string[] = [];
  #heartbeatInterval = 0;
  readonly #now: Clock;
  /** The cluster part, while listening with `cluster` (see docs/cluster.md). */
  #cluster: ClusterMembership | null = null;

  /** Creates a server that is not listening, on the default network or the one in `options`. */
  constructor(options?: NetworkOptions) {
    this.#options = options;
    const { transport, now } = resolveNetwork(options, this);
    this.#transport = transport;
    this.#now = now;
    this.#godot3 = new Godot3ServerRelay(this);
    const server = this;
    this.#connections = new ServerConnections(transport, now, {
      admit: (request) => this.#admit(request),
      createPeer: () => {
        const peer = new WebSocketPeer(this.#options);
        configurePeer(this, peer);
        const accept = {
          protocols: this.#supportedProtocols,
          headers: this.handshakeHeaders,
          maxPayload: Math.max(0, this.inboundBufferSize),
        };
        return [peer, accept];
      },
      nextPeerId: (isTaken) => this.#cluster?.takeId() ?? this.#transport.random.nextPeerId(isTaken),
      handshakeTimeoutMs: () => Math.max(0, this.handshakeTimeout) * 1000,
      get secure() {
        return server.#secure;
      },
      connected: (id, protocol) => {
        if (this.#gdMpApi) this.#godot3.announcePeer(id);
        else this.clientConnected.emit(id, protocol);
        if (this.#cluster !== null) {
          this.#cluster.localJoined(this.#connections.peers.get(id)!);
          this.peerConnected.emit(id);
        }
      },
      packet: (id) => this.#packet(id),
      closeRequest: (id, code, reason) => this.clientCloseRequest.emit(id, code, reason),
      disconnected: (id, wasClean, code, reason) => {
        if (this.#gdMpApi) this.#godot3.announceDeparture(id);
        else this.clientDisconnected.emit(id, wasClean, code, reason);
        if (this.#cluster !== null) {
          this.#cluster.localLeft(id);
          this.peerDisconnected.emit(id);
        }
      },
      refused: (address, port, reason) => this.handshakeRefused.emit(address, port, reason),
      remotePeer: (id, joined) => (joined ? this.peerConnected : this.peerDisconnected).emit(id),
    });
  }

  /**
   * Subprotocols accepted; the setter strips whitespace. Default `[]`.
   * Ports `WebSocketMultiplayerPeer.supported_protocols` (Godot 3: `listen(port, protocols)`).
   */
  get supportedProtocols(): string[] {
    return this.#supportedProtocols.slice();
  }

  /** Sets the subprotocols, each stripped of surrounding whitespace. */
  set supportedProtocols(protocols: readonly string[]) {
    this.#supportedProtocols = protocols.map((protocol) => String(protocol).trim());
  }

  /**
   * Every peer's `heartbeatInterval`, in seconds (negative values ignored). Default 0.
   * gdnet addition: Godot 4 sets `WebSocketPeer.heartbeat_interval` per peer only.
   */
  get heartbeatInterval(): number {
    return this.#heartbeatInterval;
  }

  /** Sets every peer's interval in seconds; negative or not finite values are ignored. */
  set heartbeatInterval(seconds: number) {
    if (seconds >= 0 && Number.isFinite(seconds)) this.#heartbeatInterval = seconds;
  }

  /**
   * Listens on `port` (0 picks a free one). `options` sets the bind address, TLS and any
   * server property before listening; Godot 3's form `listen(port, protocols)` is
   * accepted too. `ERR_ALREADY_IN_USE` when listening or for a busy port (with the
   * default bind address `"*"`, at once; with a specific address, at the next poll);
   * `ERR_INVALID_PARAMETER` for a bad port or address, or only one of `tlsKey`/`tlsCert`;
   * `ERR_UNAVAILABLE` in browsers. `gdMpApi` (the option, or Godot 3's third argument)
   * turns on Godot 3's multiplayer mode for this session. The `cluster` option makes this
   * server one process of a logical server spanning processes (docs/cluster.md):
   * `ERR_INVALID_PARAMETER` with `gdMpApi` or unusable cluster options, `ERR_UNAVAILABLE`
   * when the Redis client cannot be loaded. Ports `WebSocketServer.listen`.
   */
  listen(port: number, options: WebSocketServerOptions | readonly string[] = {}, gdMpApi = false): ErrorCode {
    if (!this.#transport.webSocket.canServe) return ErrorCode.ERR_UNAVAILABLE;
    if (this.#connections.listening) return ErrorCode.ERR_ALREADY_IN_USE;
    const settings: WebSocketServerOptions = Array.isArray(options)
      ? { supportedProtocols: options as string[] }
      : (options as WebSocketServerOptions);
    this.#gdMpApi = gdMpApi || settings.gdMpApi === true;
    this.#godot3.reset();
    if (!Number.isInteger(port) || port < 0 || port > 65535) return ErrorCode.ERR_INVALID_PARAMETER;
    applyServerOptions(this, settings);
    if (typeof this.bindAddress !== "string" || this.bindAddress.length === 0) {
      return ErrorCode.ERR_INVALID_PARAMETER;
    }
    if ((this.tlsKey === null) !== (this.tlsCert === null)) return ErrorCode.ERR_INVALID_PARAMETER;
    const cluster =
      settings.cluster === undefined
        ? null
        : prepareCluster(settings.cluster, this.#gdMpApi, this.#transport);
    if (typeof cluster === "number") return cluster;
    const error = this.#connections.listen({
      port,
      bindAddress: this.bindAddress,
      tlsKey: this.tlsKey,
      tlsCert: this.tlsCert,
    });
    if (error !== ErrorCode.OK) return error;
    this.#listening = true;
    this.#secure = this.tlsKey !== null;
    if (cluster !== null) {
      this.#cluster = startCluster(cluster, this.#connections, this.#transport, this.#now, () => {
        const peer = new WebSocketPeer(this.#options);
        configurePeer(this, peer);
        return peer;
      });
    }
    return ErrorCode.OK;
  }

  /**
   * Applies what was staged for the server and its peers (handshakes, messages, closes)
   * within {@link WebSocketServer.pollBudget}, runs the timeouts that fell due, then
   * emits the signals in event order. Returns a binding error observed in this poll
   * (then `isListening()` is false), otherwise OK. Ports `WebSocketServer.poll`.
   */
  poll(): ErrorCode {
    const error = this.#connections.poll(this.pollBudget > 0 ? this.pollBudget : 1);
    if (error !== ErrorCode.OK) this.#listening = false;
    this.#cluster?.poll();
    return error;
  }

  /** Whether the server is listening. Ports `WebSocketServer.is_listening`. */
  isListening(): boolean {
    return this.#listening;
  }

  /** The port listened on (useful after `listen(0)`); 0 when not listening. gdnet addition. */
  getLocalPort(): number {
    return this.#connections.localPort;
  }

  /**
   * Stops listening and frees the port: every peer is sent a close frame (1001, "going
   * away") and dropped, pending handshakes are dropped, and no signal follows for them.
   * Packets not read are discarded. Ports `WebSocketServer.stop`.
   */
  stop(): void {
    this.#cluster?.stop();
    this.#cluster = null;
    this.#connections.stop(1001);
    this.#listening = false;
    this.#godot3.reset();
  }

  /** Stops the server, as `stop()` does (`using server = new WebSocketServer()`). gdnet addition. */
  [Symbol.dispose](): void {
    this.stop();
  }

  /**
   * The peer with `id`, or `null`; in cluster mode also a peer of another process, whose
   * sends and close are forwarded to it (docs/cluster.md). Ports `WebSocketServer.get_peer`.
   */
  getPeer(id: number): WebSocketPeer | null {
    return this.#connections.peers.get(id) ?? this.#cluster?.peer(id) ?? null;
  }

  /** Whether a peer with `id` is connected (in cluster mode, to any process). Ports `WebSocketServer.has_peer`. */
  hasPeer(id: number): boolean {
    return this.#connections.peers.has(id) || (this.#cluster?.has(id) ?? false);
  }

  /** The ids of the connected peers, in connection order (in cluster mode, then the other processes' peers). gdnet addition. */
  getPeerIds(): number[] {
    const ids = [...this.#connections.peers.keys()];
    return this.#cluster === null ? ids : this.#cluster.appendIds(ids);
  }

  /** The number of connected peers (in cluster mode, of the whole cluster). gdnet addition. */
  getPeerCount(): number {
    return this.#connections.peers.size + (this.#cluster?.count ?? 0);
  }

  /**
   * @internal The one queue the server and all its peers stage into: tests of the frame
   * budget and of the staging bound read its size and watch its drains.
   */
  get stagingQueue(): StagingQueue {
    return this.#connections.queue;
  }

  /** A peer's IP address, `""` for an unknown id. Ports `WebSocketServer.get_peer_address`. */
  getPeerAddress(id: number): string {
    return this.getPeer(id)?.getConnectedHost() ?? "";
  }

  /** A peer's port, 0 for an unknown id. Ports `WebSocketServer.get_peer_port`. */
  getPeerPort(id: number): number {
    return this.getPeer(id)?.getConnectedPort() ?? 0;
  }

  /**
   * Closes a peer's connection with `code` and `reason` (the rules of
   * `WebSocketPeer.close`); `clientDisconnected` (in multiplayer mode `peerDisconnected`)
   * follows at a later poll. A boolean instead of a code is Godot 4's
   * `disconnect_peer(id, force)`: a close frame (1000), or with `true` the connection
   * dropped at once without one (in multiplayer mode the rest are told at once and no
   * `peerDisconnected` follows). `ERR_INVALID_PARAMETER` for an unknown id or an invalid
   * code or reason. Ports `WebSocketServer.disconnect_peer`.
   */
  disconnectPeer(id: number, code: number | boolean = 1000, reason = ""): ErrorCode {
    const peer = this.getPeer(id);
    if (peer === null) return ErrorCode.ERR_INVALID_PARAMETER;
    if (code === false) return peer.close(1000);
    if (code === true) {
      if (this.#gdMpApi) this.#godot3.forget(id);
      return peer.close(-1);
    }
    return peer.close(code, reason);
  }

  /**
   * Packets received from all peers and not yet read (through the server or the peers);
   * in multiplayer mode, the packets addressed to the server.
   * Ports `get_available_packet_count`.
   */
  getAvailablePacketCount(): number {
    if (this.#gdMpApi) return this.#godot3.incoming.count;
    return this.#connections.packets.count;
  }

  /**
   * The id of the peer whose packet `getPacket` returns next (in multiplayer mode, its
   * sender); 0 when none. Ports `get_packet_peer`.
   */
  getPacketPeer(): number {
    if (this.#gdMpApi) return this.#godot3.incoming.nextSource();
    return this.#connections.packets.next()?.serverId ?? 0;
  }

  /**
   * The oldest packet received from any peer (an empty array when none). Packets of one
   * peer come in order even when mixed with reads from `getPeer(id)`. In multiplayer mode,
   * the next packet addressed to the server, without its 9-byte header. Ports `get_packet`.
   */
  getPacket(): Uint8Array {
    if (this.#gdMpApi) return this.#godot3.incoming.take();
    return this.#connections.packets.take();
  }

  /**
   * Sends `data` to every open peer except `exceptId`, framed once. A peer whose
   * outbound limits are reached is skipped. `ERR_INVALID_PARAMETER` for an unknown
   * write mode. In cluster mode every peer of the cluster gets it once (one atomic write
   * to the other processes), or nobody does: `ERR_OUT_OF_MEMORY` when another process's
   * inbox is at its limit. gdnet addition.
   */
  broadcast(data: Uint8Array, writeMode: number = WebSocketPeer.WRITE_MODE_BINARY, exceptId = 0): ErrorCode {
    if (!(data instanceof Uint8Array)) throw new TypeError("broadcast expects a Uint8Array");
    if (writeMode !== WebSocketPeer.WRITE_MODE_TEXT && writeMode !== WebSocketPeer.WRITE_MODE_BINARY) {
      return ErrorCode.ERR_INVALID_PARAMETER;
    }
    const text = writeMode === WebSocketPeer.WRITE_MODE_TEXT;
    // The cluster's inboxes are checked first: a refused broadcast reaches nobody.
    const remote = this.#cluster?.broadcast(data, text, exceptId) ?? ErrorCode.OK;
    if (remote !== ErrorCode.OK) return remote;
    const peers = this.#connections.peers;
    if (peers.size === 0) return ErrorCode.OK;
    const frame = this.#transport.webSocket.prepareFrame(data, text);
    for (const peer of peers.values()) if (peer.serverId !== exceptId) peer.sendPrepared(frame);
    return ErrorCode.OK;
  }

  /** `broadcast` of the UTF-8 bytes of `text` as a text message. gdnet addition. */
  broadcastText(text: string, exceptId = 0): ErrorCode {
    if (typeof text !== "string") throw new TypeError("broadcastText expects a string");
    return this.broadcast(new TextEncoder().encode(text), WebSocketPeer.WRITE_MODE_TEXT, exceptId);
  }

  /**
   * Sets the peers' buffers the Godot 3 way: inbound and outbound sizes in KiB, and
   * packet counts (one limit here: the larger of the two). `FAILED` while listening.
   * Ports Godot 3's `set_buffers`.
   */
  setBuffers(
    inputBufferSizeKb: number,
    inputMaxPackets: number,
    outputBufferSizeKb: number,
    outputMaxPackets: number,
  ): ErrorCode {
    if (this.isListening()) return ErrorCode.FAILED;
    return setBuffersInKb(this, inputBufferSizeKb, inputMaxPackets, outputBufferSizeKb, outputMaxPackets);
  }

  /** 1: the server's id. Ports `get_unique_id`. */
  getUniqueId(): number {
    return SERVER_ID;
  }

  /**
   * `CONNECTION_CONNECTED` while listening, otherwise `CONNECTION_DISCONNECTED`, as in
   * Godot 3. Ports `get_connection_status`.
   */
  getConnectionStatus(): number {
    return this.isListening() ? CONNECTION_CONNECTED : CONNECTION_DISCONNECTED;
  }

  /**
   * Where `putPacket` sends: a client id, 0 for every client, `-id` for every client but
   * `id`; 1 (the server itself) sends nothing. Fractions are truncated.
   * Ports `set_target_peer`.
   */
  setTargetPeer(id: number): void {
    this.#godot3.setTargetPeer(id);
  }

  /**
   * Multiplayer mode: sends `packet` from the server (`from = 1`) to the target peer, as
   * Godot 3's server does. An empty packet sends nothing. `ERR_UNCONFIGURED` outside
   * multiplayer mode or when not listening; `FAILED` for an unknown target.
   * Ports `put_packet`.
   */
  putPacket(packet: Uint8Array): ErrorCode {
    if (!(packet instanceof Uint8Array)) throw new TypeError("putPacket expects a Uint8Array");
    if (!this.#gdMpApi || !this.isListening()) return ErrorCode.ERR_UNCONFIGURED;
    return this.#godot3.putPacket(packet);
  }

  /** Stops the server (`stop()`): every client is closed and no signal follows. Ports `close`. */
  close(): void {
    this.stop();
  }

  /** False: a Godot 3 server relays by itself. Ports `is_server_relay_supported`. */
  isServerRelaySupported(): boolean {
    return false;
  }

  /** The policy for an upgrade request: the subprotocol to accept it with, or why not. */
  #admit(request: WebSocketHandshakeRequest): string | Refusal {
    if (this.#connections.peers.size >= this.maxPeers || this.refuseNewConnections) {
      return [503, "server full (HTTP 503)"];
    }
    if (this.#cluster !== null && !this.#cluster.hasLeasedId)
      return [503, "no cluster id leased yet (HTTP 503)"];
    const protocol = selectProtocol(request.protocols, this.#supportedProtocols);
    if (protocol === null) {
      const offered = request.protocols.length === 0 ? "none" : request.protocols.join(", ");
      return [400, `no common subprotocol (offered: ${offered}) (HTTP 400)`];
    }
    if (this.handshakeHook !== null) {
      const verdict = this.handshakeHook(request);
      if (verdict !== true) {
        const status = typeof verdict === "number" && verdict >= 400 && verdict <= 599 ? verdict : 403;
        return [status, `refused by handshakeHook (HTTP ${status})`];
      }
    }
    return protocol;
  }

  /** A packet arrived from `id` (already in its queue and the server's). */
  #packet(id: number): void {
    if (!this.#gdMpApi) {
      this.dataReceived.emit(id);
      return;
    }
    // Read through the server's queue, which keeps it short: the packet of this record,
    // or the next one if a peer's packets were read directly.
    const packets = this.#connections.packets;
    const source = packets.next();
    if (source === undefined) return;
    const packet = packets.take();
    this.#godot3.relayPacket(source.serverId, packet, source.wasStringPacket());
  }
}
