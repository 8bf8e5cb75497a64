export function progressBar(downloaded: number, total: number): string;
export function runHttpExample(options?: { once?: boolean; port?: number }): Promise<boolean>;
