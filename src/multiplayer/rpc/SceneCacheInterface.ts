/*
 * Godot 4's node-path cache, both directions (reference/godot4-rpc.md §4): the paths each
 * remote peer announced to us (SIMPLIFY_PATH, looked up by the sender's cache id), and
 * the paths we announced to each peer with their confirmation state.
 *
 * Each peer's announcements are capped, so a peer announcing one path under thousands
 * of ids costs a bounded amount of memory; everything about a peer goes when it leaves.
 */

/** What a remote peer said one of its cache ids means. */
export interface AnnouncedPath {
  /** Relative to the multiplayer root. */
  readonly path: string;
  /** The checksum of the peer's methods on that node. */
  readonly checksum: string;
}

/** Where a path we announced stands with one peer. */
export const ConfirmState = {
  /** SIMPLIFY_PATH sent, no CONFIRM_PATH yet: RPCs spell the path out. */
  Pending: 0,
  /** Confirmed with matching checksums: RPCs use the cache id. */
  Confirmed: 1,
  /** Confirmed with `valid = 0`: the peer numbers the methods differently. */
  Mismatched: 2,
} as const;
/** One of the {@link ConfirmState} values. */
export type ConfirmState = (typeof ConfirmState)[keyof typeof ConfirmState];

/** A path we announce under one cache id, and where each peer stands with it. */
export interface SentPath {
  readonly path: string;
  readonly cacheId: number;
  readonly checksum: string;
  readonly peers: Map<number, ConfirmState>;
}

/** What a remote peer announced. */
interface RemotePeer {
  readonly byId: Map<number, AnnouncedPath>;
  /** The last checksum announced for each path, for RPCs that spell the path out. */
  readonly checksumByPath: Map<string, string>;
}

/** The outcome of storing an announcement. */
export type StoreResult = "stored" | "duplicate" | "full";

/** The path cache of one SceneMultiplayer. Ports the bookkeeping of Godot 4's `SceneCacheInterface`. */
export class SceneCacheInterface {
  /** Announcements kept per remote peer; past it, a peer's new SIMPLIFY_PATHs are dropped. */
  maxEntriesPerPeer = 4096;
  readonly #remote = new Map<number, RemotePeer>();
  #remoteEntries = 0;
  readonly #sent = new Map<string, SentPath>();
  readonly #sentById = new Map<number, SentPath>();
  #nextCacheId = 1;

  /** The announcements stored for every remote peer together. */
  get size(): number {
    return this.#remoteEntries;
  }

  /** Stores peer `peer`'s announcement "my `cacheId` is `path`", unless it is a duplicate or the peer is at its cap. */
  store(peer: number, cacheId: number, path: string, checksum: string): StoreResult {
    let remote = this.#remote.get(peer);
    if (remote === undefined) {
      remote = { byId: new Map(), checksumByPath: new Map() };
      this.#remote.set(peer, remote);
    }
    if (remote.byId.has(cacheId)) return "duplicate";
    if (remote.byId.size >= this.maxEntriesPerPeer) return "full";
    remote.byId.set(cacheId, { path, checksum });
    remote.checksumByPath.set(path, checksum);
    this.#remoteEntries++;
    return "stored";
  }

  /** What peer `peer` said `cacheId` means, if it did. */
  lookup(peer: number, cacheId: number): AnnouncedPath | undefined {
    return this.#remote.get(peer)?.byId.get(cacheId);
  }

  /** The checksum peer `peer` last announced for `path`, if it announced it. */
  announcedChecksum(peer: number, path: string): string | undefined {
    return this.#remote.get(peer)?.checksumByPath.get(path);
  }

  /**
   * The announcement of `path` with `checksum`, made on first use with the next cache id.
   * When the checksum changed (the server's declaration changed), the path is announced
   * afresh under a new id, so every peer gets a new SIMPLIFY_PATH and is checked again.
   */
  sentPath(path: string, checksum: string): SentPath {
    const existing = this.#sent.get(path);
    if (existing !== undefined && existing.checksum === checksum) return existing;
    if (existing !== undefined) this.#sentById.delete(existing.cacheId);
    const sent: SentPath = { path, cacheId: this.#nextCacheId++, checksum, peers: new Map() };
    this.#sent.set(path, sent);
    this.#sentById.set(sent.cacheId, sent);
    return sent;
  }

  /** The current announcement of `path`, if any. */
  sentPathOf(path: string): SentPath | undefined {
    return this.#sent.get(path);
  }

  /**
   * Applies peer `peer`'s CONFIRM_PATH for `cacheId`. Returns the announcement, or `null`
   * when the id is not a current one or was never sent to that peer (ignored, as Godot).
   */
  confirm(peer: number, cacheId: number, valid: boolean): SentPath | null {
    const sent = this.#sentById.get(cacheId);
    if (sent === undefined || sent.peers.get(peer) !== ConfirmState.Pending) return null;
    sent.peers.set(peer, valid ? ConfirmState.Confirmed : ConfirmState.Mismatched);
    return sent;
  }

  /** Forgets everything about peer `peer` (it left). */
  removePeer(peer: number): void {
    const remote = this.#remote.get(peer);
    if (remote !== undefined) {
      this.#remoteEntries -= remote.byId.size;
      this.#remote.delete(peer);
    }
    for (const sent of this.#sent.values()) sent.peers.delete(peer);
  }

  /** Forgets every peer and announcement (a new session). */
  clear(): void {
    this.#remote.clear();
    this.#remoteEntries = 0;
    this.#sent.clear();
    this.#sentById.clear();
    this.#nextCacheId = 1;
  }
}
