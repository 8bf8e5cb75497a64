/*
 * Godot 4's RPC layer for a peer without a scene tree: REMOTE_CALL, SIMPLIFY_PATH and
 * CONFIRM_PATH against what the server declared (reference/godot4-rpc.md). A part of
 * SceneMultiplayer, which gives it the peer, the connected peers and a way to send.
 */

import { ErrorCode } from "../../ErrorCode.js";
import type { MultiplayerPeerApi } from "../../MultiplayerPeer.js";
import type { Signal } from "../../Signal.js";
import { CONNECTION_CONNECTED } from "../constants.js";
import {
  SCENE_COMMAND_CONFIRM_PATH,
  SCENE_COMMAND_MASK,
  SCENE_COMMAND_REMOTE_CALL,
  SCENE_COMMAND_SIMPLIFY_PATH,
} from "../godot4-protocol.js";
import { decodeCompressedArguments } from "./compressed-variant.js";
import {
  decodeConfirmPath,
  decodeSimplifyPath,
  encodeConfirmPath,
  encodeSimplifyPath,
} from "./path-cache.js";
import {
  decodeRemoteCall,
  encodeRemoteCall,
  encodeRpcBody,
  type RemoteCallHeader,
  type RpcBody,
} from "./remote-call.js";
import {
  absolutePath,
  type NodeRpcTable,
  RPC_MODE_AUTHORITY,
  RPC_MODE_DISABLED,
  type RpcDeclarations,
} from "./rpc-declarations.js";
import { ConfirmState, type SceneCacheInterface, type SentPath } from "./SceneCacheInterface.js";

/**
 * Why an RPC (or a path announcement) from a peer was dropped, as `rpcRefused` reports it:
 * - `"not_allowed"`: the method's `rpcMode` refuses the sender (`authority` from a peer
 *   that is not the node's authority, or `disabled`), as Godot refuses it;
 * - `"undeclared_method"`: the method id is not in the node's table;
 * - `"checksum_mismatch"`: the peer numbers this node's methods differently (its
 *   SIMPLIFY_PATH or CONFIRM_PATH said so); nothing on that path is exchanged with it;
 * - `"unknown_path_id"`: a cache id the peer never announced;
 * - `"duplicate_path_id"`: a cache id the peer had already announced;
 * - `"path_cache_full"`: the peer announced more paths than `maxPathCacheEntries`;
 * - `"bad_arguments"`: the arguments do not decode (or hold an object);
 * - `"malformed"`: a truncated or inconsistent header.
 */
export type RpcRefusal =
  | "not_allowed"
  | "undeclared_method"
  | "checksum_mismatch"
  | "unknown_path_id"
  | "duplicate_path_id"
  | "path_cache_full"
  | "bad_arguments"
  | "malformed";

/** What the RPC layer needs from the SceneMultiplayer it belongs to. */
export interface RpcHost {
  /** The multiplayer peer, if any. */
  peer(): MultiplayerPeerApi | null;
  /** The connected peers (on a client: 1 and the clients the server announced). */
  connectedPeers(): ReadonlySet<number>;
  /** Sends a scene packet to one peer: directly, or through the server's relay from a client. */
  sendCommand(to: number, packet: Uint8Array): ErrorCode;
  /** Runs `emit` with `getRemoteSenderId()` answering `sender`. */
  emitAs(sender: number, emit: () => void): void;
}

/** The RPC signals, owned by SceneMultiplayer. */
export interface RpcSignals {
  readonly rpcReceived: Signal<[senderId: number, path: string, method: string, args: unknown[]]>;
  readonly rpcRefused: Signal<[senderId: number, path: string, method: string, reason: RpcRefusal]>;
}

/** Godot 4's RPCs over a SceneMultiplayer. Ports the behaviour of `SceneRPCInterface`. */
export class SceneRPCInterface {
  constructor(
    private readonly host: RpcHost,
    private readonly signals: RpcSignals,
    private readonly declarations: RpcDeclarations,
    private readonly cache: SceneCacheInterface,
  ) {}

  /**
   * Calls `method` on the node at `path` of peer `target` (0 everyone, `-id` everyone but
   * `id`). See `SceneMultiplayer.rpc` for the return values.
   */
  rpc(target: number, path: string, method: string, args: readonly unknown[]): ErrorCode {
    const peer = this.host.peer();
    if (peer === null) return ErrorCode.ERR_UNCONFIGURED;
    if (peer.getConnectionStatus() !== CONNECTION_CONNECTED) return ErrorCode.ERR_CONNECTION_ERROR;
    const call = this.declarations.lookUp(path, method);
    if (call === null) return ErrorCode.ERR_INVALID_PARAMETER;
    const { relative, table, index } = call;
    const config = table.configs[index]!;
    const self = peer.getUniqueId();
    if (target === self) {
      if (!config.callLocal) return ErrorCode.ERR_INVALID_PARAMETER;
      this.#runLocally(self, relative, method, args);
      return ErrorCode.OK;
    }
    const [error, body] = encodeRpcBody(args);
    if (body === null) return error;
    peer.transferMode = config.transferMode;
    peer.transferChannel = config.channel;
    const sent = this.cache.sentPath(relative, table.checksum);
    const packets = new OutgoingCall(sent, table.ids[index]!, body);
    const connected = this.host.connectedPeers();
    if (target > 0) {
      if (connected.has(target)) this.#sendTo(target, sent, table, packets);
    } else {
      for (const id of connected) if (id !== -target) this.#sendTo(id, sent, table, packets);
    }
    if (config.callLocal && target <= 0 && target !== -self) this.#runLocally(self, relative, method, args);
    return ErrorCode.OK;
  }

  /**
   * Handles a REMOTE_CALL, SIMPLIFY_PATH or CONFIRM_PATH from `sender`. Returns false when
   * the packet is not the RPC layer's business (nothing declared, or a path nobody
   * declared), so SceneMultiplayer delivers it through `scenePacket`.
   */
  process(sender: number, packet: Uint8Array): boolean {
    if (this.declarations.isEmpty) return false;
    switch (packet[0]! & SCENE_COMMAND_MASK) {
      case SCENE_COMMAND_REMOTE_CALL:
        return this.#processCall(sender, packet);
      case SCENE_COMMAND_SIMPLIFY_PATH:
        return this.#processSimplifyPath(sender, packet);
      case SCENE_COMMAND_CONFIRM_PATH:
        return this.#processConfirmPath(sender, packet);
      default:
        return false;
    }
  }

  #sendTo(id: number, sent: SentPath, table: NodeRpcTable, call: OutgoingCall): void {
    if (this.#mismatched(id, sent.path, table)) return;
    let state = sent.peers.get(id);
    if (state === undefined) {
      state = ConfirmState.Pending;
      sent.peers.set(id, state);
      this.host.sendCommand(id, encodeSimplifyPath(sent.checksum, sent.cacheId, sent.path));
    }
    this.host.sendCommand(id, state === ConfirmState.Confirmed ? call.cached() : call.spelledOut());
  }

  /** Whether peer `id` was found to number the methods of `path` differently, either way. */
  #mismatched(id: number, path: string, table: NodeRpcTable): boolean {
    const announced = this.cache.announcedChecksum(id, path);
    if (announced !== undefined && announced !== table.checksum) return true;
    const sent = this.cache.sentPathOf(path);
    return (
      sent !== undefined && sent.checksum === table.checksum && sent.peers.get(id) === ConfirmState.Mismatched
    );
  }

  #runLocally(self: number, relative: string, method: string, args: readonly unknown[]): void {
    this.host.emitAs(self, () =>
      this.signals.rpcReceived.emit(self, absolutePath(relative), method, [...args]),
    );
  }

  #processCall(sender: number, packet: Uint8Array): boolean {
    const call = decodeRemoteCall(packet);
    if (call === null) return this.#refuse(sender, "", "", "malformed");
    let relative: string;
    let announcedChecksum: string | undefined;
    if (call.path === null) {
      const announced = this.cache.lookup(sender, call.cacheId);
      if (announced === undefined) return this.#refuse(sender, "", "", "unknown_path_id");
      relative = announced.path;
      announcedChecksum = announced.checksum;
    } else {
      relative = call.path;
      announcedChecksum = this.cache.announcedChecksum(sender, relative);
    }
    const table = this.declarations.tableFor(relative);
    if (table === null) return false;
    const path = absolutePath(relative);
    if (
      (announcedChecksum !== undefined && announcedChecksum !== table.checksum) ||
      this.#mismatched(sender, relative, table)
    ) {
      return this.#refuse(sender, path, "", "checksum_mismatch");
    }
    const index = table.indexOfId(call.methodId);
    if (index < 0) return this.#refuse(sender, path, "", "undeclared_method");
    const method = table.names[index]!;
    const mode = table.configs[index]!.rpcMode;
    if (
      mode === RPC_MODE_DISABLED ||
      (mode === RPC_MODE_AUTHORITY && sender !== this.declarations.authorityOf(relative))
    ) {
      return this.#refuse(sender, path, method, "not_allowed");
    }
    const args = decodeArguments(packet, call);
    if (args === null) return this.#refuse(sender, path, method, "bad_arguments");
    this.host.emitAs(sender, () => this.signals.rpcReceived.emit(sender, path, method, args));
    return true;
  }

  #processSimplifyPath(sender: number, packet: Uint8Array): boolean {
    const announced = decodeSimplifyPath(packet);
    if (announced === null) return this.#refuse(sender, "", "", "malformed");
    const table = this.declarations.tableFor(announced.path);
    const path = absolutePath(announced.path);
    const stored = this.cache.store(sender, announced.cacheId, announced.path, announced.checksum);
    if (stored === "full") return this.#refuse(sender, path, "", "path_cache_full");
    if (stored === "duplicate") return this.#refuse(sender, path, "", "duplicate_path_id");
    // A path nobody declared is not answered, as Godot does not answer for a node it lacks.
    if (table === null) return false;
    const valid = announced.checksum === table.checksum;
    this.host.sendCommand(sender, encodeConfirmPath(valid, announced.cacheId));
    if (!valid) this.#refuse(sender, path, "", "checksum_mismatch");
    return true;
  }

  #processConfirmPath(sender: number, packet: Uint8Array): boolean {
    const confirmed = decodeConfirmPath(packet);
    if (confirmed === null) return this.#refuse(sender, "", "", "malformed");
    const sent = this.cache.confirm(sender, confirmed.cacheId, confirmed.valid);
    if (sent !== null && !confirmed.valid)
      this.#refuse(sender, absolutePath(sent.path), "", "checksum_mismatch");
    return true;
  }

  /** Reports a dropped packet; returns true (the packet is handled). */
  #refuse(sender: number, path: string, method: string, reason: RpcRefusal): true {
    this.host.emitAs(sender, () => this.signals.rpcRefused.emit(sender, path, method, reason));
    return true;
  }
}

/** The two forms of one call's packet, each built at most once for all targets. */
class OutgoingCall {
  #cached: Uint8Array | null = null;
  #spelledOut: Uint8Array | null = null;

  constructor(
    private readonly sent: SentPath,
    private readonly methodId: number,
    private readonly body: RpcBody,
  ) {}

  /** With the cache id, for peers that confirmed the path. */
  cached(): Uint8Array {
    this.#cached ??= encodeRemoteCall(this.sent.cacheId, this.methodId, this.body);
    return this.#cached;
  }

  /** With the path spelled out, for peers that have not confirmed it yet. */
  spelledOut(): Uint8Array {
    this.#spelledOut ??= encodeRemoteCall(this.sent.path, this.methodId, this.body);
    return this.#spelledOut;
  }
}

/** The arguments of a REMOTE_CALL, or `null` when they do not decode. */
function decodeArguments(packet: Uint8Array, call: RemoteCallHeader): unknown[] | null {
  if (call.byteOnly) return call.argsEnd > call.argsStart ? [packet.slice(call.argsStart, call.argsEnd)] : [];
  const [error, args] = decodeCompressedArguments(packet, call.argsStart, call.argsEnd, call.argc);
  return error === ErrorCode.OK ? args : null;
}
