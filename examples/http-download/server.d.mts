export function startExampleServer(port?: number): Promise<{ url: string; close(): Promise<void> }>;
