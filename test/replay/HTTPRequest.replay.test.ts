import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, it } from "vitest";
import { HTTPRequest, MemoryRecordingSink, Recorder, Replay } from "../../src/index.js";

const servers: http.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A local server: /start redirects twice to /end (a body), /slow never answers. */
async function startServer(): Promise<number> {
  const server = http.createServer((request, response) => {
    if (request.url === "/start") response.writeHead(302, { Location: "/middle" }).end();
    else if (request.url === "/middle") response.writeHead(307, { Location: "/end" }).end();
    else if (request.url === "/end") response.writeHead(200, { "Content-Type": "text/plain" }).end("the end");
    // /slow: no answer at all.
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** What a game sees of `request`, poll by poll; `requests` are issued at the polls given. */
function observe(request: HTTPRequest, transcript: string[], pollIndex: () => number): void {
  request.requestCompleted.connect((result, code, headers, body) => {
    const kept = headers.filter((line) => !/^date:/i.test(line));
    transcript.push(
      `p${pollIndex()} completed ${result} ${code} [${kept.join("|")}] "${new TextDecoder().decode(body)}"`,
    );
  });
}

it("an HTTPRequest with redirects and then a timeout replays to the same results at the same polls", async () => {
  const port = await startServer();
  const sink = new MemoryRecordingSink();
  const recorder = new Recorder(sink);
  const live: string[] = [];
  let poll = 0;
  const request = new HTTPRequest({ recorder });
  observe(request, live, () => poll);
  const status = () =>
    `p${poll} status ${request.getHttpClientStatus()} ${request.getDownloadedBytes()}/${request.getBodySize()}`;
  expect(request.request(`http://127.0.0.1:${port}/start`)).toBe(0);
  let phase = 0;
  for (let i = 0; i < 5000 && phase < 2; i++) {
    poll++;
    request.poll();
    live.push(status());
    if (phase === 0 && live.some((line) => line.includes("completed"))) {
      phase = 1;
      request.timeout = 0.2;
      expect(request.request(`http://127.0.0.1:${port}/slow`)).toBe(0);
    }
    if (phase === 1 && live.filter((line) => line.includes("completed")).length === 2) phase = 2;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  recorder.close();
  expect(live.filter((line) => line.includes("completed"))).toEqual([
    expect.stringMatching(/completed 0 200 \[.*Content-Type: text\/plain.*\] "the end"$/),
    expect.stringMatching(/completed 13 0 \[\] ""$/),
  ]);

  const replay = new Replay(sink.bytes());
  const replayed: string[] = [];
  const again = new HTTPRequest({ network: replay });
  poll = 0;
  observe(again, replayed, () => poll);
  expect(again.request(`http://127.0.0.1:${port}/start`)).toBe(0);
  let issued = false;
  while (replay.pollIndex < replay.polls) {
    poll++;
    again.poll();
    replayed.push(
      `p${poll} status ${again.getHttpClientStatus()} ${again.getDownloadedBytes()}/${again.getBodySize()}`,
    );
    if (!issued && replayed.some((line) => line.includes("completed"))) {
      issued = true;
      again.timeout = 0.2;
      expect(again.request(`http://127.0.0.1:${port}/slow`)).toBe(0);
    }
  }
  expect(replay.diverged).toBe(null);
  expect(replayed).toEqual(live);
}, 20_000);
