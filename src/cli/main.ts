/**
 * @module
 * The hooktap executable: the only place that owns the process (stdout/stderr, signals,
 * `process.exit`). `bin/hooktap.js` calls {@link main}.
 */
import type { Closable } from "./command.js";
import { EXIT_CODES, reportError } from "./errors.js";
import { type CliIo, createProcessIo } from "./io.js";
import { runCli } from "./run.js";

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * Runs the command line and exits the process with its exit code. A command that leaves a
 * server running keeps the process alive until SIGINT or SIGTERM, then closes it and exits 0;
 * a second signal exits at once with 1.
 *
 * @example
 * await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[]): Promise<never> {
  const io = createProcessIo();
  // Listen before the command starts: a Ctrl-C while a server is still starting must close it
  // too, not kill the process half-way through its banner.
  const stop = listenForStop(io);
  const outcome = await runCli(argv, io);
  let exitCode = outcome.exitCode;
  if (outcome.running !== undefined) {
    const running = outcome.running;
    const ended = await Promise.race([
      stop.then(() => null),
      running.finished ?? new Promise<never>(() => {}),
    ]);
    const closed = await close(running, io);
    exitCode = ended ?? closed;
  }
  await flush();
  process.exit(exitCode);
}

function listenForStop(io: CliIo): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        io.stderr(`hooktap: ${signal} again, exiting without waiting`);
        process.exit(EXIT_CODES.failure);
      }
      stopping = true;
      resolve(signal);
    };
    for (const signal of SIGNALS) process.on(signal, onSignal);
  });
}

async function close(running: Closable, io: CliIo): Promise<number> {
  try {
    await running.close();
    return EXIT_CODES.ok;
  } catch (error) {
    io.stderr(`hooktap: while stopping: ${reportError(error).message}`);
    return EXIT_CODES.failure;
  }
}

/** Waits until what was written to stdout and stderr has been handed to the OS. */
async function flush(): Promise<void> {
  await Promise.all(
    [process.stdout, process.stderr].map(
      (stream) => new Promise<void>((resolve) => stream.write("", () => resolve())),
    ),
  );
}
