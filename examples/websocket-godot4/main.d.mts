import type { NetworkOptions } from "gdnet";
export interface WebSocketGodot4Scene {
  readonly finished: boolean;
  frame(delta: number): void;
  stop(): void;
}
export function createWebSocketGodot4(options?: {
  port?: number;
  options?: NetworkOptions;
  once?: boolean;
  sendDelay?: number;
}): WebSocketGodot4Scene;
export function runWebSocketGodot4(options?: { once?: boolean; port?: number }): Promise<void>;
