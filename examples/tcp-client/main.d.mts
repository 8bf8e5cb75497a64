import type { NetworkOptions } from "gdnet";
export interface TcpTutorial {
  server: { stop(): void; listen(port: number): number; readonly port: number };
  client: unknown;
  frame(delta: number): void;
  stop(): void;
}
export function createTcpTutorial(options?: {
  port?: number;
  options?: NetworkOptions;
  onServerMessage?: (text: string) => void;
}): TcpTutorial;
export function runTcpTutorial(options?: { once?: boolean; port?: number }): Promise<void>;
