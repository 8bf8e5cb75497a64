import type { NetworkOptions, Vector2 } from "gdnet";
export class ArenaServer {
  players: Map<number, Vector2>;
  constructor(options?: NetworkOptions);
  listen(port: number): number;
  poll(): void;
  stop(): void;
}
