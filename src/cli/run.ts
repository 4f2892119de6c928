import type { Closable } from "./command.js";
import { EXIT_CODES, reportError, UsageError } from "./errors.js";
import { formatCommandHelp, formatMainHelp } from "./help.js";
import type { CliIo } from "./io.js";
import { COMMANDS, findCommand } from "./registry.js";
import { packageVersion } from "./version.js";

/** How a CLI invocation ended, or that it left something running. */
export interface CliOutcome {
  /** Exit code if the process stopped now (0 when a server was left running). */
  exitCode: number;
  /** A server left running; the caller closes it on SIGINT/SIGTERM. */
  running?: Closable;
}

/**
 * Runs one hooktap command line (without `node` and the script path) against `io`. Never throws
 * and never exits: failures come back as an exit code after a one-line message on stderr.
 *
 * @example
 * const { exitCode } = await runCli(["--version"], io); // prints "0.1.0", exitCode 0
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<CliOutcome> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    const report = reportError(error);
    io.stderr(`hooktap: ${report.message}`);
    return { exitCode: report.exitCode };
  }
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<CliOutcome> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h") {
    io.stdout(formatMainHelp(COMMANDS, packageVersion()));
    return { exitCode: EXIT_CODES.ok };
  }
  if (first === "--version" || first === "-v") {
    io.stdout(packageVersion());
    return { exitCode: EXIT_CODES.ok };
  }
  if (first === "help") return help(rest, io);
  if (first.startsWith("-")) throw new UsageError(`unknown option '${first}'`);

  const command = findCommand(first);
  if (command === undefined) throw new UsageError(`unknown command '${first}'`);
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(formatCommandHelp(command));
    return { exitCode: EXIT_CODES.ok };
  }
  const running = await command.run(rest, io);
  return running === undefined ? { exitCode: EXIT_CODES.ok } : { exitCode: EXIT_CODES.ok, running };
}

function help(args: readonly string[], io: CliIo): CliOutcome {
  const [name, extra] = args;
  if (extra !== undefined)
    throw new UsageError(`unexpected argument '${extra}' for 'hooktap help'`);
  if (name === undefined) {
    io.stdout(formatMainHelp(COMMANDS, packageVersion()));
    return { exitCode: EXIT_CODES.ok };
  }
  const command = findCommand(name);
  if (command === undefined) throw new UsageError(`unknown command '${name}'`);
  io.stdout(formatCommandHelp(command));
  return { exitCode: EXIT_CODES.ok };
}
