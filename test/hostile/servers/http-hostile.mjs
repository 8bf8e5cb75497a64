// Hostile HTTP servers on loopback, in a process of their own so that what they hold
// (a 10 MB header, a large body written without waiting for the reader) is not counted
// against the client under test. Raw TCP, so they can break HTTP as they please.
//
// Usage: node http-hostile.mjs   → prints {"event":"listening","port":N} on stdout, then
// one JSON line per event: {"event":"request","path","target"}, {"event":"closed","path",
// "target","written"} (`target`: path and query; `written`: bytes the kernel accepted
// before the connection closed).
//
// Routes (query parameters in brackets):
//   /redirect-loop              302 to itself, forever
//   /huge-header [mb=10]        a status line and one header line of `mb` MB
//   /gzip-bomb [mib, length, end]
//                               `Content-Encoding: gzip` zeros: `mib` MiB once inflated from
//                               about 1 KiB per MiB; `length=1` sends a Content-Length,
//                               otherwise the end of the body is the end of the
//                               connection; `end=1` finishes the gzip stream (a valid body)
//   /plain [mib, length]        `mib` MiB of a byte pattern, written at once
//   /bad-chunked                a chunk size that is not hexadecimal
//   /endless-chunk              one chunk announced as 2 GiB, written until the client leaves
//   /drip [ms=1000]             headers, then one byte every `ms` until the client leaves
//   /longer-than-length         `Content-Length: 5` and 16 bytes
//   /shorter-than-length [hang] `Content-Length: 1000` and 5 bytes, then the end (or,
//                               with hang=1, nothing more on an open connection)

import net from "node:net";
import zlib from "node:zlib";

const MIB = 1024 * 1024;
const ZEROS = Buffer.alloc(MIB);
// A full flush ends the deflate data byte-aligned with a fresh state, so the same
// compressed MiB can be repeated any number of times in one stream.
const DEFLATED_MIB = zlib.deflateRawSync(ZEROS, { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
const FINAL_BLOCK = zlib.deflateRawSync(Buffer.alloc(0));

function emit(event) {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function head(status, lines) {
  return Buffer.from(`HTTP/1.1 ${status}\r\n${lines.map((line) => `${line}\r\n`).join("")}\r\n`);
}

function pattern(mib) {
  const body = Buffer.alloc(mib * MIB);
  let value = 2463534242;
  for (let i = 0; i < body.length; i++) {
    value ^= value << 13;
    value ^= value >>> 17;
    value ^= value << 5;
    body[i] = value & 0xff;
  }
  return body;
}

function gzipBomb(mib, end) {
  const parts = [GZIP_HEADER];
  for (let i = 0; i < mib; i++) parts.push(DEFLATED_MIB);
  if (end) {
    let crc = 0;
    for (let i = 0; i < mib; i++) crc = zlib.crc32(ZEROS, crc);
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc >>> 0, 0);
    trailer.writeUInt32LE((mib * MIB) >>> 0, 4);
    parts.push(FINAL_BLOCK, trailer);
  }
  return Buffer.concat(parts);
}

/** Writes until the socket closes, waiting for each drain (the client sets the pace). */
function writeForever(socket, chunk) {
  const more = () => {
    while (!socket.destroyed && socket.write(chunk));
  };
  socket.on("drain", more);
  more();
}

function serve(socket, path, query) {
  const number = (name, fallback) => Number(query.get(name) ?? fallback);
  switch (path) {
    case "/redirect-loop":
      socket.end(head("302 Found", ["Location: /redirect-loop", "Content-Length: 0", "Connection: close"]));
      return;
    case "/huge-header": {
      const size = number("mb", 10) * 1000 * 1000;
      socket.write("HTTP/1.1 200 OK\r\nX-Huge: ");
      socket.write(Buffer.alloc(size, "a"));
      socket.end("\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
      return;
    }
    case "/gzip-bomb": {
      const body = gzipBomb(number("mib", 64), query.get("end") === "1");
      const lines = ["Content-Type: application/octet-stream", "Content-Encoding: gzip", "Connection: close"];
      if (query.get("length") === "1") lines.push(`Content-Length: ${body.length}`);
      socket.write(head("200 OK", lines));
      socket.end(body);
      return;
    }
    case "/plain": {
      const body = pattern(number("mib", 48));
      const lines = ["Content-Type: application/octet-stream", "Connection: close"];
      if (query.get("length") === "1") lines.push(`Content-Length: ${body.length}`);
      socket.write(head("200 OK", lines));
      socket.end(body);
      return;
    }
    case "/bad-chunked":
      socket.end(
        Buffer.concat([
          head("200 OK", ["Transfer-Encoding: chunked", "Connection: close"]),
          Buffer.from("zz\r\nhello\r\n0\r\n\r\n"),
        ]),
      );
      return;
    case "/endless-chunk":
      socket.write(head("200 OK", ["Transfer-Encoding: chunked", "Connection: close"]));
      socket.write("7fffffff\r\n");
      writeForever(socket, Buffer.alloc(64 * 1024, "x"));
      return;
    case "/drip": {
      socket.write(head("200 OK", ["Content-Type: text/plain", "Connection: close"]));
      const timer = setInterval(() => socket.write("."), number("ms", 1000));
      socket.on("close", () => clearInterval(timer));
      return;
    }
    case "/longer-than-length":
      socket.end(
        Buffer.concat([
          head("200 OK", ["Content-Length: 5", "Connection: close"]),
          Buffer.from("hello, and more"),
        ]),
      );
      return;
    case "/shorter-than-length":
      socket.write(head("200 OK", ["Content-Length: 1000", "Connection: close"]));
      if (query.get("hang") === "1") socket.write("short");
      else socket.end("short");
      return;
    default:
      socket.end(head("404 Not Found", ["Content-Length: 0", "Connection: close"]));
  }
}

const server = net.createServer((socket) => {
  let request = "";
  let path = "";
  let target = "";
  socket.on("error", () => {});
  socket.on("close", () => emit({ event: "closed", path, target, written: socket.bytesWritten }));
  socket.on("data", function onData(chunk) {
    request += chunk.toString("latin1");
    const end = request.indexOf("\r\n\r\n");
    if (end < 0) return;
    socket.off("data", onData);
    // Read and drop whatever the client sends from now on.
    socket.on("data", () => {});
    const url = new URL(request.slice(0, request.indexOf("\r\n")).split(" ")[1] ?? "/", "http://x");
    path = url.pathname;
    target = url.pathname + url.search;
    emit({ event: "request", path, target });
    serve(socket, path, url.searchParams);
  });
});
server.listen(0, "127.0.0.1", () => emit({ event: "listening", port: server.address().port }));
// The parent ends this process; it also goes when the parent is gone.
const parent = process.ppid;
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(0);
  }
}, 1000).unref();
