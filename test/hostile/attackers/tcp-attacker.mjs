// Hostile raw TCP peers on loopback, in a process of their own (what they buffer is not
// counted against the gdnet side under test). Used by test/hostile/tcp.test.ts and
// bench/scenarios/hostile_ws.mjs.
//
// Usage: node tcp-attacker.mjs '<json>' where json = {"attack", ...parameters}. Prints one
// JSON line per event on stdout; "end" on stdin (or stdin closing) ends it at once;
// bounded by `limitMs` (default 25 s) whatever happens.
//
// Attacks (parameters in brackets):
//   serve [mib]                listens on 127.0.0.1 ({"event":"listening","port"}) and
//                              writes `mib` MiB of the stream pattern (test/support/
//                              stream-pattern.ts) to each connection as fast as TCP takes
//                              it, never reading; {"event":"written","bytes"} at the end
//   reset-mid [port, count, bytes]
//                              `count` connections to `port`, each writing `bytes` bytes of
//                              the stream pattern and then resetting (RST)

import net from "node:net";

const options = JSON.parse(process.argv[2] ?? "{}");
const sockets = new Set();

function emit(event) {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function endAll() {
  for (const socket of sockets) socket.destroy();
  process.exit(0);
}

setTimeout(endAll, options.limitMs ?? 25_000).unref();
process.stdin.on("data", (data) => {
  if (data.toString().includes("end")) endAll();
});
process.stdin.on("end", endAll);

function track(socket) {
  sockets.add(socket);
  socket.on("error", () => {});
  socket.on("close", () => sockets.delete(socket));
  return socket;
}

/** Byte `i` of the test stream (the same function as test/support/stream-pattern.ts). */
function streamChunk(offset, length) {
  const chunk = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) {
    const at = offset + i;
    chunk[i] = (at * 31 + (at >>> 13)) & 0xff;
  }
  return chunk;
}

const CHUNK = 64 * 1024;
// The pattern repeats every 8 KiB × 256 positions of its high part only slowly, so chunks
// are made once per offset class: 2 MiB of them cover every offset modulo 2 MiB.
const PERIOD = 2 * 1024 * 1024;
const chunks = [];

function chunkAt(offset) {
  // (i * 31) & 0xff repeats every 256 bytes and (i >>> 13) every 2 MiB: the stream
  // repeats with a period of 2 MiB, so 32 precomputed chunks cover it.
  const index = (offset % PERIOD) / CHUNK;
  chunks[index] ??= streamChunk(offset % PERIOD, CHUNK);
  return chunks[index];
}

/** Writes `total` bytes of the pattern while TCP takes them; resolves with the bytes written. */
function writePattern(socket, total) {
  return new Promise((resolve) => {
    let offset = 0;
    const pump = () => {
      while (offset < total) {
        if (socket.destroyed) return resolve(offset);
        const chunk = chunkAt(offset);
        offset += CHUNK;
        if (!socket.write(chunk)) {
          socket.once("drain", pump);
          return;
        }
      }
      resolve(offset);
    };
    socket.on("close", () => resolve(offset));
    pump();
  });
}

const attacks = {
  serve({ mib = 200 }) {
    const server = net.createServer((socket) => {
      track(socket);
      writePattern(socket, mib * 1024 * 1024).then((bytes) => {
        emit({ event: "written", bytes });
        socket.end();
      });
    });
    server.listen(0, "127.0.0.1", () => emit({ event: "listening", port: server.address().port }));
  },

  async "reset-mid"({ port, count = 50, bytes = 1024 * 1024 }) {
    await Promise.all(
      Array.from(
        { length: count },
        () =>
          new Promise((resolve) => {
            const socket = track(net.connect({ host: "127.0.0.1", port }));
            socket.on("connect", async () => {
              await writePattern(socket, bytes);
              socket.resetAndDestroy();
              resolve();
            });
          }),
      ),
    );
    emit({ event: "done", reset: count });
  },
};

const attack = attacks[options.attack];
if (attack === undefined) {
  emit({ event: "error", message: `unknown attack ${options.attack}` });
  process.exit(2);
}
Promise.resolve(attack(options)).catch((error) =>
  emit({ event: "error", message: String(error?.message ?? error) }),
);
