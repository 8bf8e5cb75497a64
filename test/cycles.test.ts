import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/*
 * No import cycles in src/ (issue 12): a cycle of value imports makes evaluation order
 * matter, and a cycle through a class's module ties two parts together even when the
 * import is type-only. A type-only import of an interface or type alias may close a
 * cycle: it names a contract, not an implementation. The graph comes from the TypeScript
 * compiler; on failure the test lists each cycle, file by file.
 */

const srcDir = fileURLToPath(new URL("../src", import.meta.url));

const options: ts.CompilerOptions = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts") && !name.endsWith(".d.ts"))
    .map((name) => join(dir, name));
}

/** Whether an import or export moves a value at run time (a type-only one is erased). */
function isValueEdge(statement: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    if (clause === undefined) return true; // `import "./x"`: evaluated for its effects
    if (clause.isTypeOnly) return false;
    if (clause.name !== undefined) return true;
    const bindings = clause.namedBindings;
    if (bindings === undefined || ts.isNamespaceImport(bindings)) return true;
    // `import { type A, type B }` names interfaces only: no value crosses the edge.
    return bindings.elements.length === 0 || bindings.elements.some((element) => !element.isTypeOnly);
  }
  if (statement.isTypeOnly) return false;
  const clause = statement.exportClause;
  if (clause === undefined || ts.isNamespaceExport(clause)) return true;
  return clause.elements.length === 0 || clause.elements.some((element) => !element.isTypeOnly);
}

/**
 * Whether a type-only import or export names something that is also a value (a class, an
 * enum, a function): the module that defines it is then a real dependency even though
 * the import is erased. Interfaces and type aliases are the edges that may close a cycle.
 */
function namesValue(
  statement: ts.ImportDeclaration | ts.ExportDeclaration,
  checker: ts.TypeChecker,
): boolean {
  const names: ts.Node[] = [];
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    if (clause?.name !== undefined) names.push(clause.name);
    const bindings = clause?.namedBindings;
    if (bindings !== undefined && ts.isNamespaceImport(bindings)) return true;
    if (bindings !== undefined) for (const element of bindings.elements) names.push(element.name);
  } else {
    const clause = statement.exportClause;
    if (clause === undefined || ts.isNamespaceExport(clause)) return true;
    for (const element of clause.elements) names.push(element.name);
  }
  return names.some((node) => {
    let symbol = checker.getSymbolAtLocation(node);
    if (symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias)
      symbol = checker.getAliasedSymbol(symbol);
    return symbol !== undefined && (symbol.flags & ts.SymbolFlags.Value) !== 0;
  });
}

/**
 * The import graph of src/: file → the src/ files it depends on, through a value import or
 * a type-only import of a class (see {@link namesValue}).
 */
function importGraph(): Map<string, string[]> {
  const files = sourceFiles(srcDir);
  const program = ts.createProgram(files, { ...options, strict: true, noEmit: true });
  const checker = program.getTypeChecker();
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const source = program.getSourceFile(file)!;
    const targets = new Set<string>();
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
      const specifier = statement.moduleSpecifier;
      if (specifier === undefined || !ts.isStringLiteral(specifier)) continue;
      if (!isValueEdge(statement) && !namesValue(statement, checker)) continue;
      const resolved = ts.resolveModuleName(specifier.text, file, options, ts.sys).resolvedModule;
      if (resolved === undefined || resolved.isExternalLibraryImport) continue;
      if (!resolved.resolvedFileName.startsWith(srcDir)) continue;
      targets.add(resolved.resolvedFileName);
    }
    graph.set(file, [...targets]);
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one file (or a file importing itself). */
function cyclicComponents(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)!.includes(node)) components.push(component);
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components;
}

/**
 * The elementary cycles inside one component, each starting at its smallest file so a
 * cycle is listed once; capped, since a tangled component can hold very many.
 */
function cyclesIn(component: string[], graph: Map<string, string[]>, cap = 40): string[][] {
  const members = new Set(component);
  const order = [...component].sort();
  const cycles: string[][] = [];
  for (const start of order) {
    const rank = order.indexOf(start);
    const path = [start];
    const walk = (node: string): void => {
      for (const next of graph.get(node) ?? []) {
        if (cycles.length >= cap) return;
        if (!members.has(next) || order.indexOf(next) < rank) continue;
        if (next === start) cycles.push([...path, start]);
        else if (!path.includes(next)) {
          path.push(next);
          walk(next);
          path.pop();
        }
      }
    };
    walk(start);
  }
  return cycles;
}

describe("the module graph of src/", () => {
  const graph = importGraph();
  const name = (file: string) => relative(srcDir, file);

  it("is read from every source file, with the value edges the compiler sees", () => {
    expect(graph.size).toBeGreaterThan(50);
    const api = [...graph.keys()].find((file) => name(file) === "api.ts")!;
    expect(graph.get(api)!.map(name)).toContain("WebSocketPeer.ts");
  });

  it("skips imports that name types only and keeps those that bring a value", () => {
    const parse = (text: string) =>
      ts.createSourceFile("x.ts", text, ts.ScriptTarget.ES2022).statements[0] as ts.ImportDeclaration;
    expect(isValueEdge(parse(`import type { A } from "./a.js";`))).toBe(false);
    expect(isValueEdge(parse(`import { type A, type B } from "./a.js";`))).toBe(false);
    expect(isValueEdge(parse(`import { type A, b } from "./a.js";`))).toBe(true);
    expect(isValueEdge(parse(`import * as a from "./a.js";`))).toBe(true);
    expect(isValueEdge(parse(`export type { A } from "./a.js";`) as never)).toBe(false);
    expect(isValueEdge(parse(`export { A } from "./a.js";`) as never)).toBe(true);
  });

  it("finds a cycle when there is one (the check below is over a working detector)", () => {
    const toy = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a", "d"]],
      ["d", []],
    ]);
    const components = cyclicComponents(toy);
    expect(components.map((c) => c.sort())).toEqual([["a", "b", "c"]]);
    expect(cyclesIn(components[0]!, toy)).toEqual([["a", "b", "c", "a"]]);
  });

  it("counts a type-only import of a class as a dependency, and one of an interface not", () => {
    const edges = (file: string) =>
      graph.get([...graph.keys()].find((key) => name(key) === file)!)!.map(name);
    // transport/tcp.ts imports only types, the class StagingQueue among them.
    expect(edges("transport/tcp.ts")).toContain("core/StagingQueue.ts");
    // api.ts re-exports the type alias Clock and nothing else of core/Clock.ts.
    expect(edges("api.ts")).not.toContain("core/Clock.ts");
  });

  it("has no import cycle (values, or type-only imports naming a class)", () => {
    const found = cyclicComponents(graph).flatMap((component) =>
      cyclesIn(component, graph).map((cycle) => cycle.map(name).join(" → ")),
    );
    expect(found).toEqual([]);
  });
});
