/** Exit codes of hooktap, the same for every command. */
export const EXIT_CODES = {
  /** Success, including a server stopped with Ctrl-C (SIGINT) or SIGTERM. */
  ok: 0,
  /** The command ran and failed (port in use, permission denied, …). */
  failure: 1,
  /** The command line is wrong (unknown command or flag, bad flag value). Nothing ran. */
  usage: 2,
} as const;

/**
 * The command line is wrong. `hint` says how to get it right (e.g. which help to read).
 *
 * @example
 * throw new UsageError("--port must be an integer from 0 to 65535, got 'abc'", "hooktap sample --help");
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
  /** A command to run for help, printed after the message. */
  readonly hint: string;

  constructor(message: string, hint = "hooktap help") {
    super(message);
    this.hint = hint;
  }
}

/** What the CLI prints and returns for an error: the only place errors become exit codes. */
export interface ErrorReport {
  exitCode: number;
  /** One line, without the `hooktap:` prefix. */
  message: string;
}

/**
 * Maps any thrown value to an exit code and a one-line message.
 *
 * @example
 * reportError(new UsageError("unknown command 'foo'"));
 * // { exitCode: 2, message: "unknown command 'foo' (run 'hooktap help')" }
 */
export function reportError(error: unknown): ErrorReport {
  if (error instanceof UsageError) {
    return { exitCode: EXIT_CODES.usage, message: `${error.message} (run '${error.hint}')` };
  }
  const listen = listenFailure(error);
  if (listen !== undefined) return { exitCode: EXIT_CODES.failure, message: listen };
  const message = error instanceof Error ? error.message : String(error);
  return { exitCode: EXIT_CODES.failure, message: firstLine(message) };
}

interface SystemError {
  code?: unknown;
  address?: unknown;
  hostname?: unknown;
  port?: unknown;
}

function listenFailure(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, address, hostname, port } = error as SystemError;
  const host = String(address ?? hostname ?? "");
  const where = typeof port === "number" ? `${host}:${port}` : host;
  switch (code) {
    case "EADDRINUSE":
      return `cannot listen on ${where}: the port is already in use (EADDRINUSE); pick another with --port, or --port 0 for any free port`;
    case "EACCES":
      return `cannot listen on ${where}: permission denied (EACCES); ports below 1024 need privileges, use --port 8082`;
    case "EADDRNOTAVAIL":
      return `cannot listen on ${where}: no such address on this machine (EADDRNOTAVAIL); check --host`;
    case "ENOTFOUND":
      return `cannot listen on ${where}: unknown host (ENOTFOUND); check --host`;
    default:
      return undefined;
  }
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}
