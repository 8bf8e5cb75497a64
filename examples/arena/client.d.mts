import type { NetworkOptions, Vector2 } from "gdnet";
export class ArenaClient {
  id: number;
  input: Vector2;
  view: Map<number, Vector2>;
  readonly connected: boolean;
  constructor(url: string, options?: NetworkOptions);
  poll(): void;
  leave(): void;
}
