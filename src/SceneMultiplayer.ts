// Why this file is long: it is Godot's SceneMultiplayer API (peers, raw packets, the
// Godot 4 relay, RPCs), each member documented where it is declared; the RPC layers are
// in multiplayer/rpc/, the relay's SYS handling in multiplayer/scene-relay.ts.
import { ErrorCode } from "./ErrorCode.js";
import type { MultiplayerPeerApi } from "./MultiplayerPeer.js";
import {
  CONNECTION_CONNECTED,
  CONNECTION_CONNECTING,
  CONNECTION_DISCONNECTED,
  TARGET_PEER_BROADCAST,
  TRANSFER_MODE_RELIABLE,
  targetPeerId,
} from "./multiplayer/constants.js";
import { GODOT3_COMMAND_CONFIRM_PATH, GODOT3_COMMAND_RAW } from "./multiplayer/godot3-protocol.js";
import {
  SCENE_COMMAND_MASK,
  SCENE_COMMAND_RAW,
  SCENE_COMMAND_SYNC,
  SCENE_COMMAND_SYS,
} from "./multiplayer/godot4-protocol.js";
import { Godot3RpcMode } from "./multiplayer/rpc/Godot3RPCInterface.js";
import {
  RPC_MODE_ANY_PEER,
  RPC_MODE_AUTHORITY,
  RPC_MODE_DISABLED,
  type RpcConfig,
} from "./multiplayer/rpc/rpc-declarations.js";
import type { RpcRefusal } from "./multiplayer/rpc/SceneRPCInterface.js";
import { SceneRpc } from "./multiplayer/rpc/SceneRpc.js";
import { announceJoin, announceLeave, processSys, sendCommand } from "./multiplayer/scene-relay.js";
import { Signal } from "./Signal.js";

const SERVER_ID = 1;

/**
 * Godot's high-level multiplayer over a multiplayer peer, the part a server (or a bot)
 * needs: peer bookkeeping, `sendBytes`/`peerPacket`, and for Godot 4 the server relay that
 * lets clients reach each other through the server.
 *
 * Ports Godot 4's `SceneMultiplayer` and, over a Godot 3 peer (`WebSocketServer` or
 * `WebSocketClient` with `gdMpApi`), what Godot 3's `MultiplayerAPI` does on the wire.
 * `poll()` polls the peer and handles every packet; signals are emitted only there.
 *
 * gdnet has no scene tree. Godot 4 RPCs are spoken in Godot's own encoding for the node
 * paths and methods declared with {@link SceneMultiplayer.rpcConfig}: calls arrive as
 * {@link SceneMultiplayer.rpcReceived} and are made with {@link SceneMultiplayer.rpc}.
 * Everything else of the scene layer addressed to this peer (RPCs for undeclared paths,
 * spawns, syncs) is delivered whole, command byte first, through
 * {@link SceneMultiplayer.scenePacket}. RPCs between Godot clients are relayed untouched.
 * Over Godot 3, a SIMPLIFY_PATH is answered with CONFIRM_PATH (see
 * {@link SceneMultiplayer.confirmPaths}). Authentication (`auth_callback`) and
 * MultiplayerSpawner/MultiplayerSynchronizer replication are not ported. See
 * `docs/multiplayer.md`.
 */
export class SceneMultiplayer {
  /** Nobody may call the method. Ports `MultiplayerAPI.RPC_MODE_DISABLED` (0). */
  static readonly RPC_MODE_DISABLED = RPC_MODE_DISABLED;
  /** Every peer may call the method. Ports `MultiplayerAPI.RPC_MODE_ANY_PEER` (1). */
  static readonly RPC_MODE_ANY_PEER = RPC_MODE_ANY_PEER;
  /**
   * Only the node's multiplayer authority (1, the server, unless
   * {@link SceneMultiplayer.setMultiplayerAuthority} says otherwise) may call the method.
   * Ports `MultiplayerAPI.RPC_MODE_AUTHORITY` (2), `@rpc`'s default.
   */
  static readonly RPC_MODE_AUTHORITY = RPC_MODE_AUTHORITY;
  /**
   * Godot 3's RPC modes (`REMOTE` 1, `MASTER` 2, `PUPPET` 3, `REMOTESYNC` 4, `MASTERSYNC`
   * 5, `PUPPETSYNC` 6, `DISABLED` 0), for `rpcConfig` over a Godot 3 peer, where the
   * server is the master of every node unless `setMultiplayerAuthority` says otherwise.
   * Ports Godot 3's `MultiplayerAPI.RPCMode`; kept apart from the Godot 4 constants,
   * whose numbers mean other things.
   */
  static readonly Godot3RpcMode = Godot3RpcMode;

  /** A peer joined (on a client: 1 when connected, then each other peer). Ports `peer_connected(id)`. */
  readonly peerConnected = new Signal<[id: number]>();
  /** A peer left. Ports `peer_disconnected(id)`. */
  readonly peerDisconnected = new Signal<[id: number]>();
  /** A client's connection to the server succeeded. Ports `connected_to_server()`. */
  readonly connectedToServer = new Signal<[]>();
  /** A client's connection failed before it succeeded. Ports `connection_failed()`. */
  readonly connectionFailed = new Signal<[]>();
  /** A client's connection ended after it succeeded. Ports `server_disconnected()`. */
  readonly serverDisconnected = new Signal<[]>();
  /**
   * Bytes from `send_bytes` (Godot 3: MultiplayerAPI command 4; Godot 4: command 3),
   * without the command byte, with the sender's id. Ports `peer_packet(id, packet)`.
   */
  readonly peerPacket = new Signal<[id: number, packet: Uint8Array]>();
  /**
   * Any other packet of Godot's scene layer addressed to this peer, whole, with the
   * sender's id: spawn, despawn, sync, rset, and RPC and path-cache packets for node paths
   * not declared with `rpcConfig` (all of them until the first `rpcConfig`). gdnet does
   * not execute them. gdnet addition.
   */
  readonly scenePacket = new Signal<[id: number, packet: Uint8Array]>();
  /**
   * A permitted Godot 4 RPC arrived for a declared method, with its sender, the node's
   * absolute path (`/root/Game`), the method and the decoded arguments (a whole-number
   * float arrives as a plain `number`, a PackedByteArray as a `Uint8Array`).
   * `getRemoteSenderId()` answers the sender meanwhile. Also emitted inside `rpc()` for a
   * `callLocal` method, with this peer's id. Stands for Godot running the method.
   */
  readonly rpcReceived = new Signal<[senderId: number, path: string, method: string, args: unknown[]]>();
  /**
   * An RPC (or a path announcement) from a peer was dropped, with the reason (see
   * {@link RpcRefusal}); `path` and `method` are `""` when the packet did not say.
   * Stands for the errors Godot prints; a checksum mismatch is refused where Godot logs
   * and runs the method of the same index. gdnet addition.
   */
  readonly rpcRefused = new Signal<[senderId: number, path: string, method: string, reason: RpcRefusal]>();

  /**
   * Godot 4: whether the server announces peers to each other (SYS ADD_PEER/DEL_PEER) and
   * relays packets between clients (SYS RELAY), and a client sends packets for other
   * clients through the server. Default true. Ports `server_relay`.
   */
  serverRelay = true;
  /**
   * Godot 3: whether a SIMPLIFY_PATH from a peer is answered with CONFIRM_PATH, as a
   * Godot peer answers. Godot 3 clients send an `rpc()` to everyone as one packet only
   * once every peer, the server included, confirmed the node's path; without the answer
   * they send one packet per peer (which also works). Default true. gdnet addition.
   */
  confirmPaths = true;
  /**
   * The most work one `poll()` does on received packets (SPEC §1.3): a packet costs one
   * unit, and a packet the server relays to everyone costs one per peer it goes to. What
   * is left waits, in order, in the peer's queue for the next poll, so one client's
   * broadcasts cannot stretch a frame. Counted in work, never in time. Default 4096;
   * `Infinity` handles every packet at every poll. gdnet addition.
   */
  relayBudget = 4096;

  #peer: MultiplayerPeerApi | null = null;
  readonly #connected = new Set<number>();
  /** The connected peers that are this process's own clients: all of them outside a cluster. */
  readonly #localConnected = new Set<number>();
  #lastStatus = CONNECTION_DISCONNECTED;
  #serverSession = false;
  #remoteSenderId = 0;
  readonly #onPeerConnected = (id: number): void => this.#addPeer(id);
  readonly #onPeerDisconnected = (id: number): void => this.#deletePeer(id);
  readonly #rpc = new SceneRpc(
    {
      peer: () => this.#peer,
      // RPCs reach this process's own clients only: the path cache is per connection.
      connectedPeers: () => this.#localConnected,
      sendCommand: (to, packet) =>
        this.#peer === null
          ? ErrorCode.ERR_UNCONFIGURED
          : sendCommand(this.#peer, this.#localConnected, this.#relays(this.#peer), to, packet),
      emitAs: (sender, emit) => this.#emitAs(sender, emit),
      confirmPaths: () => this.confirmPaths,
    },
    this,
  );

  /** Creates the API, optionally over `peer` (see {@link SceneMultiplayer.multiplayerPeer}). */
  constructor(peer: MultiplayerPeerApi | null = null) {
    if (peer !== null) this.multiplayerPeer = peer;
  }

  /**
   * The multiplayer peer this API drives, or `null`. Setting it forgets the previous
   * peer's state; it learns about peers from the peer's `peerConnected`, so set it before
   * the peer's first poll. Deviation: a disconnected peer is accepted (Godot refuses it);
   * the API starts working when the peer connects. Ports `multiplayer_peer`.
   */
  get multiplayerPeer(): MultiplayerPeerApi | null {
    return this.#peer;
  }

  /** Replaces the peer (or removes it with `null`), forgetting the previous peer's state. */
  set multiplayerPeer(peer: MultiplayerPeerApi | null) {
    if (peer === this.#peer) return;
    if (this.#peer !== null) {
      this.#peer.peerConnected.disconnect(this.#onPeerConnected);
      this.#peer.peerDisconnected.disconnect(this.#onPeerDisconnected);
      this.clear();
    }
    this.#peer = peer;
    if (peer !== null) {
      peer.peerConnected.connect(this.#onPeerConnected);
      peer.peerDisconnected.connect(this.#onPeerDisconnected);
    }
    this.#updateStatus();
  }

  /** Whether a multiplayer peer is set. Ports `has_multiplayer_peer`. */
  hasMultiplayerPeer(): boolean {
    return this.#peer !== null;
  }

  /**
   * Polls the peer, then handles every packet it received: SYS announcements and relays
   * (Godot 4), RAW → `peerPacket`, anything else → `scenePacket`. Emits the connection
   * signals when the peer's status changes. Returns OK. Ports `poll`.
   */
  poll(): ErrorCode {
    this.#updateStatus();
    const peer = this.#peer;
    if (peer === null || this.#lastStatus === CONNECTION_DISCONNECTED) return ErrorCode.OK;
    peer.poll();
    this.#updateStatus();
    let work = 0;
    while (this.#peer === peer && this.#lastStatus === CONNECTION_CONNECTED && work < this.relayBudget) {
      if (peer.getAvailablePacketCount() === 0) break;
      const sender = peer.getPacketPeer();
      const packet = peer.getPacket();
      work++;
      if (this.#connected.has(sender) && packet.byteLength > 0) {
        if (peer.godotVersion === 3) {
          this.#processGodot3(sender, packet);
        } else {
          // A SYS packet the server relays may go to every peer.
          if ((packet[0]! & SCENE_COMMAND_MASK) === SCENE_COMMAND_SYS) work += this.#connected.size;
          this.#processGodot4(peer, sender, packet);
        }
      }
      this.#updateStatus();
    }
    return ErrorCode.OK;
  }

  /** This peer's id (1 on a server), 0 without a connected peer. Ports `get_unique_id`. */
  getUniqueId(): number {
    return this.#peer?.getUniqueId() ?? 0;
  }

  /** Whether this is the server (id 1). Ports `is_server`. */
  isServer(): boolean {
    return this.getUniqueId() === SERVER_ID;
  }

  /**
   * The ids of the connected peers (on a client, 1 and the other clients), in joining
   * order. Ports `get_peers`.
   */
  getPeers(): number[] {
    return [...this.#connected];
  }

  /**
   * The sender of the packet whose signal is being emitted; 0 outside one.
   * Ports `get_remote_sender_id`.
   */
  getRemoteSenderId(): number {
    return this.#remoteSenderId;
  }

  /** Whether the peer refuses new connections. Ports `refuse_new_connections`. */
  get refuseNewConnections(): boolean {
    return this.#peer?.refuseNewConnections ?? false;
  }

  /** Sets the peer's `refuseNewConnections`; no effect without a peer. */
  set refuseNewConnections(refuse: boolean) {
    if (this.#peer !== null) this.#peer.refuseNewConnections = refuse;
  }

  /**
   * Sends `bytes` as a RAW packet to peer `id`, to everyone (0) or to everyone but `-id`;
   * it arrives as `peer_packet(sender, bytes)` on Godot peers and as `peerPacket` on gdnet
   * ones. `ERR_INVALID_DATA` for empty bytes; `ERR_UNCONFIGURED` without a connected peer;
   * `ERR_INVALID_PARAMETER` for an unknown peer (Godot 4 says `ERR_BUG`); otherwise the
   * peer's error. `mode` and `channel` are stored on the peer, without effect.
   * Ports `send_bytes(bytes, id, mode, channel)`.
   */
  sendBytes(
    bytes: Uint8Array,
    id: number = TARGET_PEER_BROADCAST,
    mode: number = TRANSFER_MODE_RELIABLE,
    channel = 0,
  ): ErrorCode {
    if (!(bytes instanceof Uint8Array)) throw new TypeError("sendBytes expects a Uint8Array");
    if (bytes.byteLength === 0) return ErrorCode.ERR_INVALID_DATA;
    const peer = this.#peer;
    if (peer === null || peer.getConnectionStatus() !== CONNECTION_CONNECTED)
      return ErrorCode.ERR_UNCONFIGURED;
    const packet = new Uint8Array(bytes.byteLength + 1);
    packet[0] = peer.godotVersion === 3 ? GODOT3_COMMAND_RAW : SCENE_COMMAND_RAW;
    packet.set(bytes, 1);
    peer.transferMode = mode;
    peer.transferChannel = channel;
    if (peer.godotVersion === 3) {
      peer.setTargetPeer(id);
      return peer.putPacket(packet);
    }
    return this.#sendCommand(peer, id, packet);
  }

  /**
   * Disconnects peer `id` through the peer (`disconnectPeer(id)`); `peerDisconnected`
   * follows when the peer reports it (Godot 4's current SceneMultiplayer announces the
   * departure at once and emits nothing). `ERR_UNCONFIGURED` without a connected peer.
   * Ports `disconnect_peer`.
   */
  disconnectPeer(id: number): ErrorCode {
    const peer = this.#peer;
    if (peer === null || peer.getConnectionStatus() !== CONNECTION_CONNECTED)
      return ErrorCode.ERR_UNCONFIGURED;
    return peer.disconnectPeer(id);
  }

  /**
   * Declares `method` of the node at `path` as an RPC, as the game's script declares it
   * (`@rpc(...)`, or `Node.rpc_config` with `nodeLevel`), or removes it with `null`.
   * Godot numbers a node's methods by their sorted names, so declare exactly the `@rpc`
   * methods of the script on that node. `path` is absolute under `/root` (`/root/Game`)
   * or relative to it; a path ending in `/*` declares the method on every direct child
   * of that node (spawned players), an exact declaration winning over it. A change after
   * peers were told about the path makes gdnet announce it again, under a new cache id,
   * at the next `rpc()`. Ports `Node.rpc_config(method, config)`; deviation: the node is
   * named by its path, as gdnet has no scene tree.
   */
  rpcConfig(path: string, method: string, config: RpcConfig | null): void {
    this.#rpc.config(path, method, config);
  }

  /**
   * Calls `method` on the node at `path` of peer `peer` (0 every peer, `-id` every peer
   * but `id`) with `args`, in Godot 4's encoding. A `callLocal` method also emits
   * `rpcReceived` here, synchronously, when the target includes this peer. Returns
   * `ERR_UNCONFIGURED` without a peer, `ERR_CONNECTION_ERROR` when it is not connected,
   * `ERR_INVALID_PARAMETER` for an undeclared method (or this peer's own id without
   * `callLocal`), the encoder's error for an argument with no Godot type; `OK` otherwise,
   * also for an unknown peer (nothing is sent, as Godot). A peer whose checksum for this
   * path did not match is skipped. Over a Godot 3 peer, Godot 3's rules apply: method
   * names on the wire, and the `*SYNC` modes (not `callLocal`) run the method here too.
   * Ports `MultiplayerAPI.rpc(peer, object, method, arguments)` (`Node.rpc_id`; Godot 3's
   * `MultiplayerAPI.rpcp`). Throws `TypeError` when `peer` is not a number or `args` not an array.
   */
  rpc(peer: number, path: string, method: string, args: readonly unknown[] = []): ErrorCode {
    if (!Array.isArray(args)) throw new TypeError("rpc expects the arguments as an array");
    return this.#rpc.rpc(targetPeerId(peer), path, method, args);
  }

  /**
   * Sets the peer allowed to call the `RPC_MODE_AUTHORITY` methods of the node at `path`
   * (default 1, the server). Ports `Node.set_multiplayer_authority(id)`; deviation: the
   * node is named by its path, and children do not inherit it.
   */
  setMultiplayerAuthority(path: string, peerId: number): void {
    this.#rpc.setAuthority(path, targetPeerId(peerId));
  }

  /** The multiplayer authority of the node at `path` (1 unless set). Ports `Node.get_multiplayer_authority()`. */
  getMultiplayerAuthority(path: string): number {
    return this.#rpc.authorityOf(path);
  }

  /**
   * How many node paths each remote peer may announce (SIMPLIFY_PATH); past it, its new
   * announcements are refused (`path_cache_full`). Default 4096. gdnet addition (Godot
   * has no limit).
   */
  get maxPathCacheEntries(): number {
    return this.#rpc.maxEntriesPerPeer;
  }

  /** Sets the limit (at least 1). */
  set maxPathCacheEntries(count: number) {
    this.#rpc.maxEntriesPerPeer = Math.max(1, Math.trunc(count) || 1);
  }

  /** The node paths the remote peers announced and that are kept, all peers together. gdnet addition. */
  getPathCacheSize(): number {
    return this.#rpc.cacheSize;
  }

  /** Forgets the connected peers (no signal). Ports `clear`. */
  clear(): void {
    this.#lastStatus = CONNECTION_DISCONNECTED;
    this.#connected.clear();
    this.#localConnected.clear();
    this.#rpc.clear();
  }

  /** Runs `emit` with `getRemoteSenderId()` answering `sender`. */
  #emitAs(sender: number, emit: () => void): void {
    const previous = this.#remoteSenderId;
    this.#remoteSenderId = sender;
    try {
      emit();
    } finally {
      this.#remoteSenderId = previous;
    }
  }

  #updateStatus(): void {
    const status = this.#peer?.getConnectionStatus() ?? CONNECTION_DISCONNECTED;
    if (status === this.#lastStatus) return;
    const previous = this.#lastStatus;
    if (previous === CONNECTION_DISCONNECTED) this.#serverSession = this.#peer?.getUniqueId() === SERVER_ID;
    if (status === CONNECTION_DISCONNECTED) {
      const wasClient = !this.#serverSession;
      this.clear();
      this.#lastStatus = status;
      if (wasClient && previous === CONNECTION_CONNECTING) this.connectionFailed.emit();
      else if (wasClient) this.serverDisconnected.emit();
      return;
    }
    this.#lastStatus = status;
  }

  #addPeer(id: number): void {
    const peer = this.#peer;
    if (peer === null || this.#connected.has(id)) return;
    if (this.#relaysAsServer(peer)) announceJoin(peer, this.#connected, id, this.#isLocal);
    this.#connected.add(id);
    if (this.#isLocal(id)) this.#localConnected.add(id);
    if (id === SERVER_ID && peer.godotVersion === 4) this.connectedToServer.emit();
    this.peerConnected.emit(id);
    if (id === SERVER_ID && peer.godotVersion === 3) this.connectedToServer.emit();
  }

  #deletePeer(id: number): void {
    const peer = this.#peer;
    if (peer === null || !this.#connected.delete(id)) return;
    this.#localConnected.delete(id);
    this.#rpc.removePeer(id);
    if (this.#relaysAsServer(peer)) announceLeave(peer, this.#connected, id, this.#isLocal);
    this.peerDisconnected.emit(id);
  }

  /**
   * Whether peer `id` is a client of this process: false for the peers of other processes
   * of a cluster (`WebSocketMultiplayerPeer.isRemotePeer`, docs/cluster.md).
   */
  readonly #isLocal = (id: number): boolean =>
    !(this.#peer as { isRemotePeer?(id: number): boolean } | null)?.isRemotePeer?.(id);

  #relays(peer: MultiplayerPeerApi): boolean {
    return this.serverRelay && peer.isServerRelaySupported();
  }

  /** Godot 4 relay duties fall on this peer: relay on, a server, a transport that leaves relaying to us. */
  #relaysAsServer(peer: MultiplayerPeerApi): boolean {
    return this.serverRelay && peer.isServerRelaySupported() && peer.getUniqueId() === SERVER_ID;
  }

  #processGodot4(peer: MultiplayerPeerApi, sender: number, packet: Uint8Array): void {
    if ((packet[0]! & SCENE_COMMAND_MASK) !== SCENE_COMMAND_SYS) this.#processScene(sender, packet);
    else if (this.serverRelay && peer.isServerRelaySupported())
      processSys(peer, this.#connected, sender, packet, this.#sysHandlers);
  }

  readonly #sysHandlers = {
    addPeer: (id: number) => this.#addPeer(id),
    deletePeer: (id: number) => this.#deletePeer(id),
    processScene: (sender: number, packet: Uint8Array) => this.#processScene(sender, packet),
  };

  /** A Godot 4 scene packet from `sender`: the RPC layer's if it is about a declared path, else delivered. */
  #processScene(sender: number, packet: Uint8Array): void {
    if (!this.#rpc.process(4, sender, packet))
      this.#deliver(sender, packet, SCENE_COMMAND_RAW, SCENE_COMMAND_SYNC);
  }

  /** A Godot 3 MultiplayerAPI packet: the RPC layer's (which also answers SIMPLIFY_PATH), else delivered. */
  #processGodot3(sender: number, packet: Uint8Array): void {
    if (!this.#rpc.process(3, sender, packet))
      this.#deliver(sender, packet, GODOT3_COMMAND_RAW, GODOT3_COMMAND_CONFIRM_PATH);
  }

  /**
   * Emits a packet of the scene layer: RAW (`raw`) as `peerPacket` without its command
   * byte (at least one byte of data), other known commands (up to `lastCommand`) as
   * `scenePacket`. Anything else is dropped.
   */
  #deliver(sender: number, packet: Uint8Array, raw: number, lastCommand: number): void {
    const command = packet[0]! & SCENE_COMMAND_MASK;
    this.#remoteSenderId = sender;
    try {
      if (command === raw) {
        if (packet.byteLength >= 2) this.peerPacket.emit(sender, packet.slice(1));
      } else if (command <= lastCommand) {
        this.scenePacket.emit(sender, packet);
      }
    } finally {
      this.#remoteSenderId = 0;
    }
  }

  /** Godot 4's `send_command`: through the server's relay from a client, directly from a server. */
  #sendCommand(peer: MultiplayerPeerApi, to: number, packet: Uint8Array): ErrorCode {
    return sendCommand(peer, this.#connected, this.serverRelay && peer.isServerRelaySupported(), to, packet);
  }
}
