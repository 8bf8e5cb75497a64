import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

/*
 * Without the Redis client package, `listen` with `cluster.redis` answers
 * ERR_UNAVAILABLE and nothing else changes: the built package is copied next to every
 * runtime dependency but ioredis, and a child process tries.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

it("listen with cluster.redis answers ERR_UNAVAILABLE when ioredis is not installed, and serves without it", () => {
  const dir = mkdtempSync(join(tmpdir(), "gdnet-no-redis-"));
  try {
    cpSync(join(ROOT, "dist"), join(dir, "dist"), { recursive: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    mkdirSync(join(dir, "node_modules", "@noble"), { recursive: true });
    const dependencies = Object.keys(
      (
        JSON.parse(
          execFileSync("node", ["-p", "JSON.stringify(require('./package.json'))"], {
            cwd: ROOT,
            encoding: "utf8",
          }),
        ) as {
          dependencies: Record<string, string>;
        }
      ).dependencies,
    );
    expect(dependencies).toContain("ioredis");
    for (const name of dependencies) {
      if (name === "ioredis") continue;
      symlinkSync(join(ROOT, "node_modules", name), join(dir, "node_modules", name));
    }
    const script = `
      const { WebSocketServer, ERR_UNAVAILABLE, OK } = await import("./dist/index.js");
      const server = new WebSocketServer();
      const clustered = server.listen(0, { cluster: { redis: "redis://127.0.0.1:1", name: "x" } });
      const plain = server.listen(0);
      server.stop();
      console.log(JSON.stringify({ clustered, plain, ERR_UNAVAILABLE, OK }));
    `;
    const out = JSON.parse(
      execFileSync(process.execPath, ["--input-type=module", "-e", script], {
        cwd: dir,
        encoding: "utf8",
        timeout: 20_000,
      }),
    ) as Record<string, number>;
    expect(out.clustered).toBe(out.ERR_UNAVAILABLE);
    expect(out.plain).toBe(out.OK);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
