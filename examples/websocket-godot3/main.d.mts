import type { NetworkOptions } from "gdnet";
export interface WebSocketGodot3Scene {
  readonly finished: boolean;
  frame(): void;
  stop(): void;
}
export function createWebSocketGodot3(options?: {
  port?: number;
  options?: NetworkOptions;
  once?: boolean;
}): WebSocketGodot3Scene;
export function runWebSocketGodot3(options?: { once?: boolean; port?: number }): Promise<void>;
