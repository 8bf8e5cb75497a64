export interface ChatDemo {
  url: string;
  wsPort: number;
  stop(): Promise<void>;
}
export function startChatDemo(options?: {
  httpPort?: number;
  wsPort?: number;
  botIntervalMs?: number;
  frameMs?: number;
}): Promise<ChatDemo>;
