/**
 * Makes components runnable by a plain `node` child process: Node 20 cannot run TypeScript, so
 * their sources are transpiled (type annotations stripped) into a private directory under
 * node_modules/.cache. This always runs the current sources, needs no `npm run build`, and
 * never writes to dist/, which other tests may be reading.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { REPO_ROOT } from "./process.js";

/** Transpiled components: `file:` URLs of their entry files, and how to remove them. */
export interface TranspiledComponents {
  /** `file:` URL of `src/<component>/index.js` in the transpiled tree. */
  entryUrl(component: string): string;
  remove(): Promise<void>;
}

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return entry.name.endsWith(".ts") && !/\.(test|case)\.ts$/.test(entry.name) ? [path] : [];
  });
}

/**
 * Transpiles `src/<component>/` for each component given (list every component they import).
 *
 * @example
 * const built = transpileComponents("capture", ["capture", "sqlite", "okta", "http", "log"]);
 * spawnNode([CHILD], { env: { CAPTURE_MODULE: built.entryUrl("capture") } });
 */
export function transpileComponents(
  label: string,
  components: readonly string[],
): TranspiledComponents {
  const out = join(
    REPO_ROOT,
    "node_modules",
    ".cache",
    "hooktap-tests",
    `${label}-${process.pid}-${Date.now()}`,
  );
  // Files under node_modules belong to no package scope of ours: declare them ESM explicitly.
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "package.json"), '{ "type": "module" }\n');
  for (const component of components) {
    for (const file of sourcesUnder(join(REPO_ROOT, "src", component))) {
      const result = ts.transpileModule(readFileSync(file, "utf8"), {
        fileName: file,
        compilerOptions: {
          module: ts.ModuleKind.ESNext,
          target: ts.ScriptTarget.ES2022,
          verbatimModuleSyntax: true,
        },
      });
      const target = join(out, relative(join(REPO_ROOT, "src"), file)).replace(/\.ts$/, ".js");
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, result.outputText);
    }
  }
  return {
    entryUrl: (component) => pathToFileURL(join(out, component, "index.js")).href,
    remove: () => rm(out, { recursive: true, force: true }),
  };
}
