import { createRequire } from "node:module";

/**
 * The version in hooktap's package.json. Both `src/cli/` and `dist/cli/` sit two levels below
 * the package root, so one relative path serves the sources and the build.
 *
 * @example
 * packageVersion(); // "0.1.0"
 */
export function packageVersion(): string {
  const require = createRequire(import.meta.url);
  const pkg = require("../../package.json") as { version?: unknown };
  return typeof pkg.version === "string" ? pkg.version : "unknown";
}
