/*
 * What the server declares about the scene's RPCs: for each node path, the `@rpc`
 * methods of its script (and `Node.rpc_config` ones), and each node's multiplayer
 * authority. Godot numbers a node's methods from its own config, so a third-party peer
 * must declare the same names as the GDScript (reference/godot4-rpc.md §5).
 *
 * A declaration for `<parent>/*` is shared by every direct child of `<parent>` (spawned
 * players, say); a declaration for the exact path wins over it.
 */

import { TRANSFER_MODE_RELIABLE, TRANSFER_MODE_UNRELIABLE } from "../constants.js";
import { rpcChecksum } from "./checksum.js";

/** Godot 4's `MultiplayerAPI.RPC_MODE_DISABLED`. */
export const RPC_MODE_DISABLED = 0;
/** Godot 4's `MultiplayerAPI.RPC_MODE_ANY_PEER`. */
export const RPC_MODE_ANY_PEER = 1;
/** Godot 4's `MultiplayerAPI.RPC_MODE_AUTHORITY`. */
export const RPC_MODE_AUTHORITY = 2;

/** Bit 15 of a method id marks a node-level (`Node.rpc_config`) method. */
const NODE_LEVEL_BIT = 0x8000;
const ROOT = "/root";
const CHILDREN = "/*";

/**
 * How one method may be called, in Godot's `@rpc()` keys (camelCase). Omitted keys take
 * `@rpc()`'s defaults; with `nodeLevel`, those of `Node.rpc_config` (reliable).
 */
export interface RpcConfig {
  /**
   * Who may call it: `SceneMultiplayer.RPC_MODE_AUTHORITY` (default: only the node's
   * multiplayer authority), `RPC_MODE_ANY_PEER`, or `RPC_MODE_DISABLED`. Over a Godot 3
   * peer, one of `SceneMultiplayer.Godot3RpcMode` instead. Godot's `rpc_mode`.
   */
  rpcMode?: number;
  /**
   * `MultiplayerPeer.TRANSFER_MODE_*` set on the peer before each send. Default
   * unreliable (reliable with `nodeLevel`); WebSocket is always reliable anyway.
   * Godot's `transfer_mode`.
   */
  transferMode?: number;
  /** Whether `rpc()` to everyone also runs the method here. Default false. Godot's `call_local`. */
  callLocal?: boolean;
  /** Channel set on the peer before each send. Default 0. Godot's `channel`. */
  channel?: number;
  /**
   * The method is declared with `Node.rpc_config()` in the game rather than `@rpc`:
   * node-level methods get ids with bit 15 and come first in the checksum. Default false.
   * gdnet addition.
   */
  nodeLevel?: boolean;
}

/** A config with every key filled in. */
export interface ResolvedRpcConfig {
  readonly rpcMode: number;
  readonly transferMode: number;
  readonly callLocal: boolean;
  readonly channel: number;
  readonly nodeLevel: boolean;
}

/** One node's RPC table: its methods in id order, their ids and configs, and the checksum. */
export class NodeRpcTable {
  /** Method names in id order (node-level first, then script methods, each sorted). */
  readonly names: readonly string[];
  readonly ids: readonly number[];
  readonly configs: readonly ResolvedRpcConfig[];
  /** Godot 4's checksum of the names. */
  readonly checksum: string;
  readonly #indexByName = new Map<string, number>();
  readonly #indexById = new Map<number, number>();

  constructor(methods: ReadonlyMap<string, ResolvedRpcConfig>) {
    const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const nodeLevel = [...methods.keys()].filter((name) => methods.get(name)!.nodeLevel).sort(byName);
    const script = [...methods.keys()].filter((name) => !methods.get(name)!.nodeLevel).sort(byName);
    this.names = [...nodeLevel, ...script];
    this.ids = [...nodeLevel.map((_, i) => i | NODE_LEVEL_BIT), ...script.map((_, i) => i)];
    this.configs = this.names.map((name) => methods.get(name)!);
    this.checksum = rpcChecksum(this.names);
    this.names.forEach((name, index) => {
      this.#indexByName.set(name, index);
      this.#indexById.set(this.ids[index]!, index);
    });
  }

  /** The index of `name` in this table, -1 when it is not an RPC here. */
  indexOfName(name: string): number {
    return this.#indexByName.get(name) ?? -1;
  }

  /** The index of method id `id`, -1 when the table has no such id. */
  indexOfId(id: number): number {
    return this.#indexById.get(id) ?? -1;
  }
}

/**
 * A node path relative to the multiplayer root (`/root`), as Godot 4 sends it: `/root/Game`
 * and `Game` are both `Game`. Throws `RangeError` for an absolute path outside `/root`.
 */
export function relativePath(path: string): string {
  if (typeof path !== "string") throw new TypeError("a node path must be a string");
  let relative = path;
  if (path.startsWith("/")) {
    if (path !== ROOT && !path.startsWith(`${ROOT}/`)) {
      throw new RangeError(`node path ${path} is not under ${ROOT}, the multiplayer root`);
    }
    relative = path.slice(ROOT.length + 1);
  }
  return relative.endsWith("/") ? relative.slice(0, -1) : relative;
}

/** The absolute form of a path relative to the root, as gdnet reports paths. */
export function absolutePath(relative: string): string {
  return relative === "" ? ROOT : `${ROOT}/${relative}`;
}

/** Every declared node and pattern, and the authorities. */
export class RpcDeclarations {
  readonly #methods = new Map<string, Map<string, ResolvedRpcConfig>>();
  readonly #tables = new Map<string, NodeRpcTable>();
  readonly #authorities = new Map<string, number>();

  /** Whether anything is declared: until then the RPC layer leaves every packet alone. */
  get isEmpty(): boolean {
    return this.#methods.size === 0;
  }

  /**
   * Declares (or with `null` removes) `method` on `path`, or on every child of a path
   * ending in `/*`. The node's table is rebuilt at its next use.
   */
  declare(path: string, method: string, config: RpcConfig | null): void {
    if (typeof method !== "string" || method === "") throw new TypeError("rpcConfig expects a method name");
    const key = relativePath(path);
    let methods = this.#methods.get(key);
    if (config === null) {
      if (methods === undefined || !methods.delete(method)) return;
      if (methods.size === 0) this.#methods.delete(key);
    } else {
      if (methods === undefined) {
        methods = new Map();
        this.#methods.set(key, methods);
      }
      methods.set(method, resolve(config));
    }
    this.#tables.delete(key);
  }

  /** The table of the node at `relative`: its own declaration, else its parent's `/*` one; `null` if neither. */
  tableFor(relative: string): NodeRpcTable | null {
    if (this.#methods.has(relative)) return this.#table(relative);
    const slash = relative.lastIndexOf("/");
    const pattern = slash < 0 ? "*" : `${relative.slice(0, slash)}${CHILDREN}`;
    return this.#methods.has(pattern) ? this.#table(pattern) : null;
  }

  /**
   * What an outgoing `rpc(path, method)` needs: the node's relative path, its table and
   * the method's index in it; `null` when the method is not declared there.
   */
  lookUp(path: string, method: string): { relative: string; table: NodeRpcTable; index: number } | null {
    const relative = relativePath(path);
    const table = this.tableFor(relative);
    const index = table?.indexOfName(method) ?? -1;
    return table === null || index < 0 ? null : { relative, table, index };
  }

  /** Sets the multiplayer authority of the node at `path` (1, the server, by default). */
  setAuthority(path: string, id: number): void {
    const key = relativePath(path);
    if (id === 1) this.#authorities.delete(key);
    else this.#authorities.set(key, id);
  }

  /** The multiplayer authority of the node at `relative`. */
  authorityOf(relative: string): number {
    return this.#authorities.get(relative) ?? 1;
  }

  #table(key: string): NodeRpcTable {
    let table = this.#tables.get(key);
    if (table === undefined) {
      table = new NodeRpcTable(this.#methods.get(key)!);
      this.#tables.set(key, table);
    }
    return table;
  }
}

function resolve(config: RpcConfig): ResolvedRpcConfig {
  const nodeLevel = config.nodeLevel === true;
  const rpcMode = config.rpcMode ?? RPC_MODE_AUTHORITY;
  if (!Number.isInteger(rpcMode) || rpcMode < 0) throw new RangeError(`invalid rpcMode ${rpcMode}`);
  return {
    rpcMode,
    transferMode: config.transferMode ?? (nodeLevel ? TRANSFER_MODE_RELIABLE : TRANSFER_MODE_UNRELIABLE),
    callLocal: config.callLocal === true,
    channel: config.channel ?? 0,
    nodeLevel,
  };
}
