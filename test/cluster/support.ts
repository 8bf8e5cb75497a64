import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";

/*
 * Clustered servers as child processes (test/cluster/fixtures/server.mjs) and plain `ws`
 * clients, with bounded waits: every wait is a hang guard well under the test timeout,
 * never a timing assertion.
 */

const FIXTURE = fileURLToPath(new URL("./fixtures/server.mjs", import.meta.url));
const ENTRY = new URL("../../dist/index.js", import.meta.url).href;

/** One event line printed by the fixture. */
export type ServerEvent = { event: string } & Record<string, unknown>;

/** Waits until `done()` holds, checking every 10 ms; throws after `limitMs` (a hang guard). */
export async function until(what: string, done: () => boolean, limitMs = 12_000): Promise<void> {
  const end = performance.now() + limitMs;
  while (!done()) {
    if (performance.now() > end) throw new Error(`hang guard: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A clustered server in a child process. */
export class ServerProcess {
  readonly events: ServerEvent[] = [];
  readonly child: ChildProcess;
  port = 0;
  #partial = "";

  private constructor(redisUrl: string, name: string, deadTimeout: number) {
    this.child = spawn(process.execPath, [FIXTURE, ENTRY, redisUrl, name, String(deadTimeout)], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    this.child.stdout!.setEncoding("utf8");
    this.child.stdout!.on("data", (chunk: string) => {
      const parts = (this.#partial + chunk).split("\n");
      this.#partial = parts.pop()!;
      for (const part of parts) this.events.push(JSON.parse(part) as ServerEvent);
    });
  }

  /** Starts a server process and waits until it listens. */
  static async start(redisUrl: string, name: string, deadTimeout = 10): Promise<ServerProcess> {
    const server = new ServerProcess(redisUrl, name, deadTimeout);
    const listening = await server.next("listening");
    server.port = listening.port as number;
    return server;
  }

  /** Whether the process still runs. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Events of one kind seen so far. */
  all(event: string): ServerEvent[] {
    return this.events.filter((e) => e.event === event);
  }

  /** The ids named by events of one kind. */
  ids(event: string): number[] {
    return this.all(event).map((e) => e.id as number);
  }

  /** Waits for the next event of a kind after those already seen (or the first match of `where`). */
  async next(event: string, where: (e: ServerEvent) => boolean = () => true, from = 0): Promise<ServerEvent> {
    let found: ServerEvent | undefined;
    await until(`${event} from the server`, () => {
      if (!this.alive) throw new Error(`the server process exited before ${event}`);
      found = this.events.slice(from).find((e) => e.event === event && where(e));
      return found !== undefined;
    });
    return found!;
  }

  /** The peer ids the server lists now. */
  async state(): Promise<{ ids: number[]; count: number; has: boolean }> {
    const from = this.events.length;
    this.child.stdin!.write("state\n");
    const state = await this.next("state", () => true, from);
    return state as unknown as { ids: number[]; count: number; has: boolean };
  }

  /** Waits until the server lists exactly `ids`. */
  async lists(ids: number[]): Promise<void> {
    const want = [...ids].sort((a, b) => a - b);
    let last: number[] = [];
    const end = performance.now() + 12_000;
    for (;;) {
      const state = await this.state();
      last = state.ids;
      if (JSON.stringify(last) === JSON.stringify(want) && state.count === want.length && state.has) return;
      if (performance.now() > end) throw new Error(`hang guard: lists ${want} (has ${last})`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** SIGKILL. */
  kill(): void {
    if (this.alive) this.child.kill("SIGKILL");
  }
}

/** A plain `ws` client that keeps what it receives. */
export class Client {
  readonly received: string[] = [];
  readonly socket: WebSocket;
  id = 0;
  closed: { code: number; reason: string } | null = null;

  private constructor(port: number) {
    this.socket = new WebSocket(`ws://127.0.0.1:${port}`);
    this.socket.on("message", (data) => {
      const text = data.toString();
      if (text.startsWith("id:") && this.id === 0) this.id = Number(text.slice(3));
      else this.received.push(text);
    });
    this.socket.on("close", (code, reason) => {
      this.closed = { code, reason: reason.toString() };
    });
    this.socket.on("error", () => {});
  }

  /**
   * Connects and waits for the id the server tells it. A server that has not leased its
   * first ids from Redis yet answers 503: the client tries again, as a game client would.
   */
  static async connect(port: number): Promise<Client> {
    const end = performance.now() + 10_000;
    for (;;) {
      const client = new Client(port);
      await until("the client's id", () => client.id !== 0 || client.closed !== null);
      if (client.id !== 0) return client;
      if (performance.now() > end) throw new Error("hang guard: the server kept refusing the client");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  send(text: string): void {
    this.socket.send(text);
  }

  count(text: string): number {
    return this.received.filter((t) => t === text).length;
  }

  async receives(text: string): Promise<void> {
    await until(`a client receives ${text}`, () => this.received.includes(text));
  }

  close(): void {
    this.socket.close();
  }
}
