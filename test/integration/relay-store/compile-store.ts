/**
 * Makes the relay store runnable by a plain `node` child process: Node 20 cannot run TypeScript,
 * so the store's sources (and the logger they import) are transpiled, type annotations stripped,
 * into a private directory under node_modules/.cache. This always runs the current sources,
 * needs no `npm run build`, and never writes to dist/, which other tests may be reading.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { REPO_ROOT } from "../../helpers/process.js";

/** The transpiled store: the URL to `import()` and how to remove it. */
export interface CompiledStore {
  /** `file:` URL of the transpiled `src/relay/store/index.ts`. */
  moduleUrl: string;
  remove(): Promise<void>;
}

function sources(): string[] {
  const storeDir = join(REPO_ROOT, "src", "relay", "store");
  const store = readdirSync(storeDir)
    .filter((name) => name.endsWith(".ts") && !/\.(test|case)\.ts$/.test(name))
    .map((name) => join(storeDir, name));
  return [...store, join(REPO_ROOT, "src", "log", "index.ts")];
}

/**
 * Transpiles the store into a fresh directory (inside the repository, so that `better-sqlite3`
 * resolves from node_modules).
 *
 * @example
 * const compiled = compileRelayStore();
 * spawnNode([CHILD], { env: { STORE_MODULE: compiled.moduleUrl } });
 */
export function compileRelayStore(): CompiledStore {
  const out = join(
    REPO_ROOT,
    "node_modules",
    ".cache",
    "hooktap-tests",
    `relay-store-${process.pid}-${Date.now()}`,
  );
  // Files under node_modules belong to no package scope of ours: declare them ESM explicitly.
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "package.json"), '{ "type": "module" }\n');
  for (const file of sources()) {
    const result = ts.transpileModule(readFileSync(file, "utf8"), {
      fileName: file,
      reportDiagnostics: true,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    });
    if (result.diagnostics !== undefined && result.diagnostics.length > 0) {
      const text = ts.formatDiagnostics(result.diagnostics, {
        getCanonicalFileName: (name) => name,
        getCurrentDirectory: () => REPO_ROOT,
        getNewLine: () => "\n",
      });
      throw new Error(`cannot transpile ${file}:\n${text}`);
    }
    const target = join(out, relative(join(REPO_ROOT, "src"), file)).replace(/\.ts$/, ".js");
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, result.outputText);
  }
  return {
    moduleUrl: pathToFileURL(join(out, "relay", "store", "index.js")).href,
    remove: () => rm(out, { recursive: true, force: true }),
  };
}
