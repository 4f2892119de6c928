import type { Command, CommandOption } from "./command.js";

/** The built-in `help` entry, listed with the commands. */
export const HELP_SUMMARY = "Show every command, or one command's flags: hooktap help <command>";

/**
 * The text of `hooktap --help`: every command with its one-line summary.
 *
 * @example
 * formatMainHelp(COMMANDS, "0.1.0").split("\n")[0]; // "hooktap 0.1.0 — …"
 */
export function formatMainHelp(commands: readonly Command[], version: string): string {
  const rows: [string, string][] = [
    ...commands.map((c): [string, string] => [c.name, c.summary]),
    ["help", HELP_SUMMARY],
  ];
  return [
    `hooktap ${version} — build and test Okta Event Hooks (and any webhook) from localhost`,
    "",
    "Usage: hooktap <command> [options]",
    "",
    "Commands:",
    ...table(rows),
    "",
    "Options:",
    ...table([
      ["-h, --help", "Show this help"],
      ["-v, --version", "Print hooktap's version"],
    ]),
    "",
    "Run 'hooktap <command> --help' for a command's flags, defaults and examples.",
  ].join("\n");
}

/**
 * The text of `hooktap <command> --help`: synopsis, flags with defaults, the command's own
 * sections (subcommands), environment, examples.
 *
 * @example
 * formatCommandHelp(sampleCommand).includes("--port <port>"); // true
 */
export function formatCommandHelp(command: Command): string {
  const flags: [string, string][] = Object.entries(command.options).map(([name, option]) => [
    flagLabel(name, option),
    option.default === undefined
      ? option.description
      : `${option.description} (default: ${option.default})`,
  ]);
  flags.push(["-h, --help", "Show this help"]);
  const lines = [
    `hooktap ${command.name} — ${command.summary}`,
    "",
    `Usage: ${command.usage}`,
    "",
    "Options:",
    ...table(flags),
  ];
  for (const section of command.sections ?? []) {
    lines.push("", `${section.title}:`, ...table(section.rows));
  }
  const env = Object.entries(command.environment ?? {});
  if (env.length > 0) lines.push("", "Environment (flags win):", ...table(env));
  if (command.examples.length > 0) {
    lines.push("", "Examples:", ...command.examples.map((e) => `  ${e}`));
  }
  return lines.join("\n");
}

function flagLabel(name: string, option: CommandOption): string {
  const long =
    option.type === "string" ? `--${name} <${option.valueName ?? "value"}>` : `--${name}`;
  return option.short === undefined ? long : `-${option.short}, ${long}`;
}

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}
