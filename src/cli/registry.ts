import type { Command } from "./command.js";
import { devCommand } from "./commands/dev.js";
import { exportCommand } from "./commands/export.js";
import { httpCommand } from "./commands/http.js";
import { importCommand } from "./commands/import.js";
import { oktaCommand } from "./commands/okta.js";
import { relayCommand } from "./commands/relay.js";
import { replayCommand } from "./commands/replay.js";
import { requestsCommand } from "./commands/requests.js";
import { sampleCommand } from "./commands/sample.js";
import { triggerCommand } from "./commands/trigger.js";

/** Every command, in the order `hooktap help` lists them. Add a command here and nowhere else. */
export const COMMANDS: readonly Command[] = [
  devCommand,
  sampleCommand,
  relayCommand,
  httpCommand,
  oktaCommand,
  requestsCommand,
  replayCommand,
  exportCommand,
  importCommand,
  triggerCommand,
];

/**
 * The command called `name`, if any.
 *
 * @example
 * findCommand("sample")?.summary;
 */
export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((command) => command.name === name);
}
