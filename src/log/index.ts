/**
 * @module
 * The logger contract every library component takes instead of printing.
 *
 * Library code never writes to stdout/stderr itself: it receives a {@link Logger}
 * (the CLI passes one that prints; tests pass {@link silentLogger} or a recorder).
 */

/** Structured fields attached to a log line. Values must be JSON-serialisable. */
export type LogFields = Record<string, unknown>;

/** A minimal structured logger, compatible with `console` and with pino-style loggers. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** A logger that drops everything. The default wherever a logger is optional. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** One line recorded by {@link createMemoryLogger}. */
export interface LogRecord {
  level: "debug" | "info" | "warn" | "error";
  message: string;
  fields: LogFields | undefined;
}

/**
 * A logger that keeps every line in memory, for tests and for embedding.
 *
 * @example
 * const log = createMemoryLogger();
 * log.warn("slow handler", { ms: 3100 });
 * log.records[0]?.message; // "slow handler"
 */
export function createMemoryLogger(): Logger & { readonly records: LogRecord[] } {
  const records: LogRecord[] = [];
  const at =
    (level: LogRecord["level"]) =>
    (message: string, fields?: LogFields): void => {
      records.push({ level, message, fields });
    };
  return { records, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
