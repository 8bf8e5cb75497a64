import type { NetworkOptions, Signal } from "gdnet";
export interface TcpTutorial {
  client: { data: Signal<[Uint8Array]>; connected: Signal<[]>; disconnected: Signal<[]>; error: Signal<[]> };
  frame(delta: number): void;
  stop(): void;
}
export function createTcpTutorial(options?: { port?: number; options?: NetworkOptions }): TcpTutorial;
export function runTcpTutorial(options?: {
  port?: number;
  once?: boolean;
  withServer?: boolean;
}): Promise<void>;
