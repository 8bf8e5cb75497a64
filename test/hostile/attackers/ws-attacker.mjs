// Hostile WebSocket (and raw TCP) clients on loopback, in a process of their own, so that
// what they hold (thousands of sockets, unread pongs, a flood in flight) is not counted
// against the server under test. Raw sockets, so they can break HTTP and RFC 6455 as they
// please. Used by test/hostile/websocket.test.ts and bench/scenarios/hostile_ws.mjs.
//
// Usage: node ws-attacker.mjs '<json>' where json = {"attack", "port", ...parameters}.
// Prints one JSON line per event on stdout ({"event": ...}); the last is {"event":"done"}
// with the attack's tallies. A line "end" on stdin (or stdin closing) ends the attack at
// once: every socket is destroyed and the process exits. Bounded: counts come from the
// parameters, and the process exits by itself after `limitMs` (default 25 s).
//
// Attacks (parameters in brackets):
//   garbage [count]            bytes that are not an upgrade: half end in a blank line
//                              (a malformed head), half are 64 KiB without one
//   big-headers [count, size]  a valid upgrade with one header line of `size` bytes
//   half-open [count, head, tls]
//                              `count` connections that send `head` (or nothing) and then
//                              nothing more; reports "connected" when all are up and
//                              "closed" tallies as the server drops them
//   frames [cases]             one upgraded connection per case, each sending the case's
//                              frames; reports the close code the server answers with
//   ping-flood [pings, payload]
//                              one upgraded connection that never reads and sends `pings`
//                              pings of `payload` bytes
//   flood [messages, size, read, waitForGo]
//                              one upgraded connection sending `messages` binary messages
//                              of `size` bytes as fast as TCP takes them; reads (and
//                              discards) what comes back only when `read`; with
//                              `waitForGo`, starts only when "go" arrives on stdin
//   echo-many [count, messages]
//                              `count` connections upgraded at once, each sending
//                              `messages` numbered messages and checking the echoes arrive
//                              whole and in order
//   reset-mid [count]          `count` upgraded connections that each send half of a frame
//                              and then reset (RST)

import crypto from "node:crypto";
import net from "node:net";

const options = JSON.parse(process.argv[2] ?? "{}");
const port = options.port;
const host = "127.0.0.1";
const sockets = new Set();

function emit(event) {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function finish(tallies) {
  emit({ event: "done", ...tallies });
}

function endAll() {
  for (const socket of sockets) socket.destroy();
  process.exit(0);
}

// Bounded in time whatever happens, and gone with the parent.
setTimeout(endAll, options.limitMs ?? 25_000).unref();
/** Resolved by a line "go" on stdin (attacks started with `waitForGo`). */
let go = null;
const gone = new Promise((resolve) => {
  go = resolve;
});
process.stdin.on("data", (data) => {
  if (data.toString().includes("end")) endAll();
  if (data.toString().includes("go")) go();
});
process.stdin.on("end", endAll);

function connect() {
  const socket = net.connect({ host, port });
  sockets.add(socket);
  socket.on("error", () => {});
  socket.on("close", () => sockets.delete(socket));
  return socket;
}

function upgradeRequest(extra = "") {
  const key = crypto.randomBytes(16).toString("base64");
  return (
    "GET /attack HTTP/1.1\r\n" +
    `Host: ${host}:${port}\r\n` +
    "Upgrade: websocket\r\n" +
    "Connection: Upgrade\r\n" +
    `Sec-WebSocket-Key: ${key}\r\n` +
    "Sec-WebSocket-Version: 13\r\n" +
    extra +
    "\r\n"
  );
}

/** A frame as a client sends it (masked unless told otherwise). */
function frame(opcode, payload, { fin = true, mask = true, rsv = 0, declaredLength } = {}) {
  const length = declaredLength ?? payload.length;
  const lengthBytes = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const header = Buffer.alloc(2 + lengthBytes + (mask ? 4 : 0));
  header[0] = (fin ? 0x80 : 0) | (rsv << 4) | opcode;
  header[1] = (mask ? 0x80 : 0) | (lengthBytes === 0 ? length : lengthBytes === 2 ? 126 : 127);
  if (lengthBytes === 2) header.writeUInt16BE(length, 2);
  if (lengthBytes === 8) header.writeBigUInt64BE(BigInt(length), 2);
  if (!mask) return Buffer.concat([header, payload]);
  const key = crypto.randomBytes(4);
  key.copy(header, header.length - 4);
  const masked = Buffer.alloc(payload.length);
  for (let i = 0; i < payload.length; i++) masked[i] = payload[i] ^ key[i & 3];
  return Buffer.concat([header, masked]);
}

/**
 * Reads server frames (never masked) from a socket after the 101: calls `onFrame(opcode,
 * payload)` for each, and `onHead(statusLine)` once the response head is in.
 */
function reader(socket, onHead, onFrame) {
  let buffer = Buffer.alloc(0);
  let headDone = false;
  socket.on("data", (chunk) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    if (!headDone) {
      const end = buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      headDone = true;
      onHead(buffer.subarray(0, buffer.indexOf("\r\n")).toString("latin1"));
      buffer = buffer.subarray(end + 4);
    }
    for (;;) {
      if (buffer.length < 2) return;
      const opcode = buffer[0] & 0x0f;
      let length = buffer[1] & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffer.length < 4) return;
        length = buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffer.length < 10) return;
        length = Number(buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (buffer.length < offset + length) return;
      const payload = buffer.subarray(offset, offset + length);
      buffer = buffer.subarray(offset + length);
      onFrame(opcode, payload);
    }
  });
}

/** Opens an upgraded connection; resolves with the socket once the 101 is in. */
function upgraded({ onFrame = () => {}, pauseAfter = false } = {}) {
  return new Promise((resolve, reject) => {
    const socket = connect();
    socket.setNoDelay(true);
    reader(
      socket,
      (status) => {
        if (!status.includes(" 101 ")) {
          reject(new Error(`not upgraded: ${status}`));
          return;
        }
        if (pauseAfter) socket.pause();
        resolve(socket);
      },
      (opcode, payload) => onFrame(opcode, payload),
    );
    socket.on("connect", () => socket.write(upgradeRequest()));
    socket.on("close", () => reject(new Error("closed before the upgrade")));
  });
}

/** Writes `next()` frames while TCP takes them; resolves when `next` returns null. */
function writeAll(socket, next) {
  return new Promise((resolve) => {
    const pump = () => {
      for (;;) {
        if (socket.destroyed) return resolve(false);
        const chunk = next();
        if (chunk === null) return resolve(true);
        if (!socket.write(chunk)) {
          socket.once("drain", pump);
          return;
        }
      }
    };
    socket.on("close", () => resolve(false));
    pump();
  });
}

/** Resolves with the first line the server answered and whether it closed, for a connection that sends `bytes`. */
function refusedWith(bytes) {
  return new Promise((resolve) => {
    const socket = connect();
    let reply = "";
    socket.on("data", (chunk) => {
      if (reply === "") reply = chunk.toString("latin1").split("\r\n")[0];
    });
    socket.on("connect", () => socket.write(bytes));
    socket.on("close", () => resolve(reply));
  });
}

function tally(values) {
  const counts = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

const attacks = {
  async garbage({ count = 100 }) {
    const replies = [];
    for (let i = 0; i < count; i += 50) {
      const batch = [];
      for (let j = i; j < Math.min(count, i + 50); j++) {
        const junk = crypto.randomBytes(j % 2 === 0 ? 512 : 64 * 1024);
        // Even: a head that ends but is not HTTP; odd: no end of head at all.
        if (j % 2 === 0) junk.write("\r\n\r\n", junk.length - 4, "latin1");
        else for (let k = 0; k < junk.length; k++) if (junk[k] === 13) junk[k] = 12;
        batch.push(refusedWith(junk));
      }
      replies.push(...(await Promise.all(batch)));
    }
    finish({ replies: tally(replies) });
  },

  async "big-headers"({ count = 20, size = 100 * 1024 }) {
    const filler = `X-Filler: ${"a".repeat(size)}\r\n`;
    const replies = await Promise.all(
      Array.from({ length: count }, () => refusedWith(Buffer.from(upgradeRequest(filler), "latin1"))),
    );
    finish({ replies: tally(replies) });
  },

  async "half-open"({ count = 2000, head = null }) {
    let connected = 0;
    let closed = 0;
    let reportedClosed = 0;
    const reportClosed = () => {
      if (closed !== reportedClosed && (closed === count || closed - reportedClosed >= 100)) {
        reportedClosed = closed;
        emit({ event: "closed", closed });
      }
      if (closed === count) finish({ connected, closed });
    };
    for (let i = 0; i < count; i++) {
      const socket = connect();
      socket.on("connect", () => {
        if (head !== null) socket.write(head);
        if (++connected === count) emit({ event: "connected", connected });
      });
      socket.on("close", () => {
        closed++;
        reportClosed();
      });
      // Not too many SYNs in flight at once: the listen backlog is finite.
      if (i % 200 === 199) await new Promise((resolve) => setTimeout(resolve, 5));
    }
  },

  async frames({ cases }) {
    const codes = {};
    await Promise.all(
      cases.map(async ({ name, frames }) => {
        let code = null;
        const socket = await upgraded({
          onFrame(opcode, payload) {
            if (opcode === 0x8 && code === null) code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
          },
        });
        await new Promise((resolve) => {
          socket.on("close", resolve);
          for (const f of frames) {
            if (f.repeat !== undefined) {
              let left = f.repeat;
              const one = frame(f.opcode, Buffer.from(f.payload ?? "", "hex"), f);
              writeAll(socket, () => (left-- > 0 ? one : null));
            } else {
              socket.write(frame(f.opcode, Buffer.from(f.payload ?? "", "hex"), f));
            }
          }
        });
        codes[name] = code;
      }),
    );
    finish({ codes });
  },

  async "ping-flood"({ pings = 100_000, payload = 125 }) {
    const socket = await upgraded({ pauseAfter: true });
    emit({ event: "upgraded" });
    const ping = frame(0x9, crypto.randomBytes(payload));
    let left = pings;
    // Sixty-four pings per write: the flood is bounded by TCP, not by write calls.
    const batch = Buffer.concat(Array.from({ length: 64 }, () => ping));
    const ok = await writeAll(socket, () => {
      if (left <= 0) return null;
      if (left >= 64) {
        left -= 64;
        return batch;
      }
      left--;
      return ping;
    });
    finish({ sent: ok ? pings : pings - left });
  },

  async flood({ messages = 100_000, size = 64, read = true }) {
    // Echoes are read (and dropped) when `read`, else left in the kernel's buffers.
    const socket = await upgraded({ pauseAfter: !read });
    emit({ event: "upgraded" });
    if (options.waitForGo) await gone;
    const message = frame(0x2, crypto.randomBytes(size));
    let left = messages;
    const ok = await writeAll(socket, () => (left-- > 0 ? message : null));
    finish({ sent: ok ? messages : messages - left - 1 });
  },

  async "echo-many"({ count = 500, messages = 4 }) {
    let bad = 0;
    let complete = 0;
    const connections = [];
    // Every connection first, then every upgrade request at once.
    for (let i = 0; i < count; i++) {
      const socket = connect();
      socket.setNoDelay(true);
      connections.push(new Promise((resolve) => socket.on("connect", () => resolve(socket))));
      if (i % 200 === 199) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const ready = await Promise.all(connections);
    emit({ event: "connected", connected: ready.length });
    await Promise.all(
      ready.map(
        (socket, index) =>
          new Promise((resolve) => {
            let expected = 0;
            const payload = (n) => Buffer.from(`${index}:${n}`);
            reader(
              socket,
              (status) => {
                if (!status.includes(" 101 ")) {
                  bad++;
                  socket.destroy();
                  return;
                }
                for (let n = 0; n < messages; n++) socket.write(frame(0x2, payload(n)));
              },
              (opcode, data) => {
                if (opcode !== 0x2 || !data.equals(payload(expected))) bad++;
                if (++expected === messages) {
                  complete++;
                  socket.end();
                }
              },
            );
            socket.on("close", resolve);
            socket.write(upgradeRequest());
          }),
      ),
    );
    finish({ complete, bad });
  },

  async "reset-mid"({ count = 50 }) {
    let reset = 0;
    await Promise.all(
      Array.from({ length: count }, async () => {
        const socket = await upgraded();
        const whole = frame(0x2, crypto.randomBytes(60_000));
        await new Promise((resolve) => socket.write(whole.subarray(0, 30_000), resolve));
        socket.resetAndDestroy();
        reset++;
      }),
    );
    finish({ reset });
  },
};

const attack = attacks[options.attack];
if (attack === undefined) {
  emit({ event: "error", message: `unknown attack ${options.attack}` });
  process.exit(2);
}
attack(options).catch((error) => {
  emit({ event: "error", message: String(error?.message ?? error) });
});
