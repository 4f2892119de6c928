/** An in-memory {@link CliIo} for running CLI commands inside a test. */
import type { CliIo } from "../../src/cli/io.js";

/** A {@link CliIo} that records what a command prints. */
export interface MemoryIo extends CliIo {
  readonly out: string[];
  readonly err: string[];
  /** Resolves with the first stdout line matching `pattern`, printed already or later. */
  waitForOut(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

/**
 * @example
 * const io = createMemoryIo({ PORT: "0" });
 * await runCli(["sample"], io);
 */
export function createMemoryIo(env: Record<string, string> = {}): MemoryIo {
  const out: string[] = [];
  const err: string[] = [];
  const waiters = new Set<() => void>();
  return {
    out,
    err,
    env,
    stdout(line) {
      out.push(...line.split("\n"));
      for (const waiter of waiters) waiter();
    },
    stderr(line) {
      err.push(...line.split("\n"));
    },
    waitForOut(pattern, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          for (const line of out) {
            const match = pattern.exec(line);
            if (match !== null) {
              clearTimeout(timer);
              waiters.delete(check);
              resolve(match);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no stdout line matched ${pattern}:\n${out.join("\n")}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}
