import { createHash } from "node:crypto";

/**
 * Writes Godot 4 `.pck` packs (format 3, as Godot 4.4+ exports them) that make a
 * GDScript of our own the main loop of the official web build. Layout and the two files
 * the engine needs are described in /work/shared/reference/godot4-web-engine.md.
 */

/** A file in the pack: `res://` path (or a path without it) to its text or bytes. */
export type PackFiles = Record<string, string | Uint8Array>;

const PACK_FORMAT_VERSION = 3;
const ENGINE_VERSION = [4, 6, 0] as const;
/** Offsets in the directory are relative to the file base (Godot 4.4+ writes this). */
const PACK_REL_FILEBASE = 2;
const HEADER_SIZE = 4 + 4 * 3 + 4 + 4 + 8 + 8 + 16 * 4;
/** Godot aligns every file in an exported pack; the reader does not need it, we keep it. */
const FILE_ALIGNMENT = 32;

/** The class name the pack registers for the main script (its `class_name`, if any). */
export const MAIN_CLASS = "GdnetGodot4Main";

/** The scene the project names as its main scene (see `godotProject`). */
const HARNESS_SCENE = "gdnet_harness.tscn";

function bytesOf(content: string | Uint8Array): Uint8Array {
  return typeof content === "string" ? new TextEncoder().encode(content) : content;
}

function withoutScheme(path: string): string {
  return path.startsWith("res://") ? path.slice("res://".length) : path;
}

function align(offset: number, to: number): number {
  return Math.ceil(offset / to) * to;
}

/** Packs `files` into the bytes of a `.pck`. */
export function writePck(files: PackFiles): Uint8Array {
  const entries = Object.entries(files).map(([path, content]) => {
    const data = bytesOf(content);
    return { path: new TextEncoder().encode(withoutScheme(path)), data };
  });
  const fileBase = HEADER_SIZE;
  const offsets: number[] = [];
  let end = 0;
  for (const entry of entries) {
    offsets.push(end);
    end = align(end + entry.data.length, FILE_ALIGNMENT);
  }
  const directoryOffset = fileBase + end;
  const directorySize = entries.reduce(
    (size, entry) => size + 4 + align(entry.path.length + 1, 4) + 8 + 8 + 16 + 4,
    4,
  );
  const pck = new Uint8Array(directoryOffset + directorySize);
  const view = new DataView(pck.buffer);
  pck.set(new TextEncoder().encode("GDPC"), 0);
  view.setUint32(4, PACK_FORMAT_VERSION, true);
  view.setUint32(8, ENGINE_VERSION[0], true);
  view.setUint32(12, ENGINE_VERSION[1], true);
  view.setUint32(16, ENGINE_VERSION[2], true);
  view.setUint32(20, PACK_REL_FILEBASE, true);
  view.setBigUint64(24, BigInt(fileBase), true);
  view.setBigUint64(32, BigInt(directoryOffset), true);
  entries.forEach((entry, index) => {
    pck.set(entry.data, fileBase + offsets[index]!);
  });
  let at = directoryOffset;
  view.setUint32(at, entries.length, true);
  at += 4;
  entries.forEach((entry, index) => {
    // The path is NUL-terminated and padded to a multiple of 4; its length field counts the padding.
    const paddedLength = align(entry.path.length + 1, 4);
    view.setUint32(at, paddedLength, true);
    pck.set(entry.path, at + 4);
    at += 4 + paddedLength;
    view.setBigUint64(at, BigInt(offsets[index]!), true);
    view.setBigUint64(at + 8, BigInt(entry.data.length), true);
    pck.set(createHash("md5").update(entry.data).digest(), at + 16);
    view.setUint32(at + 32, 0, true);
    at += 36;
  });
  return pck;
}

/** What a script declares about itself: `class_name` and `extends`, when written at the top level. */
function scriptHeader(source: string): { className?: string; base?: string } {
  const className = /^class_name\s+([A-Za-z_]\w*)/m.exec(source)?.[1];
  const base = /^extends\s+([A-Za-z_]\w*)/m.exec(source)?.[1];
  return { className, base };
}

function classCacheEntry(className: string, base: string, path: string): string {
  return (
    `{ "base": &"${base}", "class": &"${className}", "icon": "", "is_abstract": false, ` +
    `"is_tool": false, "language": &"GDScript", "path": "${path}" }`
  );
}

/**
 * The files of a project whose main loop is `main` (GDScript that `extends SceneTree`),
 * plus `extra` files (more scripts, resources). Every script with a top-level
 * `class_name` is listed in the global class cache, so scripts can name each other;
 * the main script is listed under its own `class_name` or under {@link MAIN_CLASS}.
 */
export function godotProject(main: string, extra: PackFiles = {}): PackFiles {
  const mainHeader = scriptHeader(main);
  const mainClass = mainHeader.className ?? MAIN_CLASS;
  const entries = [classCacheEntry(mainClass, mainHeader.base ?? "SceneTree", "res://main.gd")];
  for (const [path, content] of Object.entries(extra)) {
    if (!path.endsWith(".gd")) continue;
    const header = scriptHeader(typeof content === "string" ? content : new TextDecoder().decode(content));
    if (header.className) {
      entries.push(
        classCacheEntry(header.className, header.base ?? "RefCounted", `res://${withoutScheme(path)}`),
      );
    }
  }
  // The web template also insists on a main scene; an empty Node named for the harness
  // satisfies it (it appears as /root/GdnetHarness beside the script's own nodes).
  const project = `config_version=5\n\n[application]\n\nrun/main_loop_type="${mainClass}"\nrun/main_scene="res://${HARNESS_SCENE}"\n`;
  const classCache = `list=[${entries.join(", ")}]\n`;
  const files: PackFiles = {
    "project.godot": project,
    ".godot/global_script_class_cache.cfg": classCache,
    "main.gd": main,
    [HARNESS_SCENE]: '[gd_scene format=3]\n\n[node name="GdnetHarness" type="Node"]\n',
  };
  for (const [path, content] of Object.entries(extra)) files[withoutScheme(path)] = content;
  return files;
}
