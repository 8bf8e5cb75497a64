import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/*
 * Runs an attacker script (this folder) in a child process and collects the JSON lines
 * it prints, so a test can wait for them while it polls gdnet in its own process.
 */

/** One line an attacker printed. */
export interface AttackEvent {
  event: string;
  [key: string]: unknown;
}

/** A running attacker. */
export interface Attacker {
  readonly events: AttackEvent[];
  /** The `done` event, once printed. */
  readonly done: AttackEvent | undefined;
  /** The first event named `name`, once printed. */
  find(name: string): AttackEvent | undefined;
  /** Ends the attack: its sockets are destroyed and the process exits. */
  stop(): void;
  /** Sends a line to the attacker's stdin ("go" starts an attack that waits for it). */
  send(line: string): void;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
}

const running = new Set<ChildProcess>();

/** What attackers reported as their own failures (a test's wait loop turns them into a failure). */
export const attackerErrors: string[] = [];

/** Starts `script` (a file of this folder) with `options` as its JSON argument. */
export function startAttacker(script: string, options: Record<string, unknown>): Attacker {
  const file = fileURLToPath(new URL(`./${script}`, import.meta.url));
  const child = spawn(process.execPath, [file, JSON.stringify(options)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  running.add(child);
  const events: AttackEvent[] = [];
  let pending = "";
  child.stdout!.on("data", (data: Buffer) => {
    pending += data.toString();
    let newline = pending.indexOf("\n");
    while (newline >= 0) {
      const event = JSON.parse(pending.slice(0, newline)) as AttackEvent;
      if (event.event === "error") attackerErrors.push(`attacker ${script}: ${String(event.message)}`);
      events.push(event);
      pending = pending.slice(newline + 1);
      newline = pending.indexOf("\n");
    }
  });
  const exited = new Promise<void>((resolve) => {
    child.on("exit", () => {
      running.delete(child);
      resolve();
    });
  });
  return {
    events,
    get done() {
      return events.find((event) => event.event === "done");
    },
    find: (name) => events.find((event) => event.event === name),
    stop() {
      if (child.exitCode === null && child.stdin!.writable) child.stdin!.write("end\n");
    },
    send(line) {
      if (child.exitCode === null && child.stdin!.writable) child.stdin!.write(`${line}\n`);
    },
    exited,
  };
}

/** Ends every attacker still running (for afterEach); resolves once they have exited. */
export async function stopAllAttackers(): Promise<void> {
  const children = [...running];
  for (const child of children) {
    if (child.exitCode === null && child.stdin!.writable) child.stdin!.write("end\n");
  }
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) resolve();
          else child.on("exit", () => resolve());
        }),
    ),
  );
}
