import { describe, expect, it } from "vitest";
import { ERR_FILE_EOF, ERR_INVALID_PARAMETER, OK, StreamPeerBuffer } from "../src/index.js";
import { hex, toHex } from "./support/hex.js";

describe("StreamPeerBuffer", () => {
  it("put_string writes a u32 length and the ASCII bytes, with no terminator", () => {
    const buffer = new StreamPeerBuffer();
    buffer.putString("hi");
    expect(toHex(buffer.dataArray)).toBe("020000006869");
  });

  it("put_string turns characters above U+007F into spaces, one per character", () => {
    const buffer = new StreamPeerBuffer();
    buffer.putString("aé😀b");
    expect(toHex(buffer.dataArray)).toBe("04000000" + "61202062");
  });

  it("put_utf8_string writes the UTF-8 byte length and bytes", () => {
    const buffer = new StreamPeerBuffer();
    buffer.putUtf8String("é");
    expect(toHex(buffer.dataArray)).toBe("02000000c3a9");
    buffer.clear();
    buffer.putUtf8String("héllo ✓");
    expect(buffer.getSize()).toBe(4 + 10);
  });

  it("big_endian flips the length prefix of strings", () => {
    const buffer = new StreamPeerBuffer();
    buffer.bigEndian = true;
    buffer.putString("hi");
    expect(toHex(buffer.dataArray)).toBe("000000026869");
  });

  it("put_half encodes the reference value 0.33325195 as 0x3555", () => {
    const buffer = new StreamPeerBuffer();
    buffer.putHalf(0.33325195);
    expect(toHex(buffer.dataArray)).toBe("5535");
    buffer.seek(0);
    expect(buffer.getHalf()).toBeCloseTo(0.33325195, 7);
  });

  it("put_half(3.1415927) reads back as about 3.14062", () => {
    const buffer = new StreamPeerBuffer();
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: the value of Godot's own test.
    buffer.putHalf(3.1415927);
    buffer.seek(0);
    expect(buffer.getHalf()).toBeCloseTo(3.140625, 6);
  });

  it("put_half truncates like Godot's make_half_float instead of rounding", () => {
    const buffer = new StreamPeerBuffer();
    buffer.putHalf(1.000732421875);
    buffer.putHalf(1e-6);
    expect(toHex(buffer.dataArray)).toBe("003c" + "0000");
  });

  it("put_float and put_double match the reference encodings", () => {
    const buffer = new StreamPeerBuffer();
    buffer.putFloat(0.15625);
    buffer.putDouble(0.3333333333333333);
    expect(toHex(buffer.dataArray)).toBe("0000203e555555555555d53f");
  });

  for (const bigEndian of [false, true]) {
    it(`every typed helper round-trips (${bigEndian ? "big" : "little"}-endian)`, () => {
      const buffer = new StreamPeerBuffer();
      buffer.bigEndian = bigEndian;
      buffer.put8(-128);
      buffer.putU8(255);
      buffer.put16(-32768);
      buffer.putU16(65535);
      buffer.put32(-2147483648);
      buffer.putU32(4294967295);
      buffer.put64(-9223372036854775808n);
      buffer.putU64(18446744073709551615n);
      buffer.putHalf(-2.5);
      buffer.putFloat(1.5);
      buffer.putDouble(Math.PI);
      buffer.putString("Hello, World!");
      buffer.putUtf8String("Hello✩, World✩!");
      buffer.seek(0);
      expect(buffer.get8()).toBe(-128);
      expect(buffer.getU8()).toBe(255);
      expect(buffer.get16()).toBe(-32768);
      expect(buffer.getU16()).toBe(65535);
      expect(buffer.get32()).toBe(-2147483648);
      expect(buffer.getU32()).toBe(4294967295);
      expect(buffer.get64()).toBe(-9223372036854775808n);
      expect(buffer.getU64()).toBe(18446744073709551615n);
      expect(buffer.getHalf()).toBe(-2.5);
      expect(buffer.getFloat()).toBe(1.5);
      expect(buffer.getDouble()).toBe(Math.PI);
      expect(buffer.getString()).toBe("Hello, World!");
      expect(buffer.getUtf8String()).toBe("Hello✩, World✩!");
      expect(buffer.getAvailableBytes()).toBe(0);
    });
  }

  it("typed puts wrap like two's complement and accept numbers for 64-bit", () => {
    const buffer = new StreamPeerBuffer();
    buffer.put8(200);
    buffer.putU16(-1);
    buffer.put64(-1);
    buffer.putU64(2 ** 53);
    expect(toHex(buffer.dataArray)).toBe("c8ffff" + "ffffffffffffffff" + "0000000000002000");
  });

  it("get_data past the end takes what is there, advances by that much and fails", () => {
    const buffer = new StreamPeerBuffer();
    buffer.putU8(42);
    buffer.seek(0);
    const [error, data] = buffer.getData(3);
    expect(error).toBe(ERR_INVALID_PARAMETER);
    expect(data[0]).toBe(42);
    expect(buffer.getPosition()).toBe(1);
  });

  it("get_partial_data at the end is ERR_FILE_EOF; 0 bytes is OK and empty", () => {
    const buffer = new StreamPeerBuffer();
    buffer.dataArray = new Uint8Array([1, 2, 3]);
    expect(buffer.getPartialData(0)).toEqual([OK, new Uint8Array(0)]);
    expect(buffer.getPartialData(10)).toEqual([OK, new Uint8Array([1, 2, 3])]);
    expect(buffer.getPartialData(1)).toEqual([ERR_FILE_EOF, new Uint8Array(0)]);
  });

  it("get_string and get_utf8_string on an empty buffer return an empty string", () => {
    const buffer = new StreamPeerBuffer();
    expect(buffer.getString()).toBe("");
    expect(buffer.getUtf8String()).toBe("");
    expect(buffer.getLastError()).not.toBe(OK);
  });

  it("get_string stops at the first NUL and reads bytes as Latin-1", () => {
    const buffer = new StreamPeerBuffer();
    buffer.dataArray = hex("05000000 41e9004243");
    expect(buffer.getString()).toBe("Aé");
    expect(buffer.getPosition()).toBe(9);
  });

  it("a negative string length gives an empty string", () => {
    const buffer = new StreamPeerBuffer();
    buffer.dataArray = hex("ffffffff 41");
    expect(buffer.getString()).toBe("");
  });

  it("seek accepts only 0..size and otherwise leaves the cursor", () => {
    const buffer = new StreamPeerBuffer();
    buffer.dataArray = new Uint8Array(4);
    expect(buffer.seek(4)).toBe(OK);
    expect(buffer.seek(5)).toBe(ERR_INVALID_PARAMETER);
    expect(buffer.seek(-1)).toBe(ERR_INVALID_PARAMETER);
    expect(buffer.getPosition()).toBe(4);
  });

  it("setting data_array resets the cursor, and the getter returns a copy", () => {
    const buffer = new StreamPeerBuffer();
    buffer.putU32(7);
    buffer.dataArray = new Uint8Array([9, 8]);
    expect(buffer.getPosition()).toBe(0);
    const copy = buffer.dataArray;
    copy[0] = 0;
    expect(buffer.dataArray[0]).toBe(9);
  });

  it("resize keeps the cursor, even past the end; clear empties and rewinds", () => {
    const buffer = new StreamPeerBuffer();
    buffer.putU32(0x01020304);
    expect(buffer.resize(2)).toBe(OK);
    expect(buffer.getPosition()).toBe(4);
    expect(buffer.getAvailableBytes()).toBe(0);
    expect(buffer.resize(6)).toBe(OK);
    expect(toHex(buffer.dataArray)).toBe("040300000000");
    buffer.clear();
    expect([buffer.getSize(), buffer.getPosition()]).toEqual([0, 0]);
  });

  it("duplicate copies the data with the cursor at 0", () => {
    const buffer = new StreamPeerBuffer();
    buffer.putU16(0xbeef);
    const copy = buffer.duplicate();
    expect(copy.getPosition()).toBe(0);
    expect(copy.getU16()).toBe(0xbeef);
    copy.putU8(1);
    expect(buffer.getSize()).toBe(2);
  });

  it("writes in the middle overwrite and grow only as needed", () => {
    const buffer = new StreamPeerBuffer();
    buffer.putData(new Uint8Array([1, 2, 3, 4]));
    buffer.seek(2);
    buffer.putData(new Uint8Array([9, 9, 9]));
    expect(Array.from(buffer.dataArray)).toEqual([1, 2, 9, 9, 9]);
    expect(buffer.putPartialData(new Uint8Array([5]))).toEqual([OK, 1]);
  });

  it("put_var writes an int32 length that follows big_endian and a little-endian body", () => {
    const buffer = new StreamPeerBuffer();
    buffer.putVar("hi");
    expect(toHex(buffer.dataArray)).toBe("0c000000" + "04000000" + "02000000" + "68690000");
    const be = new StreamPeerBuffer();
    be.bigEndian = true;
    be.putVar("abc");
    expect(toHex(be.dataArray)).toBe("0000000c" + "04000000" + "03000000" + "61626300");
    be.seek(0);
    expect(be.getVar()).toBe("abc");
  });

  it("put_var and get_var round-trip an array in both endiannesses", () => {
    for (const bigEndian of [false, true]) {
      const buffer = new StreamPeerBuffer();
      buffer.bigEndian = bigEndian;
      buffer.putVar(["Hello, World!", 42]);
      buffer.seek(0);
      expect(buffer.getVar()).toEqual(["Hello, World!", 42]);
    }
  });
});
