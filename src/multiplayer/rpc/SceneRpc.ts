/*
 * The RPC part of a SceneMultiplayer: the declarations, the path cache, and the RPC layer
 * of whichever Godot version the peer speaks (SceneRPCInterface for Godot 4,
 * Godot3RPCInterface for Godot 3). SceneMultiplayer forwards its RPC members here.
 */

import type { ErrorCode } from "../../ErrorCode.js";
import { Godot3RPCInterface, type Godot3RpcHost } from "./Godot3RPCInterface.js";
import { type RpcConfig, RpcDeclarations, relativePath } from "./rpc-declarations.js";
import { SceneCacheInterface } from "./SceneCacheInterface.js";
import { type RpcSignals, SceneRPCInterface } from "./SceneRPCInterface.js";

/** Declarations, path cache and the two protocols' RPC layers of one SceneMultiplayer. */
export class SceneRpc {
  readonly #declarations = new RpcDeclarations();
  readonly #cache = new SceneCacheInterface();
  readonly #godot4: SceneRPCInterface;
  readonly #godot3: Godot3RPCInterface;

  constructor(
    private readonly host: Godot3RpcHost,
    signals: RpcSignals,
  ) {
    this.#godot4 = new SceneRPCInterface(host, signals, this.#declarations, this.#cache);
    this.#godot3 = new Godot3RPCInterface(host, signals, this.#declarations, this.#cache);
  }

  /** Declares or removes a method (see `SceneMultiplayer.rpcConfig`). */
  config(path: string, method: string, config: RpcConfig | null): void {
    this.#declarations.declare(path, method, config);
  }

  /** Calls a method over whichever protocol the peer speaks (see `SceneMultiplayer.rpc`). */
  rpc(target: number, path: string, method: string, args: readonly unknown[]): ErrorCode {
    const layer = this.host.peer()?.godotVersion === 3 ? this.#godot3 : this.#godot4;
    return layer.rpc(target, path, method, args);
  }

  /** Handles a scene packet; false when SceneMultiplayer should deliver it through `scenePacket`. */
  process(godotVersion: 3 | 4, sender: number, packet: Uint8Array): boolean {
    return godotVersion === 3 ? this.#godot3.process(sender, packet) : this.#godot4.process(sender, packet);
  }

  setAuthority(path: string, id: number): void {
    this.#declarations.setAuthority(path, id);
  }

  authorityOf(path: string): number {
    return this.#declarations.authorityOf(relativePath(path));
  }

  get maxEntriesPerPeer(): number {
    return this.#cache.maxEntriesPerPeer;
  }

  set maxEntriesPerPeer(count: number) {
    this.#cache.maxEntriesPerPeer = count;
  }

  /** Path-cache entries kept for every remote peer together. */
  get cacheSize(): number {
    return this.#cache.size;
  }

  /** Forgets what peer `id` announced and confirmed (it left). */
  removePeer(id: number): void {
    this.#cache.removePeer(id);
  }

  /** Forgets every peer's path cache (a new session); the declarations stay. */
  clear(): void {
    this.#cache.clear();
  }
}
