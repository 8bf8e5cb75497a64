/*
 * The MultiplayerPeer enums and constants, shared by every multiplayer peer (Godot 4's
 * `MultiplayerPeer`, Godot 3's `NetworkedMultiplayerPeer`: same names, same numbers).
 */

/** No connection. Ports `CONNECTION_DISCONNECTED`. */
export const CONNECTION_DISCONNECTED = 0;
/** Connecting. Ports `CONNECTION_CONNECTING`. */
export const CONNECTION_CONNECTING = 1;
/** Connected. Ports `CONNECTION_CONNECTED`. */
export const CONNECTION_CONNECTED = 2;

/** Ports `TRANSFER_MODE_UNRELIABLE`. */
export const TRANSFER_MODE_UNRELIABLE = 0;
/** Ports `TRANSFER_MODE_UNRELIABLE_ORDERED`. */
export const TRANSFER_MODE_UNRELIABLE_ORDERED = 1;
/** Ports `TRANSFER_MODE_RELIABLE`. */
export const TRANSFER_MODE_RELIABLE = 2;

/** Every peer. Ports `TARGET_PEER_BROADCAST`. */
export const TARGET_PEER_BROADCAST = 0;
/** The server. Ports `TARGET_PEER_SERVER`. */
export const TARGET_PEER_SERVER = 1;

/**
 * A target peer id as `setTargetPeer` stores it: an integer (fractions truncated, as
 * Godot converts to int). Throws `TypeError` for something that is not a number.
 */
export function targetPeerId(id: number): number {
  if (typeof id !== "number" || Number.isNaN(id)) throw new TypeError("setTargetPeer expects a peer id");
  return Math.trunc(id) | 0;
}
