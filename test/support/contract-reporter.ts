import type { Reporter, TestModule } from "vitest/node";

/**
 * Prints, after every run, how many contract tests ran over each transport and whether
 * the two lists are the same tests (test/contract/node.test.ts runs the suites over real
 * loopback sockets, test/contract/memory.test.ts over MemoryNetwork).
 */
export default class ContractReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const byTransport = new Map<string, { names: string[]; passed: number }>();
    for (const module of testModules) {
      const match = /test\/contract\/(\w+)\.test\.ts$/.exec(module.moduleId);
      if (!match) continue;
      const entry = { names: [] as string[], passed: 0 };
      for (const test of module.children.allTests()) {
        entry.names.push(test.fullName);
        if (test.result().state === "passed") entry.passed++;
      }
      byTransport.set(match[1]!, entry);
    }
    if (byTransport.size === 0) return;
    const lists = [...byTransport.values()].map((entry) => [...entry.names].sort().join("\n"));
    const same = lists.every((list) => list === lists[0]);
    const counts = [...byTransport].map(
      ([name, entry]) => `${name} ${entry.passed}/${entry.names.length} passed`,
    );
    console.log(
      `\ncontract tests: ${counts.join(", ")}; ${same ? "the same tests on every transport" : "THE TRANSPORTS RAN DIFFERENT TESTS"}\n`,
    );
  }
}
