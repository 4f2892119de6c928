/**
 * Child processes for integration tests: spawn `node` with a script of this repository, wait
 * for a line on stdout/stderr (with a timeout, never a sleep), stop it and read its exit.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** How a child process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running child process with its output split into lines. */
export interface RunningProcess {
  readonly child: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  /** Resolves when the process has exited and its output is fully read. */
  readonly exited: Promise<ProcessExit>;
  /**
   * Resolves with the first line (already printed or still to come) matching `pattern`;
   * rejects after `timeoutMs` or when the process exits first, quoting its output.
   */
  waitForLine(pattern: RegExp, options?: WaitOptions): Promise<RegExpMatchArray>;
  /** Sends `signal` (SIGTERM by default) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<ProcessExit>;
}

/** Options of {@link RunningProcess.waitForLine}. */
export interface WaitOptions {
  stream?: "stdout" | "stderr";
  /** @default 10000 */
  timeoutMs?: number;
}

/** Options of {@link spawnNode}. */
export interface SpawnOptions {
  /** Added to a copy of this process's environment. */
  env?: Record<string, string>;
  cwd?: string;
}

const running = new Set<RunningProcess>();

/**
 * Starts `node <args>` in the repository root.
 *
 * @example
 * const proc = spawnNode(["bin/hooktap.js", "sample", "--port", "0"]);
 * const [, url] = await proc.waitForLine(/listening on (\S+)/);
 */
export function spawnNode(args: readonly string[], options: SpawnOptions = {}): RunningProcess {
  const child = spawn(process.execPath, [...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines = { stdout: [] as string[], stderr: [] as string[] };
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const listener of listeners) listener();
  };
  const closed = (["stdout", "stderr"] as const).map((name) => {
    const stream = child[name];
    if (stream === null) return Promise.resolve();
    const reader = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
    reader.on("line", (line) => {
      lines[name].push(line);
      notify();
    });
    return new Promise<void>((done) => reader.once("close", done));
  });
  const exited = new Promise<ProcessExit>((done, fail) => {
    child.once("error", fail);
    child.once("exit", (code, signal) => {
      void Promise.all(closed).then(() => done({ code, signal }));
    });
  });
  let hasExited = false;
  void exited.then(
    () => {
      hasExited = true;
      notify();
    },
    () => {
      hasExited = true;
      notify();
    },
  );

  const proc: RunningProcess = {
    child,
    stdout: lines.stdout,
    stderr: lines.stderr,
    exited,
    waitForLine(pattern, { stream = "stdout", timeoutMs = 10_000 } = {}) {
      return new Promise((done, fail) => {
        const check = (): void => {
          for (const line of lines[stream]) {
            const match = pattern.exec(line);
            if (match !== null) {
              finish(() => done(match));
              return;
            }
          }
          if (hasExited) {
            finish(() => fail(new Error(`process exited before ${pattern}\n${describe()}`)));
          }
        };
        const timer = setTimeout(
          () =>
            finish(() =>
              fail(new Error(`no line matched ${pattern} in ${timeoutMs} ms\n${describe()}`)),
            ),
          timeoutMs,
        );
        const finish = (settle: () => void): void => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async stop(signal = "SIGTERM") {
      if (!hasExited) child.kill(signal);
      return exited;
    },
  };
  const describe = (): string =>
    `--- stdout\n${lines.stdout.join("\n")}\n--- stderr\n${lines.stderr.join("\n")}`;
  running.add(proc);
  void exited.finally(() => running.delete(proc));
  return proc;
}

/**
 * Runs `node <args>` to completion (killing it after `timeoutMs`), for commands that exit.
 *
 * @example
 * const { code, stdout } = await runNode(["bin/hooktap.js", "--version"]);
 */
export async function runNode(
  args: readonly string[],
  options: SpawnOptions & { timeoutMs?: number } = {},
): Promise<ProcessExit & { stdout: string[]; stderr: string[] }> {
  const proc = spawnNode(args, options);
  const timer = setTimeout(() => proc.child.kill("SIGKILL"), options.timeoutMs ?? 15_000);
  try {
    const exit = await proc.exited;
    return { ...exit, stdout: proc.stdout, stderr: proc.stderr };
  } finally {
    clearTimeout(timer);
  }
}

/** Kills every process spawned by this helper that is still running (for `afterEach`). */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...running].map((proc) => proc.stop("SIGKILL")));
}

/** Fails with a clear message when `npm run build` has not produced `dist/` yet. */
export function assertBuilt(): void {
  const entry = join(REPO_ROOT, "dist", "cli", "main.js");
  if (!existsSync(entry)) {
    throw new Error(`${entry} is missing: run 'npm run build' before these tests (npm test does)`);
  }
}
