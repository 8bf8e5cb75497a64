import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");

describe("docs/testing.md", () => {
  it("shows the arena example and its test exactly as they are in the repository", () => {
    const doc = read("docs/testing.md");
    for (const file of ["examples/arena/server.mjs", "examples/arena/client.mjs", "test/arena.test.ts"]) {
      expect(doc, file).toContain(read(file).trimEnd());
    }
  });
});

/**
 * Every exported class with its public instance members (methods, accessors, properties
 * and signals), computed from the source with the TypeScript compiler: members that are
 * private, protected, `#private` or marked `@internal` are not part of the API.
 */
const docs = new Map<string, Map<string, string>>();

function publicApi(): Map<string, string[]> {
  const entry = fileURLToPath(new URL("../src/index.ts", import.meta.url));
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
  });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  const api = new Map<string, string[]>();
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!(symbol.flags & ts.SymbolFlags.Class)) continue;
    const members: string[] = [];
    docs.set(exported.name, new Map());
    for (const member of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))) {
      const declaration = member.declarations?.[0];
      if (declaration === undefined || !declaration.getSourceFile().fileName.includes("/src/")) continue;
      if (member.name.startsWith("#") || member.name.startsWith("__")) continue;
      const flags = ts.getCombinedModifierFlags(declaration as ts.Declaration);
      if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
      if (ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === "internal")) continue;
      members.push(member.name);
      docs
        .get(exported.name)!
        .set(member.name, ts.displayPartsToString(member.getDocumentationComment(checker)));
    }
    api.set(exported.name, members);
  }
  return api;
}

describe("docs/porting.md", () => {
  const porting = read("docs/porting.md");
  const api = publicApi();

  it("finds the exported classes and their members (the check below is over a real list)", () => {
    for (const expected of [
      "StreamPeerTCP",
      "TCPServer",
      "WebSocketPeer",
      "WebSocketServer",
      "HTTPRequest",
      "MemoryNetwork",
    ]) {
      expect([...api.keys()]).toContain(expected);
    }
    expect(api.get("StreamPeerTCP")).toEqual(
      expect.arrayContaining(["connectToHost", "getStatus", "bigEndian", "putU32"]),
    );
    expect(api.get("StreamPeerTCP")).not.toContain("applyStagedEvent");
  });

  it("names every public method, property and signal of every exported class", () => {
    const missing: string[] = [];
    for (const [className, members] of api) {
      for (const member of members) {
        if (!new RegExp(`\\b${member}\\b`).test(porting)) missing.push(`${className}.${member}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe("TSDoc", () => {
  // The classes that port a Godot class: each public member's documentation names the
  // Godot member it ports (or says it is gdnet's own addition).
  const ported = [
    "PacketPeer",
    "StreamPeer",
    "StreamPeerBuffer",
    "PacketPeerStream",
    "StreamPeerTCP",
    "TCPServer",
    "TLSOptions",
    "WebSocketPeer",
    "WebSocketServer",
    "WebSocketClient",
    "HTTPRequest",
    "MultiplayerPeer",
    "WebSocketMultiplayerPeer",
    "SceneMultiplayer",
  ];

  it("names the Godot original of every public member of the ported classes", () => {
    const api = publicApi();
    const unnamed: string[] = [];
    for (const className of ported) {
      const members = docs.get(className);
      if (members === undefined) continue;
      for (const [member, text] of members) {
        if (!/Ports|Godot|gdnet addition|gdnet's own/i.test(text))
          unnamed.push(`${className}.${member}: ${text.slice(0, 60)}`);
      }
    }
    expect(api.size).toBeGreaterThan(10);
    expect(unnamed).toEqual([]);
  });
});
