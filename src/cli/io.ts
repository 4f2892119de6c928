import type { LogFields, Logger } from "../log/index.js";

/**
 * Everything a command may touch of the outside world, so commands run the same in a terminal
 * and in a test: two line writers and the environment.
 */
export interface CliIo {
  /** Writes one line (a newline is appended) to standard output. */
  stdout(line: string): void;
  /** Writes one line (a newline is appended) to standard error. */
  stderr(line: string): void;
  /** Environment variables (flags win over them). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * The io of the real process.
 *
 * @example
 * const io = createProcessIo();
 * io.stdout("hello");
 */
export function createProcessIo(): CliIo {
  return {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
  };
}

/**
 * A {@link Logger} that prints: `info` to stdout as is, `warn`/`error` to stderr with their
 * level, `debug` only when `HOOKTAP_DEBUG` is set. Fields follow as `key=value`.
 *
 * @example
 * createCliLogger(io).warn("request rejected", { status: 401 });
 * // stderr: "warn: request rejected status=401"
 */
export function createCliLogger(io: CliIo): Logger {
  const debug = io.env.HOOKTAP_DEBUG !== undefined && io.env.HOOKTAP_DEBUG !== "";
  return {
    debug: (message, fields) => {
      if (debug) io.stderr(`debug: ${message}${formatFields(fields)}`);
    },
    info: (message, fields) => io.stdout(`${message}${formatFields(fields)}`),
    warn: (message, fields) => io.stderr(`warn: ${message}${formatFields(fields)}`),
    error: (message, fields) => io.stderr(`error: ${message}${formatFields(fields)}`),
  };
}

function formatFields(fields: LogFields | undefined): string {
  if (fields === undefined) return "";
  const parts = Object.entries(fields).map(([key, value]) => {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return `${key}=${/\s/.test(text ?? "") ? JSON.stringify(text) : text}`;
  });
  return parts.length === 0 ? "" : ` ${parts.join(" ")}`;
}
