import type { ClusterOptions } from "./cluster/options.js";
import type { Clock } from "./core/Clock.js";
import { ErrorCode } from "./ErrorCode.js";
import { MultiplayerPeer } from "./MultiplayerPeer.js";
import {
  CONNECTION_CONNECTED,
  CONNECTION_CONNECTING,
  CONNECTION_DISCONNECTED,
  TARGET_PEER_BROADCAST,
} from "./multiplayer/constants.js";
import { decodePeerIdMessage, encodePeerIdMessage } from "./multiplayer/godot4-protocol.js";
import { IncomingPackets } from "./multiplayer/IncomingPackets.js";
import type { TLSOptions } from "./TLSOptions.js";
import { resolveNetwork } from "./transport/defaultTransport.js";
import type { NetworkOptions } from "./transport/Transport.js";
import { WebSocketPeer } from "./WebSocketPeer.js";
import { WebSocketServer } from "./WebSocketServer.js";

const EMPTY = new Uint8Array(0);
const SERVER_ID = 1;

/**
 * A multiplayer peer over WebSocket in Godot 4's protocol: a server whose first message to
 * each client is the client's id (4 bytes, little-endian), then headerless packets.
 * Relaying between clients and the peer announcements are {@link SceneMultiplayer}'s job,
 * as in Godot 4.
 *
 * Ports Godot 4's `WebSocketMultiplayerPeer`. Everything changes inside `poll()`, where
 * the signals are emitted. Deviations, each in `docs/porting.md`: text messages are
 * dropped (Godot reads them as packets; Godot peers send binary); a client also gives up
 * when the server has not sent its id within `handshakeTimeout` (Godot waits forever once
 * the socket is open); `close()` and `disconnectPeer` send close frames (Godot drops the
 * connections); packets received before a disconnection stay readable.
 */
export class WebSocketMultiplayerPeer extends MultiplayerPeer {
  /**
   * Extra header lines ("Name: value") sent with the handshake of every connection this
   * peer makes. Default `[]`. Ports `handshake_headers`.
   */
  handshakeHeaders: string[] = [];
  /** Every connection's `inboundBufferSize` (largest message). Default 65535. Ports `inbound_buffer_size`. */
  inboundBufferSize = 65535;
  /** Every connection's `outboundBufferSize`. Default 65535. Ports `outbound_buffer_size`. */
  outboundBufferSize = 65535;
  /** Every connection's `maxQueuedPackets`. Default 4096. Ports `max_queued_packets`. */
  maxQueuedPackets = 4096;

  readonly #options: NetworkOptions | undefined;
  readonly #now: Clock;
  #supportedProtocols: string[] = [];
  #handshakeTimeout = 3;
  #status = CONNECTION_DISCONNECTED;
  #uniqueId = 0;
  #server: WebSocketServer | null = null;
  #client: WebSocketPeer | null = null;
  /** The connected peers by id (a client has only the server, 1). */
  readonly #peers = new Map<number, WebSocketPeer>();
  /** The connected peers held by other processes of the cluster (cluster mode). */
  readonly #remote = new Set<number>();
  /** Peers disconnected without `force`: reported at the next poll. */
  #leaving: number[] = [];
  readonly #incoming = new IncomingPackets();
  /** When a connecting client gives up; NaN until the first poll reads the clock. */
  #deadline = Number.NaN;

  /** Creates a disconnected peer, on the default network or the one in `options`. */
  constructor(options?: NetworkOptions) {
    super();
    this.#options = options;
    this.#now = resolveNetwork(options).now;
  }

  /**
   * Subprotocols: offered by a client, accepted by a server. The setter strips
   * whitespace. Default `[]`. Ports `supported_protocols`.
   */
  get supportedProtocols(): string[] {
    return this.#supportedProtocols.slice();
  }

  /** Sets the subprotocols, each stripped of surrounding whitespace. */
  set supportedProtocols(protocols: readonly string[]) {
    this.#supportedProtocols = protocols.map((protocol) => String(protocol).trim());
  }

  /**
   * Seconds a connection may take: on a server, from TCP accept to a complete upgrade; on
   * a client, from `createClient` until the server's id arrives. Values ≤ 0 are rejected
   * (the value is unchanged). Default 3. Ports `handshake_timeout`.
   */
  get handshakeTimeout(): number {
    return this.#handshakeTimeout;
  }

  /** Sets the timeout; values ≤ 0 or not finite leave it unchanged. */
  set handshakeTimeout(seconds: number) {
    if (seconds > 0 && Number.isFinite(seconds)) this.#handshakeTimeout = seconds;
  }

  /**
   * Listens on `port` (0 picks a free one; see `getLocalPort`) and becomes CONNECTED with
   * id 1 at once. `ERR_ALREADY_IN_USE` unless disconnected; `ERR_INVALID_PARAMETER` for
   * client TLS options; otherwise the errors of `WebSocketServer.listen`. With
   * `options.cluster` (a gdnet addition) the server is one process of a logical server
   * (docs/cluster.md): the peers of the other processes are peers here too.
   * Ports `create_server(port, bind_address, tls_server_options)`.
   */
  createServer(
    port: number,
    bindAddress = "*",
    tlsOptions: TLSOptions | null = null,
    options: { cluster?: ClusterOptions } = {},
  ): ErrorCode {
    if (this.#status !== CONNECTION_DISCONNECTED) return ErrorCode.ERR_ALREADY_IN_USE;
    if (tlsOptions !== null && !tlsOptions.isServer()) return ErrorCode.ERR_INVALID_PARAMETER;
    const server = this.#server ?? this.#createServer();
    const error = server.listen(port, {
      bindAddress,
      supportedProtocols: this.#supportedProtocols,
      handshakeHeaders: this.handshakeHeaders,
      tlsKey: tlsOptions?.getPrivateKey() ?? null,
      tlsCert: tlsOptions?.getOwnCertificate() ?? null,
      inboundBufferSize: this.inboundBufferSize,
      outboundBufferSize: this.outboundBufferSize,
      maxQueuedPackets: this.maxQueuedPackets,
      handshakeTimeout: this.#handshakeTimeout,
      cluster: options.cluster,
    });
    if (error !== ErrorCode.OK) return error;
    this.#start(SERVER_ID, CONNECTION_CONNECTED);
    return ErrorCode.OK;
  }

  /**
   * Connects to `url` and returns at once: CONNECTING, then CONNECTED (and
   * `peerConnected(1)`) at the poll that reads the server's id. `ERR_ALREADY_IN_USE`
   * unless disconnected; `ERR_INVALID_PARAMETER` for server TLS options; otherwise the
   * errors of `WebSocketPeer.connectToUrl`. Ports `create_client(url, tls_client_options)`.
   */
  createClient(url: string, tlsOptions: TLSOptions | null = null): ErrorCode {
    if (this.#status !== CONNECTION_DISCONNECTED) return ErrorCode.ERR_ALREADY_IN_USE;
    if (tlsOptions?.isServer()) return ErrorCode.ERR_INVALID_PARAMETER;
    if (this.#client === null) this.#client = new WebSocketPeer(this.#options);
    const client = this.#client;
    client.supportedProtocols = this.#supportedProtocols;
    client.handshakeHeaders = this.handshakeHeaders.slice();
    client.inboundBufferSize = this.inboundBufferSize;
    client.outboundBufferSize = this.outboundBufferSize;
    client.maxQueuedPackets = this.maxQueuedPackets;
    const error = client.connectToUrl(url, tlsOptions);
    if (error !== ErrorCode.OK) return error;
    this.#start(0, CONNECTION_CONNECTING);
    this.#deadline = Number.NaN;
    return ErrorCode.OK;
  }

  /** The port a server listens on (useful after `createServer(0)`); 0 otherwise. gdnet addition. */
  getLocalPort(): number {
    return this.#status === CONNECTION_CONNECTED && this.#uniqueId === SERVER_ID
      ? (this.#server?.getLocalPort() ?? 0)
      : 0;
  }

  /**
   * The WebSocketPeer of connected peer `id` (on a client, 1 is the server), or `null`.
   * Ports `get_peer`.
   */
  getPeer(id: number): WebSocketPeer | null {
    return this.#peers.get(id) ?? null;
  }

  /** The IP address of connected peer `id`, `""` if unknown. Ports `get_peer_address`. */
  getPeerAddress(id: number): string {
    return this.#peers.get(id)?.getConnectedHost() ?? "";
  }

  /** The port of connected peer `id`, 0 if unknown. Ports `get_peer_port`. */
  getPeerPort(id: number): number {
    return this.#peers.get(id)?.getConnectedPort() ?? 0;
  }

  /** 1 on a server, the id the server sent on a client, 0 otherwise. Ports `get_unique_id`. */
  getUniqueId(): number {
    return this.#uniqueId;
  }

  /** One of the `CONNECTION_*` constants, as of the last poll. Ports `get_connection_status`. */
  getConnectionStatus(): number {
    return this.#status;
  }

  /**
   * Whether connected peer `id` is held by another process of the cluster (cluster mode;
   * see docs/cluster.md). {@link SceneMultiplayer} announces peers to local clients only.
   * gdnet addition.
   */
  isRemotePeer(id: number): boolean {
    return this.#remote.has(id);
  }

  /** True: {@link SceneMultiplayer} relays between clients. Ports `is_server_relay_supported`. */
  isServerRelaySupported(): boolean {
    return true;
  }

  /** Packets received and not yet read. Ports `get_available_packet_count`. */
  getAvailablePacketCount(): number {
    return this.#incoming.count;
  }

  /**
   * The sender of the packet `getPacket` returns next (1 on a client); 0 when none.
   * Ports `get_packet_peer`.
   */
  getPacketPeer(): number {
    return this.#incoming.nextSource();
  }

  /**
   * Server: applies the connections, messages and disconnections of every client: a new
   * client is sent its id and announced with `peerConnected`; a client that is no longer
   * open is removed with `peerDisconnected`. Client: reads the server's id (then
   * CONNECTED and `peerConnected(1)`), queues the server's packets, and when the
   * connection is gone emits `peerDisconnected(1)` (if it had connected) and becomes
   * DISCONNECTED. Ports `poll`.
   */
  poll(): void {
    if (this.#leaving.length > 0) this.#reportLeaving();
    if (this.#server !== null && this.#uniqueId === SERVER_ID) {
      this.#server.poll();
      if (!this.#server.isListening() && this.#status === CONNECTION_CONNECTED) this.close();
      return;
    }
    const client = this.#client;
    if (client === null) return;
    client.poll();
    if (this.#status === CONNECTION_DISCONNECTED) {
      // A connection closed by close(): let its closing handshake run, and drop what it brings.
      while (client.getAvailablePacketCount() > 0) client.getPacket();
      return;
    }
    if (this.#status === CONNECTION_CONNECTING) this.#awaitId(client);
    if (this.#status === CONNECTION_CONNECTED) this.#receiveFromServer(client);
  }

  /**
   * Server: closes client `id` (close frame 1000); it is removed with `peerDisconnected`
   * at the next poll, or at once and without the signal with `force`. Client: `id` must
   * be 1; closes the connection, which ends with `peerDisconnected(1)` when it is gone,
   * or at once and without the signal with `force`. `ERR_INVALID_PARAMETER` for an
   * unknown id. Ports `disconnect_peer(peer, force)`.
   */
  disconnectPeer(id: number, force = false): ErrorCode {
    const peer = this.#peers.get(id);
    if (peer === undefined) return ErrorCode.ERR_INVALID_PARAMETER;
    peer.close(1000);
    if (this.#uniqueId !== SERVER_ID) {
      if (force) this.#clear();
      return ErrorCode.OK;
    }
    if (force) this.#peers.delete(id);
    else this.#leaving.push(id);
    return ErrorCode.OK;
  }

  /**
   * Ends the session at once: a server stops listening and closes every client (close
   * frame 1001); a client closes its connection (close frame 1000). DISCONNECTED now,
   * unread packets are dropped, and no signal follows. Ports `close`.
   */
  close(): void {
    if (this.#uniqueId === SERVER_ID) this.#server?.stop();
    else if (this.#client !== null && this.#status !== CONNECTION_DISCONNECTED) this.#client.close(1000);
    this.#clear();
    this.#incoming.clear();
  }

  /** Ends the session, as `close()` does (`using peer = new WebSocketMultiplayerPeer()`). gdnet addition. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** @internal */
  protected readPacket(): [ErrorCode, Uint8Array] {
    if (this.#status !== CONNECTION_CONNECTED) return [ErrorCode.ERR_UNCONFIGURED, EMPTY];
    if (this.#incoming.count === 0) return [ErrorCode.ERR_UNAVAILABLE, EMPTY];
    return [ErrorCode.OK, this.#incoming.take()];
  }

  /**
   * @internal `putPacket`: a client sends to the server whatever the target; a server
   * sends to the target peer, to every peer (0) or to every peer but `-target`.
   */
  protected writePacket(buffer: Uint8Array): ErrorCode {
    if (this.#status !== CONNECTION_CONNECTED) return ErrorCode.ERR_UNCONFIGURED;
    if (this.#uniqueId !== SERVER_ID) return this.#peers.get(SERVER_ID)?.send(buffer) ?? ErrorCode.FAILED;
    const target = this.targetPeer;
    if (target > 0) return this.#peers.get(target)?.send(buffer) ?? ErrorCode.ERR_INVALID_PARAMETER;
    const excluded = -target;
    for (const [id, peer] of this.#peers)
      if (target === TARGET_PEER_BROADCAST || id !== excluded) peer.send(buffer);
    return ErrorCode.OK;
  }

  #createServer(): WebSocketServer {
    const server = new WebSocketServer(this.#options);
    server.handshakeHook = () => (this.refuseNewConnections ? 503 : true);
    server.clientConnected.connect((id) => {
      const peer = server.getPeer(id)!;
      if (peer.send(encodePeerIdMessage(id)) !== ErrorCode.OK) {
        peer.close(-1);
        return;
      }
      this.#peers.set(id, peer);
      this.peerConnected.emit(id);
    });
    server.dataReceived.connect(() => {
      // One packet per emission, in arrival order: read it through the server's queue.
      const source = server.getPacketPeer();
      const packet = server.getPacket();
      if (this.#peers.has(source) && !server.getPeer(source)!.wasStringPacket()) {
        this.#incoming.push(source, packet);
      }
    });
    // A client that sent a close frame is no longer open: Godot 4 removes it at once.
    server.clientCloseRequest.connect((id) => this.#remove(id));
    server.clientDisconnected.connect((id) => this.#remove(id));
    // Cluster mode: the peers of the other processes are peers of this one too (their
    // sends are forwarded to their holders); local ones were added by clientConnected.
    server.peerConnected.connect((id) => {
      const peer = server.getPeer(id);
      // A local client refused above (its id could not be sent) is closed already.
      if (this.#peers.has(id) || peer === null || peer.getReadyState() !== WebSocketPeer.STATE_OPEN) return;
      this.#remote.add(id);
      this.#peers.set(id, peer);
      this.peerConnected.emit(id);
    });
    server.peerDisconnected.connect((id) => {
      if (this.#remote.delete(id)) this.#remove(id);
    });
    this.#server = server;
    return server;
  }

  #start(id: number, status: number): void {
    this.#uniqueId = id;
    this.#status = status;
    this.#peers.clear();
    this.#remote.clear();
    this.#leaving = [];
    this.#incoming.clear();
    this.#incoming.setLimits(this.maxQueuedPackets, this.inboundBufferSize);
  }

  #clear(): void {
    this.#status = CONNECTION_DISCONNECTED;
    this.#uniqueId = 0;
    this.#peers.clear();
    this.#remote.clear();
    this.#leaving = [];
  }

  #remove(id: number): void {
    if (this.#peers.delete(id)) this.peerDisconnected.emit(id);
  }

  #reportLeaving(): void {
    const leaving = this.#leaving;
    this.#leaving = [];
    for (const id of leaving) this.#remove(id);
  }

  /** A connecting client: the first message must be the id; the wait is bounded by `handshakeTimeout`. */
  #awaitId(client: WebSocketPeer): void {
    const state = client.getReadyState();
    if (client.getAvailablePacketCount() > 0) {
      const message = client.getPacket();
      const id = client.wasStringPacket() ? 0 : decodePeerIdMessage(message);
      if (id === 0) {
        client.close(1000);
        this.#clear();
        return;
      }
      this.#uniqueId = id;
      this.#status = CONNECTION_CONNECTED;
      this.#peers.set(SERVER_ID, client);
      this.peerConnected.emit(SERVER_ID);
      return;
    }
    if (state === WebSocketPeer.STATE_CLOSED) {
      this.#clear();
      return;
    }
    const now = this.#now();
    if (Number.isNaN(this.#deadline)) this.#deadline = now + this.#handshakeTimeout * 1000;
    if (now >= this.#deadline) {
      client.close(state === WebSocketPeer.STATE_OPEN ? 1000 : -1);
      this.#clear();
    }
  }

  /** A connected client: queue the server's packets; when the connection is gone, report it. */
  #receiveFromServer(client: WebSocketPeer): void {
    while (client.getAvailablePacketCount() > 0) {
      const packet = client.getPacket();
      if (!client.wasStringPacket()) this.#incoming.push(SERVER_ID, packet);
    }
    if (client.getReadyState() === WebSocketPeer.STATE_CLOSED) {
      this.#clear();
      this.peerDisconnected.emit(SERVER_ID);
    }
  }
}
