import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ERR_INVALID_DATA, ERR_INVALID_PARAMETER, Float, OK, Vector2 } from "../../src/index.js";
import { rpcChecksum } from "../../src/multiplayer/rpc/checksum.js";
import {
  decodeCompressedArguments,
  encodeCompressedArguments,
} from "../../src/multiplayer/rpc/compressed-variant.js";
import {
  decodeConfirmPath,
  decodeSimplifyPath,
  encodeConfirmPath,
  encodeSimplifyPath,
} from "../../src/multiplayer/rpc/path-cache.js";
import { decodeRemoteCall, encodeRemoteCall, encodeRpcBody } from "../../src/multiplayer/rpc/remote-call.js";
import { NodeRpcTable, RpcDeclarations } from "../../src/multiplayer/rpc/rpc-declarations.js";
import { hex, toHex } from "../support/hex.js";

/*
 * The RPC codec against the bytes Godot 4.6 sent and ran
 * (reference/godot4-rpc.md §10 and godot4-rpc-capture/capture.txt).
 */

const GAME_SUM = "afc4587f66e8e43eb971fa1200a7fee4";
const utf8 = (text: string) => new TextEncoder().encode(text);
const game = (methods: string[], nodeLevel: string[] = []) => {
  const declarations = new RpcDeclarations();
  for (const name of methods) declarations.declare("/root/Game", name, {});
  for (const name of nodeLevel) declarations.declare("/root/Game", name, { nodeLevel: true });
  return declarations.tableFor("Game")!;
};

/** Encodes a call the way SceneRPCInterface does. */
function call(node: number | string, methodId: number, args: unknown[]): string {
  const [error, body] = encodeRpcBody(args);
  expect(error).toBe(OK);
  return toHex(encodeRemoteCall(node, methodId, body!));
}

/** Decodes a call's header and arguments. */
function decode(packetHex: string) {
  const packet = hex(packetHex);
  const header = decodeRemoteCall(packet)!;
  if (header.byteOnly) {
    return {
      ...header,
      args: header.argsEnd > header.argsStart ? [packet.slice(header.argsStart, header.argsEnd)] : [],
    };
  }
  const [error, args] = decodeCompressedArguments(packet, header.argsStart, header.argsEnd, header.argc);
  expect(error).toBe(OK);
  return { ...header, args };
}

describe("RPC codec (Godot 4.6 bytes)", () => {
  it("the checksum is the MD5 of the names joined, multi-byte text as UTF-8", () => {
    for (const names of [[], ["a"], ["x".repeat(55), "y"], ["é".repeat(100)]]) {
      expect(rpcChecksum(names)).toBe(
        createHash("md5")
          .update(utf8(names.join("")))
          .digest("hex"),
      );
    }
  });

  it("method ids are the sorted names, node-level first with bit 15, and the checksum is Godot's", () => {
    const table = game(["hello_server", "from_server", "secret", "chat"]);
    expect(table.names).toEqual(["chat", "from_server", "hello_server", "secret"]);
    expect(table.ids).toEqual([0, 1, 2, 3]);
    expect(table.checksum).toBe(GAME_SUM);
    expect(rpcChecksum(["chat", "from_server", "hello_server", "secret"])).toBe(GAME_SUM);
    const other = game(["loc", "bb", "auth_only"], ["zap"]);
    expect(other.names).toEqual(["zap", "auth_only", "bb", "loc"]);
    expect(other.ids).toEqual([0x8000, 0, 1, 2]);
    expect(other.checksum).toBe("359cdbd17b0821c5000cfaf0c9ac53cb");
    expect(other.indexOfId(0x8000)).toBe(0);
    expect(other.indexOfId(3)).toBe(-1);
    expect(new NodeRpcTable(new Map()).checksum).toBe("d41d8cd98f00b204e9800998ecf8427e");
  });

  it("SIMPLIFY_PATH and CONFIRM_PATH are byte for byte Godot's", () => {
    const simplify = `01${toHex(utf8(GAME_SUM))}00 01000000 47616d6500`.replace(/ /g, "");
    expect(toHex(encodeSimplifyPath(GAME_SUM, 1, "Game"))).toBe(simplify);
    expect(decodeSimplifyPath(hex(simplify))).toEqual({ checksum: GAME_SUM, cacheId: 1, path: "Game" });
    expect(toHex(encodeConfirmPath(true, 1))).toBe("020101000000");
    expect(toHex(encodeConfirmPath(false, 3))).toBe("020003000000");
    expect(decodeConfirmPath(hex("020003000000"))).toEqual({ valid: false, cacheId: 3 });
    expect(decodeConfirmPath(hex("0201010000"))).toBeNull();
    expect(decodeSimplifyPath(hex(simplify).subarray(0, 37))).toBeNull();
    expect(decodeSimplifyPath(hex(simplify).subarray(0, 38))).toBeNull();
  });

  it("encodes the client's first hello_server exactly as Godot sent it (§10a)", () => {
    expect(call("Game", 2, ["hi", 7, new Vector2(1.5, -2)])).toBe(
      "20 21000080 02 03 04000000 02000000 68690000 02 07 05000000 0000c03f 000000c0 47616d6500".replace(
        / /g,
        "",
      ),
    );
  });

  it("decodes Godot's full-path and cache-id calls with their compressed arguments (§10a, c, d)", () => {
    const first = decode("202100008002030400000002000000686900000207050000000000c03f000000c047616d6500");
    expect([first.path, first.cacheId, first.methodId, first.args]).toEqual([
      "Game",
      -1,
      2,
      ["hi", 7, new Vector2(1.5, -2)],
    ]);
    const cached = decode("000102030400000005000000616761696e0000000208050000000000000000000000");
    expect([cached.path, cached.cacheId, cached.methodId, cached.args]).toEqual([
      null,
      1,
      2,
      ["again", 8, new Vector2(0, 0)],
    ]);
    expect(decode("200c00008002038101422c0147616d6500").args).toEqual([true, false, 300]);
    expect(
      decode("202100008002038270110100c2000efad5feffffff030001009a9999999999b93f47616d6500").args,
    ).toEqual([70000, -5000000000, 0.1]);
  });

  it("encodes ints and bools compressed, floats as Godot does, and matches Godot's bytes (§10d)", () => {
    expect(call("Game", 2, [true, false, 300])).toBe("200c00008002038101422c0147616d6500");
    expect(call("Game", 2, [70000, -5000000000, 0.1])).toBe(
      "202100008002038270110100c2000efad5feffffff030001009a9999999999b93f47616d6500",
    );
    expect(call(1, 0, ["yo"])).toBe("000100010400000002000000796f0000");
    expect(call(1, 0, [new Float(2)])).toBe("000100010300000000000040");
    expect(call(1, 0, [2n ** 62n])).toBe("00010001c20000000000000040");
  });

  it("top-level ints of every width and sign come back as they went, in the smallest width", () => {
    const ints = [
      0,
      -1,
      127,
      -128,
      128,
      -129,
      32767,
      -32768,
      32768,
      -32769,
      2 ** 31 - 1,
      -(2 ** 31),
      2 ** 31,
      -(2 ** 31) - 1,
      2 ** 53 - 1,
    ];
    const widths = [1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 8, 8, 8];
    ints.forEach((value, i) => {
      const [, bytes] = encodeCompressedArguments([value]);
      expect(bytes.byteLength, String(value)).toBe(1 + widths[i]!);
      expect(decodeCompressedArguments(bytes, 0, bytes.byteLength, 1)).toEqual([OK, [value]]);
    });
    const [, big] = encodeCompressedArguments([-(2n ** 63n)]);
    expect(decodeCompressedArguments(big, 0, big.byteLength, 1)).toEqual([OK, [-(2n ** 63n)]]);
  });

  it("byte-only calls: no arguments, or one PackedByteArray (§10e)", () => {
    expect(call("Game", 2, [new Uint8Array([1, 2, 3])])).toBe("a0090000800201020347616d6500");
    expect(call("Game", 2, [])).toBe("a0060000800247616d6500");
    expect(decode("a0090000800201020347616d6500").args).toEqual([new Uint8Array([1, 2, 3])]);
    expect(decode("a0060000800247616d6500").args).toEqual([]);
  });

  it("a node-level method id takes 16 bits (§10e) and wide cache ids take 16 or 32 bits", () => {
    expect(call("Other", 0x8000, [5])).toBe("600a00008000800102054f7468657200");
    expect(decode("600a00008000800102054f7468657200").methodId).toBe(0x8000);
    const wide = decode(call(300, 1, []));
    expect([wide.cacheId, wide.methodId, wide.path]).toEqual([300, 1, null]);
    expect(call(300, 1, [])).toBe("902c0101");
    expect(call(70000, 1, []).slice(0, 2)).toBe("a0");
    expect(decode(call(70000, 1, [])).cacheId).toBe(70000);
  });

  it("the server's hand-built from_server bytes that Godot 4.6 ran decode to what they carried (§10f)", () => {
    const welcome = decode(
      "20330000800102040000000700000077656c636f6d65001b00000001000000040000000200000069640000020000000500000047616d6500",
    );
    expect([welcome.path, welcome.methodId, welcome.args]).toEqual([
      "Game",
      1,
      ["welcome", new Map([["id", 5]])],
    ]);
    expect(call("Game", 1, ["welcome", new Map([["id", 5]])])).toBe(
      "20330000800102040000000700000077656c636f6d65001b00000001000000040000000200000069640000020000000500000047616d6500",
    );
  });

  it("refuses malformed headers and arguments", () => {
    for (const bad of ["00", "0001", "30010100", "20ff000080010047616d6500", "20050000800100", "400100"]) {
      expect(decodeRemoteCall(hex(bad)), bad).toBeNull();
    }
    expect(decodeCompressedArguments(hex("42ff"), 0, 2, 1)[0]).toBe(ERR_INVALID_DATA);
    expect(decodeCompressedArguments(hex("04000000ff000000"), 0, 8, 1)[0]).toBe(ERR_INVALID_DATA);
    expect(decodeCompressedArguments(hex("0207"), 0, 2, 2)[0]).toBe(ERR_INVALID_DATA);
    expect(encodeCompressedArguments([() => 1])[0]).toBe(ERR_INVALID_PARAMETER);
    expect(encodeCompressedArguments([2 ** 64])[0]).toBe(ERR_INVALID_PARAMETER);
    expect(encodeRpcBody(new Array(256).fill(0))[0]).toBe(ERR_INVALID_PARAMETER);
  });
});
