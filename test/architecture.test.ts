/**
 * Holds the source tree to the layout ARCHITECTURE.md describes: which component may import
 * which, through which door, and without cycles.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, posix, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "..", "src");

/** component → the components it may import. Arrows point one way (ARCHITECTURE.md). */
const ALLOWED: Record<string, readonly string[]> = {
  log: [],
  http: [],
  router: [],
  sqlite: ["log"],
  okta: [],
  protocol: ["http"],
  receiver: ["okta", "http", "log"],
  sample: ["receiver", "okta", "log"],
  capture: ["sqlite", "okta", "http", "log"],
  relay: ["protocol", "sqlite", "okta", "http", "log"],
  agent: ["protocol", "capture", "okta", "http", "log"],
  inspector: ["capture", "okta", "router", "http", "log"],
  emulator: ["sqlite", "okta", "router", "http", "log"],
  cli: ["*"],
  ".": ["*"],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

const IMPORT =
  /(?:import|export)\s[^"';]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? "").filter((s) => s.startsWith("."));
}

/** `src/receiver/core.ts` → `receiver`; `src/index.ts` → `.` */
function componentOf(file: string): string {
  const rel = relative(SRC, file).split(/[\\/]/);
  return rel.length === 1 ? "." : (rel[0] ?? ".");
}

function resolveImport(from: string, specifier: string): string {
  return resolve(dirname(from), specifier.replace(/\.js$/, ".ts"));
}

/** Source text without comments, so that JSDoc `@example` blocks may show `console.log`. */
function withoutComments(file: string): string {
  return readFileSync(file, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

const files = sourceFiles(SRC);
const edges = files.flatMap((file) =>
  importsOf(file).map((specifier) => ({ file, specifier, target: resolveImport(file, specifier) })),
);

describe("architecture", () => {
  it("scans a non-trivial tree", () => {
    expect(files.length).toBeGreaterThan(10);
    expect(edges.length).toBeGreaterThan(10);
  });

  it("every relative import resolves to a file of src/", () => {
    const missing = edges.filter((e) => !files.includes(e.target));
    expect(missing.map((e) => `${relative(SRC, e.file)} → ${e.specifier}`)).toEqual([]);
  });

  it("components import only the components they are allowed to", () => {
    const bad = edges.filter((e) => {
      const from = componentOf(e.file);
      const to = componentOf(e.target);
      if (from === to) return false;
      const allowed = ALLOWED[from];
      if (allowed === undefined) return true;
      return !(allowed.includes("*") || allowed.includes(to));
    });
    expect(bad.map((e) => `${relative(SRC, e.file)} → ${e.specifier}`)).toEqual([]);
  });

  it("another component is entered only through its index.ts", () => {
    const bad = edges.filter((e) => {
      const from = componentOf(e.file);
      const to = componentOf(e.target);
      if (from === to || to === ".") return false;
      return relative(SRC, e.target).split(/[\\/]/).join(posix.sep) !== `${to}/index.ts`;
    });
    expect(bad.map((e) => `${relative(SRC, e.file)} → ${e.specifier}`)).toEqual([]);
  });

  it("no file imports its own component's index.ts", () => {
    const bad = edges.filter((e) => {
      const from = componentOf(e.file);
      return (
        from !== "." &&
        componentOf(e.target) === from &&
        e.target === join(SRC, from, "index.ts") &&
        e.file !== e.target
      );
    });
    expect(bad.map((e) => `${relative(SRC, e.file)} → ${e.specifier}`)).toEqual([]);
  });

  it("has no import cycles", () => {
    const graph = new Map<string, string[]>();
    for (const e of edges) graph.set(e.file, [...(graph.get(e.file) ?? []), e.target]);
    const state = new Map<string, "visiting" | "done">();
    const cycles: string[] = [];
    const visit = (node: string, path: string[]): void => {
      if (state.get(node) === "done") return;
      if (state.get(node) === "visiting") {
        cycles.push(
          [...path.slice(path.indexOf(node)), node].map((f) => relative(SRC, f)).join(" → "),
        );
        return;
      }
      state.set(node, "visiting");
      for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
      state.set(node, "done");
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it("library code never prints or exits", () => {
    const offenders = files
      .filter((f) => componentOf(f) !== "cli" && !f.endsWith(".test.ts"))
      .filter((f) =>
        /\bconsole\.|process\.exit\(|process\.on\(\s*["']SIG/.test(withoutComments(f)),
      );
    expect(offenders.map((f) => relative(SRC, f))).toEqual([]);
  });
});
