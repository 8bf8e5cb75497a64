/*
 * Godot 3.2's RPCs over a gd_mp_api peer (reference/godot3-multiplayer.md): method names
 * on the wire, plain Variants, a path cache confirmed by path, and the receiver enforcing
 * each method's mode against the node's network master (the server unless set). A part
 * of SceneMultiplayer, beside the Godot 4 SceneRPCInterface; both read the same
 * declarations.
 */

import { ErrorCode } from "../../ErrorCode.js";
import type { MultiplayerPeerApi } from "../../MultiplayerPeer.js";
import { CONNECTION_CONNECTED } from "../constants.js";
import {
  GODOT3_COMMAND_CONFIRM_PATH,
  GODOT3_COMMAND_REMOTE_CALL,
  GODOT3_COMMAND_SIMPLIFY_PATH,
  godot3ConfirmPath,
} from "../godot3-protocol.js";
import {
  decodeGodot3ConfirmPath,
  decodeGodot3RemoteCall,
  decodeGodot3SimplifyPath,
  encodeGodot3RpcBody,
  encodeGodot3SimplifyPath,
  type Godot3RpcBody,
  godot3RemoteCall,
} from "./godot3-remote-call.js";
import { absolutePath, type RpcDeclarations } from "./rpc-declarations.js";
import { ConfirmState, type SceneCacheInterface } from "./SceneCacheInterface.js";
import type { RpcHost, RpcRefusal, RpcSignals } from "./SceneRPCInterface.js";

/**
 * Godot 3's `MultiplayerAPI.RPCMode`, the `rpcMode` of a declaration used over a Godot 3
 * peer (`remote`, `master`, … in GDScript 3). Separate from Godot 4's `RPC_MODE_*`,
 * whose numbers mean other things.
 */
export const Godot3RpcMode = Object.freeze({
  /** `RPC_MODE_DISABLED` (0): never called remotely. */
  DISABLED: 0,
  /** `RPC_MODE_REMOTE` (1), `remote`: runs on the receiver, whoever called. */
  REMOTE: 1,
  /** `RPC_MODE_MASTER` (2), `master`: runs only where this peer is the node's master. */
  MASTER: 2,
  /** `RPC_MODE_PUPPET` (3), `puppet`: runs only on non-masters, called by the master. */
  PUPPET: 3,
  /** `RPC_MODE_REMOTESYNC` (4), `remotesync`: `remote`, and the caller runs it too. */
  REMOTESYNC: 4,
  /** `RPC_MODE_MASTERSYNC` (5), `mastersync`: `master`, and the caller runs it too. */
  MASTERSYNC: 5,
  /** `RPC_MODE_PUPPETSYNC` (6), `puppetsync`: `puppet`, and the caller runs it too. */
  PUPPETSYNC: 6,
});

const { REMOTE, MASTER, PUPPET, REMOTESYNC, MASTERSYNC, PUPPETSYNC } = Godot3RpcMode;

/** What the Godot 3 RPC layer needs besides what the Godot 4 one does. */
export interface Godot3RpcHost extends RpcHost {
  /** Whether every SIMPLIFY_PATH is answered (SceneMultiplayer's `confirmPaths`). */
  confirmPaths(): boolean;
}

/** Godot 3.2's RPCs for a SceneMultiplayer over a Godot 3 peer. Ports the RPC half of Godot 3's `MultiplayerAPI`. */
export class Godot3RPCInterface {
  constructor(
    private readonly host: Godot3RpcHost,
    private readonly signals: RpcSignals,
    private readonly declarations: RpcDeclarations,
    private readonly cache: SceneCacheInterface,
  ) {}

  /** Calls `method` on the node at `path` of peer `target`, as Godot 3's `rpcp`. See `SceneMultiplayer.rpc`. */
  rpc(target: number, path: string, method: string, args: readonly unknown[]): ErrorCode {
    const peer = this.host.peer();
    if (peer === null) return ErrorCode.ERR_UNCONFIGURED;
    if (peer.getConnectionStatus() !== CONNECTION_CONNECTED) return ErrorCode.ERR_CONNECTION_ERROR;
    const call = this.declarations.lookUp(path, method);
    if (call === null) return ErrorCode.ERR_INVALID_PARAMETER;
    const { relative, table, index } = call;
    const mode = table.configs[index]!.rpcMode;
    const self = peer.getUniqueId();
    const isMaster = this.declarations.authorityOf(relative) === self;
    let skip = target === self;
    let local = false;
    if (target === 0 || target === self || (target < 0 && target !== -self)) {
      // Godot 3's _should_call_local: sync modes run here too; a master skips sending its own master calls.
      local =
        mode === REMOTESYNC || mode === PUPPETSYNC || mode === MASTERSYNC || (mode === MASTER && isMaster);
      if (mode === PUPPET) local = !isMaster;
      if ((mode === MASTER || mode === MASTERSYNC) && isMaster) skip = true;
    }
    if (!skip) {
      const error = this.#send(peer, target, relative, method, args);
      if (error !== ErrorCode.OK) return error;
    }
    if (local) {
      this.host.emitAs(self, () =>
        this.signals.rpcReceived.emit(self, absolutePath(relative), method, [...args]),
      );
    }
    return skip && !local ? ErrorCode.ERR_INVALID_PARAMETER : ErrorCode.OK;
  }

  /**
   * Handles a SIMPLIFY_PATH, CONFIRM_PATH or REMOTE_CALL from `sender`. Returns false when
   * SceneMultiplayer should deliver it through `scenePacket` (nothing declared, or a path
   * nobody declared). Every SIMPLIFY_PATH kept is answered when `confirmPaths` is on, as
   * before RPCs were ported, so Godot 3 clients can broadcast with one packet.
   */
  process(sender: number, packet: Uint8Array): boolean {
    const command = packet[0]!;
    if (command === GODOT3_COMMAND_SIMPLIFY_PATH) return this.#processSimplifyPath(sender, packet);
    if (this.declarations.isEmpty) return false;
    if (command === GODOT3_COMMAND_CONFIRM_PATH) {
      const path = decodeGodot3ConfirmPath(packet);
      const sent = path === null ? undefined : this.cache.sentPathOf(path);
      if (sent === undefined) return false;
      if (sent.peers.get(sender) === ConfirmState.Pending) sent.peers.set(sender, ConfirmState.Confirmed);
      return true;
    }
    if (command === GODOT3_COMMAND_REMOTE_CALL) return this.#processCall(sender, packet);
    return false;
  }

  /** Godot 3's `_send_rpc`: SIMPLIFY_PATH to peers that lack it; one packet when all confirmed, else one each. */
  #send(
    peer: MultiplayerPeerApi,
    to: number,
    relative: string,
    method: string,
    args: readonly unknown[],
  ): ErrorCode {
    const connected = this.host.connectedPeers();
    if (to !== 0 && !connected.has(Math.abs(to))) return ErrorCode.OK;
    const [error, body] = encodeGodot3RpcBody(method, args);
    if (body === null) return error;
    const sent = this.cache.sentPath(relative, "");
    let allConfirmed = true;
    for (const id of connected) {
      if ((to < 0 && id === -to) || (to > 0 && id !== to)) continue;
      const state = sent.peers.get(id);
      if (state === undefined) {
        sent.peers.set(id, ConfirmState.Pending);
        peer.setTargetPeer(id);
        peer.putPacket(encodeGodot3SimplifyPath(sent.cacheId, relative));
      }
      if (state !== ConfirmState.Confirmed) allConfirmed = false;
    }
    if (allConfirmed) {
      peer.setTargetPeer(to);
      return peer.putPacket(godot3RemoteCall(body, sent.cacheId));
    }
    this.#sendOneByOne(peer, to, sent.cacheId, sent.peers, relative, body);
    return ErrorCode.OK;
  }

  #sendOneByOne(
    peer: MultiplayerPeerApi,
    to: number,
    cacheId: number,
    states: ReadonlyMap<number, number>,
    relative: string,
    body: Godot3RpcBody,
  ): void {
    const cached = godot3RemoteCall(body, cacheId);
    let spelledOut: Uint8Array | null = null;
    for (const id of this.host.connectedPeers()) {
      if ((to < 0 && id === -to) || (to > 0 && id !== to)) continue;
      peer.setTargetPeer(id);
      if (states.get(id) === ConfirmState.Confirmed) {
        peer.putPacket(cached);
        continue;
      }
      spelledOut ??= godot3RemoteCall(body, relative);
      peer.putPacket(spelledOut);
    }
  }

  #processSimplifyPath(sender: number, packet: Uint8Array): boolean {
    if (!this.declarations.isEmpty) {
      const announced = decodeGodot3SimplifyPath(packet);
      if (announced === null) return this.#refuse(sender, "", "", "malformed");
      const stored = this.cache.store(sender, announced.cacheId, announced.path, "");
      const path = absolutePath(announced.path);
      if (stored === "full") return this.#refuse(sender, path, "", "path_cache_full");
      if (stored === "duplicate") return this.#refuse(sender, path, "", "duplicate_path_id");
      this.#confirm(sender, packet);
      return this.declarations.tableFor(announced.path) !== null;
    }
    this.#confirm(sender, packet);
    return false;
  }

  #confirm(sender: number, simplifyPath: Uint8Array): void {
    const peer = this.host.peer();
    const answer = godot3ConfirmPath(simplifyPath);
    if (peer === null || answer === null || !this.host.confirmPaths()) return;
    peer.setTargetPeer(sender);
    peer.putPacket(answer);
  }

  #processCall(sender: number, packet: Uint8Array): boolean {
    const call = decodeGodot3RemoteCall(packet);
    if (call === null) return this.#refuse(sender, "", "", "malformed");
    const relative = call.path ?? this.cache.lookup(sender, call.cacheId)?.path;
    if (relative === undefined) return this.#refuse(sender, "", call.method, "unknown_path_id");
    const table = this.declarations.tableFor(relative);
    if (table === null) return false;
    const path = absolutePath(relative);
    const index = table.indexOfName(call.method);
    if (index < 0) return this.#refuse(sender, path, call.method, "undeclared_method");
    if (!this.#canCall(table.configs[index]!.rpcMode, relative, sender)) {
      return this.#refuse(sender, path, call.method, "not_allowed");
    }
    const args = call.args;
    if (args === null) return this.#refuse(sender, path, call.method, "bad_arguments");
    this.host.emitAs(sender, () => this.signals.rpcReceived.emit(sender, path, call.method, args));
    return true;
  }

  /** Godot 3's `_can_call_mode`, with this peer's mastership of the node. */
  #canCall(mode: number, relative: string, sender: number): boolean {
    const master = this.declarations.authorityOf(relative);
    const isMaster = master === this.host.peer()?.getUniqueId();
    if (mode === REMOTE || mode === REMOTESYNC) return true;
    if (mode === MASTER || mode === MASTERSYNC) return isMaster;
    if (mode === PUPPET || mode === PUPPETSYNC) return !isMaster && sender === master;
    return false;
  }

  /** Reports a dropped packet; returns true (the packet is handled). */
  #refuse(sender: number, path: string, method: string, reason: RpcRefusal): true {
    this.host.emitAs(sender, () => this.signals.rpcRefused.emit(sender, path, method, reason));
    return true;
  }
}
