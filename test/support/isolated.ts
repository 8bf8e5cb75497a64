import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Runs `node args…` in a new network namespace whose only interface is loopback
 * (`unshare -rn`), so nothing it does (a DNS lookup of a name that does not resolve,
 * say) can leave the machine. Resolves with its stdout.
 */
export async function runNodeWithLoopbackOnly(args: string[], timeoutMs = 20_000): Promise<string> {
  const quoted = args.map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(" ");
  const { stdout } = await run("unshare", ["-rn", "sh", "-c", `ip link set lo up && exec node ${quoted}`], {
    timeout: timeoutMs,
  });
  return stdout;
}
