import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, mkdtempSync, rmSync, statSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HTTPRequest } from "../src/index.js";
import { patternDigest, streamPattern } from "./http/patterned-body.js";

const run = promisify(execFile);
const MIB = 1024 * 1024;
const SIZE = 50 * MIB;

interface HeapReport {
  result: number;
  code: number;
  bodyLength: number;
  downloaded: number;
  bodySizeSeen: number;
  progressSteps: number;
  peakGrowth: number;
  finalGrowth: number;
}

/*
 * Memory during a large download, measured in a child process (--expose-gc) so the test
 * runner's own allocations do not count. The server runs here and streams a
 * deterministic 50 MiB body without holding it.
 */
describe("HTTPRequest downloading 50 MiB", () => {
  let server: http.Server;
  let url: string;
  let dir: string;
  const entry = new URL("../dist/index.js", import.meta.url).href;
  const script = fileURLToPath(new URL("./fixtures/http-download-heap.mjs", import.meta.url));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "gdnet-http-heap-"));
    server = http.createServer((_req, res) => {
      res.writeHead(200, { "Content-Length": String(SIZE), "Content-Type": "application/octet-stream" });
      streamPattern(res, SIZE);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/big.bin`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function measure(downloadFile: string): Promise<HeapReport> {
    const { stdout } = await run(process.execPath, ["--expose-gc", script, entry, url, downloadFile], {
      timeout: 120_000,
      maxBuffer: 1 << 20,
    });
    return JSON.parse(stdout.trim().split("\n").pop()!);
  }

  it("to a file keeps the heap (and its buffers) within 10 MiB of growth, and the file is byte-exact", async () => {
    const file = join(dir, "big.bin");
    const report = await measure(file);
    expect(report.result).toBe(HTTPRequest.RESULT_SUCCESS);
    expect(report.code).toBe(200);
    expect(report.bodyLength).toBe(0);
    expect(report.downloaded).toBe(SIZE);
    expect(report.bodySizeSeen).toBe(SIZE);
    expect(report.progressSteps).toBeGreaterThan(10);
    expect(report.peakGrowth).toBeLessThan(10 * MIB);
    expect(report.finalGrowth).toBeLessThan(10 * MIB);
    expect(statSync(file).size).toBe(SIZE);
    const hash = createHash("sha256");
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    expect(hash.digest("hex")).toBe(patternDigest(SIZE));
  }, 120_000);

  it("kept in memory instead, the same download does show in the measurement (the bound can fail)", async () => {
    const report = await measure("");
    expect(report.result).toBe(HTTPRequest.RESULT_SUCCESS);
    expect(report.bodyLength).toBe(SIZE);
    expect(report.peakGrowth).toBeGreaterThan(40 * MIB);
  }, 120_000);
});
