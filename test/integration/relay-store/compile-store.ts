/**
 * The relay store, runnable by a plain `node` child process (Node 20 cannot run TypeScript):
 * the shared transpiler of test/helpers/transpile.ts over the store's component and what it
 * imports. Always the current sources; no `npm run build`, nothing written to dist/.
 */
import { transpileComponents } from "../../helpers/transpile.js";

/** The transpiled store: the URL to `import()` and how to remove it. */
export interface CompiledStore {
  /** `file:` URL of the transpiled `src/relay/store/index.ts`. */
  moduleUrl: string;
  remove(): Promise<void>;
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
  // relay/ holds the store; the store imports only sqlite, http and log.
  const built = transpileComponents("relay-store", ["relay", "sqlite", "http", "log"]);
  return {
    moduleUrl: built.entryUrl("relay/store"),
    remove: built.remove,
  };
}
