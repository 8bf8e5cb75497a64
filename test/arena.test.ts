// The worked example of docs/testing.md, as it appears there.
import { MemoryNetwork, Vector2 } from "gdnet";
import { describe, expect, it } from "vitest";
import { ArenaClient } from "../examples/arena/client.mjs";
import { ArenaServer } from "../examples/arena/server.mjs";

describe("the arena, frame by frame", () => {
  it("two players join, move, ride out a lag spike, and one leaves", () => {
    const network = new MemoryNetwork({ seed: 42 });
    const server = new ArenaServer({ network: network.host("arena.test") });
    expect(server.listen(7777)).toBe(0);
    const alice = new ArenaClient("ws://arena.test:7777", { network: network.host("alice.test") });
    const bob = new ArenaClient("ws://arena.test:7777", { network: network.host("bob.test") });
    const frame = (count = 1) => network.step(16, [server, alice, bob], count);

    // Both join within a few frames and are welcomed with their ids.
    frame(3);
    expect(server.players.size).toBe(2);
    expect(alice.id).toBeGreaterThanOrEqual(2);
    expect(bob.view.has(alice.id)).toBe(true);

    // Alice holds "right" for 10 frames: the server moves her one unit per input,
    // and Bob sees every step the frame it happens.
    alice.input = new Vector2(1, 0);
    for (let i = 1; i <= 10; i++) {
      frame();
      expect(server.players.get(alice.id)).toEqual(new Vector2(i - 1, 0));
      expect(bob.view.get(alice.id)).toEqual(server.players.get(alice.id));
    }

    // A 200 ms lag spike on Bob's link: his view falls behind the truth...
    network.setLinkConditions({ latency: 200 }, "arena.test", "bob.test");
    frame(20);
    const truth = server.players.get(alice.id)!.x;
    expect(bob.view.get(alice.id)!.x).toBeLessThan(truth - 5);
    // ...and catches up once the spike is over.
    network.setLinkConditions({ latency: 0 }, "arena.test", "bob.test");
    alice.input = new Vector2(0, 0);
    frame(30);
    expect(bob.view.get(alice.id)).toEqual(server.players.get(alice.id));

    // Alice leaves: the server forgets her and Bob's next state no longer has her.
    const aliceId = alice.id;
    alice.leave();
    frame(3);
    expect(server.players.has(aliceId)).toBe(false);
    expect(bob.view.has(aliceId)).toBe(false);
    expect([...bob.view.keys()]).toEqual([bob.id]);
  });
});
