import { describe, expect, it } from "vitest";
import { ERR_INVALID_PARAMETER, OK, Vector2i } from "../../src/index.js";
import {
  decodeGodot3ConfirmPath,
  decodeGodot3RemoteCall,
  decodeGodot3SimplifyPath,
  encodeGodot3RpcBody,
  encodeGodot3SimplifyPath,
  godot3RemoteCall,
} from "../../src/multiplayer/rpc/godot3-remote-call.js";
import { hex, toHex } from "../support/hex.js";

/* Godot 3.2's RPC packets against the bytes Godot 3.2.3 sent (reference/godot3-multiplayer.md). */

/** `hello("A", 1)` as Godot 3.2.3 sent it, first with the path spelled out, then with the cache id. */
const HELLO_FULL = "00 20000080 68656c6c6f00 02 04000000 01000000 41000000 02000000 01000000 47616d6500";
const HELLO_CACHED = "00 01000000 68656c6c6f00 02 04000000 01000000 41000000 02000000 02000000";

describe("Godot 3 RPC codec", () => {
  it('encodes hello("A", 1) byte for byte as Godot 3.2.3, with the path or the cache id', () => {
    const [error, body] = encodeGodot3RpcBody("hello", ["A", 1]);
    expect(error).toBe(OK);
    expect(toHex(godot3RemoteCall(body!, "Game"))).toBe(HELLO_FULL.replace(/ /g, ""));
    const [, second] = encodeGodot3RpcBody("hello", ["A", 2]);
    expect(toHex(godot3RemoteCall(second!, 1))).toBe(HELLO_CACHED.replace(/ /g, ""));
  });

  it("decodes Godot's calls, path cache and confirm", () => {
    expect(decodeGodot3RemoteCall(hex(HELLO_FULL))).toEqual({
      cacheId: -1,
      path: "Game",
      method: "hello",
      args: ["A", 1],
    });
    expect(decodeGodot3RemoteCall(hex(HELLO_CACHED))).toEqual({
      cacheId: 1,
      path: null,
      method: "hello",
      args: ["A", 2],
    });
    expect(decodeGodot3SimplifyPath(hex("02 01000000 47616d6500"))).toEqual({ cacheId: 1, path: "Game" });
    expect(toHex(encodeGodot3SimplifyPath(1, "Game"))).toBe("020100000047616d6500");
    expect(decodeGodot3ConfirmPath(hex("03 47616d6500"))).toBe("Game");
  });

  it("refuses malformed calls, and marks arguments that do not decode", () => {
    for (const bad of [
      "00",
      "0001000000",
      "00 01000000 6869",
      "00 01000000 686900",
      "00 ff000080 686900 00",
    ]) {
      expect(decodeGodot3RemoteCall(hex(bad)), bad).toBeNull();
    }
    expect(decodeGodot3RemoteCall(hex("00 01000000 686900 01 04000000 ff000000"))?.args).toBeNull();
    expect(decodeGodot3RemoteCall(hex("00 01000000 686900 01 11000000 00000000"))?.args).toBeNull();
    expect(decodeGodot3SimplifyPath(hex("02 01000000"))).toBeNull();
    expect(decodeGodot3ConfirmPath(hex("03"))).toBeNull();
    // Godot 3 has no Vector2i: the value cannot be sent.
    expect(encodeGodot3RpcBody("hello", [new Vector2i(1, 2)])[0]).toBe(ERR_INVALID_PARAMETER);
    expect(encodeGodot3RpcBody("hello", new Array(256).fill(0))[0]).toBe(ERR_INVALID_PARAMETER);
  });
});
