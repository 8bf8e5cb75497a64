// Types for scripts/fetch-godot4.mjs, which the Godot 4.6 test harness imports.
export declare const GODOT4_PACKAGE: string;
export declare const GODOT4_DIR: string;
export declare const GODOT4_FILES: Readonly<Record<"index.js" | "index.wasm", string>>;
export declare function godot4Present(dir?: string): boolean;
export declare function fetchGodot4(dir?: string): string;
