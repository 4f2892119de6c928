import { parseArgs } from "node:util";
import { UsageError } from "./errors.js";
import type { CliIo } from "./io.js";

/** One flag of a command: its `parseArgs` config plus what the help shows. */
export interface CommandOption {
  type: "string" | "boolean";
  short?: string;
  /** Placeholder of the value in help, e.g. `port` → `--port <port>`. */
  valueName?: string;
  /** One line for the help. */
  description: string;
  /** The default as the help shows it (applied by the command, so env can sit in between). */
  default?: string;
  /** The flag may be repeated; its value is then an array (`--filter a=1 --filter b=2`). */
  multiple?: boolean;
}

/** Something a command leaves running; the CLI closes it on SIGINT/SIGTERM. */
export interface Closable {
  close(): Promise<void>;
  /**
   * Resolves with an exit code when the command ends by itself (a followed stream that the
   * server closed); without it, only a signal ends the command.
   */
  finished?: Promise<number>;
}

/** A titled table of the help, e.g. a command's subcommands. */
export interface HelpSection {
  title: string;
  rows: readonly (readonly [string, string])[];
}

/** A CLI command. One file per command under `commands/`, listed in the registry. */
export interface Command {
  name: string;
  /** One line for `hooktap help`. */
  summary: string;
  /** Synopsis, e.g. `hooktap sample [--port <port>]`. */
  usage: string;
  /** Flags, by long name (without `--`). `--help` is added to every command. */
  options: Readonly<Record<string, CommandOption>>;
  /** Environment variables the command reads, and what for. */
  environment?: Readonly<Record<string, string>>;
  /**
   * More tables for the help, after the flags: subcommands and their own flags, as
   * `[left, right]` rows under a title.
   */
  sections?: readonly HelpSection[];
  /** Example invocations, shown in the help. */
  examples: readonly string[];
  /**
   * Runs with the arguments after the command name. Returns a handle when it leaves a server
   * running (the CLI waits for a signal, then closes it), nothing when it is done. Throws
   * {@link UsageError} for a bad command line, anything else for a runtime failure.
   */
  run(args: readonly string[], io: CliIo): Promise<Closable | undefined>;
}

/** Values of parsed flags, by long name. */
export type ParsedFlags = Record<string, string | boolean | undefined>;

/** Values of parsed flags, by long name; arrays for `multiple` flags. */
export type CommandLineFlags = Record<string, string | boolean | string[] | undefined>;

/**
 * Parses a command's arguments strictly: unknown flags, missing values and positionals become a
 * {@link UsageError} that names the flag and points at the command's help.
 *
 * @example
 * parseFlags(sampleCommand, ["--port", "0"]); // { port: "0" }
 */
export function parseFlags(command: Command, args: readonly string[]): ParsedFlags {
  return parseCommandLine(command, args, false).flags as ParsedFlags;
}

/**
 * Like {@link parseFlags}, for commands that also take positional arguments (ids, a file).
 *
 * @example
 * parseCommandLine(replayCommand, ["01HZX", "--set", "a=1"], true); // { flags: { set: ["a=1"] }, positionals: ["01HZX"] }
 */
export function parseCommandLine(
  command: Command,
  args: readonly string[],
  allowPositionals: boolean,
): { flags: CommandLineFlags; positionals: string[] } {
  const options = Object.fromEntries(
    Object.entries(command.options).map(([name, option]) => [
      name,
      {
        type: option.type,
        ...(option.short === undefined ? {} : { short: option.short }),
        ...(option.multiple === true ? { multiple: true } : {}),
      },
    ]),
  );
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options,
      strict: true,
      allowPositionals,
    });
    return { flags: values as CommandLineFlags, positionals };
  } catch (error) {
    throw new UsageError(describeParseError(error, command.name), `hooktap ${command.name} --help`);
  }
}

/**
 * Turns Node's long parseArgs messages into one short line; `commandName` as in
 * `hooktap <commandName>` (also for subcommands that call parseArgs themselves).
 *
 * @example
 * describeParseError(error, "relay queue"); // "unknown option '--nope' for 'hooktap relay queue'"
 */
export function describeParseError(error: unknown, commandName: string): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? "";
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option '${quoted}' for 'hooktap ${commandName}'`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return message.includes("does not take an argument")
        ? `option '${flagName(message)}' takes no value`
        : `option '${flagName(message)}' needs a value`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument '${quoted}' for 'hooktap ${commandName}'`;
    default:
      return message.split("\n")[0] ?? message;
  }
}

/** `Option '-p, --port <value>' argument missing` → `--port`. */
function flagName(message: string): string {
  return /--[\w-]+/.exec(message)?.[0] ?? /'([^']*)'/.exec(message)?.[1] ?? "?";
}
