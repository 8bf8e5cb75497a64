// The example's web server (plain node:http, not gdnet): a "level pack" to download,
// sent in pieces so the progress bar has something to show, and a JSON scores API.
import { createHash } from "node:crypto";
import http from "node:http";

const PACK_SIZE = 4 * 1024 * 1024;
const PIECE = 64 * 1024;

/** The level pack: 4 MiB of deterministic bytes. */
function levelPack() {
  const pack = new Uint8Array(PACK_SIZE);
  let value = 12345;
  for (let i = 0; i < pack.length; i++) {
    value = (value * 1103515245 + 12345) >>> 0;
    pack[i] = value >>> 24;
  }
  return pack;
}

/** Starts the server on 127.0.0.1 (port 0 picks a free one). Resolves with `{ url, close() }`. */
export async function startExampleServer(port = 0) {
  const pack = levelPack();
  const checksum = createHash("sha256").update(pack).digest("hex");
  const scores = [];
  const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url === "/files/level-pack.bin") {
      res.writeHead(200, {
        "Content-Type": "application/octet-stream",
        "Content-Length": String(pack.length),
        "X-Checksum-SHA256": checksum,
      });
      let sent = 0;
      const next = () => {
        if (res.destroyed) return;
        res.write(pack.subarray(sent, sent + PIECE));
        sent += PIECE;
        if (sent < pack.length) setTimeout(next, 5);
        else res.end();
      };
      next();
      return;
    }
    if (req.method === "POST" && req.url === "/api/scores") {
      const chunks = [];
      req.on("data", (chunk) => chunks.push(chunk));
      req.on("end", () => {
        let entry;
        try {
          entry = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          res.writeHead(400, { "Content-Type": "application/json" }).end('{"error":"bad JSON"}');
          return;
        }
        scores.push(entry);
        scores.sort((a, b) => b.score - a.score);
        const rank = scores.indexOf(entry) + 1;
        res
          .writeHead(201, { "Content-Type": "application/json" })
          .end(JSON.stringify({ player: entry.player, score: entry.score, rank }));
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
