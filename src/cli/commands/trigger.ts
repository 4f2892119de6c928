import { parseArgs } from "node:util";
import { MAX_TRIGGER_COUNT, type TriggerRun } from "../../emulator/index.js";
import type { Command } from "../command.js";
import { deliveryLines } from "../delivery-lines.js";
import { UsageError } from "../errors.js";
import type { CliIo } from "../io.js";
import { callOkta, OKTA_CLIENT_OPTIONS, oktaTargetFrom } from "../okta-client.js";

const HELP = "hooktap trigger --help";

/** `hooktap trigger`: make the local Okta org fire an event type, like `stripe trigger`. */
export const triggerCommand: Command = {
  name: "trigger",
  summary:
    "Fire an Okta event type on the local org (runs the action, or builds the event) and show the hooks' answers",
  usage:
    "hooktap trigger <eventType> [--set path=value]… [--count <n>] [--okta <url>] [--token <token>] [--data <file>]",
  options: {
    set: {
      type: "string",
      valueName: "path=value",
      description:
        "Edit the delivered event: a path like target[0].displayName, a JSON value or text (repeatable)",
    },
    count: {
      type: "string",
      valueName: "n",
      description: `How many times, 1 to ${MAX_TRIGGER_COUNT}`,
      default: "1",
    },
    ...OKTA_CLIENT_OPTIONS,
  },
  environment: {
    HOOKTAP_OKTA_URL: "the org, as --okta",
    HOOKTAP_OKTA_TOKEN: "API token, as --token",
  },
  examples: [
    "hooktap trigger user.lifecycle.create",
    "hooktap trigger user.lifecycle.deactivate --count 3",
    "hooktap trigger user.session.start --set outcome.result=FAILURE --set 'client.ipAddress=\"10.0.0.1\"'",
    "hooktap trigger application.lifecycle.create --okta http://127.0.0.1:7070 --token $TOKEN",
  ],
  async run(args, io) {
    const { eventType, set, count, flags } = parseTriggerArgs(args);
    const target = oktaTargetFrom(flags, io, HELP);
    const answer = (await callOkta(target, "POST", "/api/v1/hooktap/trigger", {
      eventType,
      set,
      count,
    })) as { mode: "action" | "synthesized"; runs: TriggerRun[] };
    printRuns(io, eventType, answer.mode, answer.runs);
    const failed = answer.runs.flatMap((r) => r.deliveries).filter((d) => d.outcome === "failure");
    if (failed.length > 0) {
      throw new Error(`${failed.length} delivery(ies) failed (see above)`);
    }
    return undefined;
  },
};

/** The parsed command line of `hooktap trigger`. */
export interface TriggerArgs {
  eventType: string;
  set: { path: string; value: unknown }[];
  count: number;
  flags: Record<string, string | undefined>;
}

/**
 * Parses `hooktap trigger`'s arguments: one event type, repeatable `--set path=value` (the
 * value is JSON when it parses as JSON, else text), `--count`.
 *
 * @throws {UsageError} naming the bad argument.
 */
export function parseTriggerArgs(args: readonly string[]): TriggerArgs {
  let parsed: ReturnType<
    typeof parseArgs<{ options: typeof PARSE_OPTIONS; allowPositionals: true }>
  >;
  try {
    parsed = parseArgs({
      args: [...args],
      options: PARSE_OPTIONS,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    throw new UsageError(message, HELP);
  }
  const [eventType, ...extra] = parsed.positionals;
  if (eventType === undefined)
    throw new UsageError("which event type? e.g. hooktap trigger user.lifecycle.create", HELP);
  if (extra.length > 0)
    throw new UsageError(`unexpected argument '${extra[0]}' for 'hooktap trigger'`, HELP);
  if (!/^[a-z0-9_]+(\.[a-z0-9_]+)+$/.test(eventType)) {
    throw new UsageError(`'${eventType}' is not an event type such as user.lifecycle.create`, HELP);
  }
  const countText = parsed.values.count ?? "1";
  const count = /^\d+$/.test(countText) ? Number(countText) : Number.NaN;
  if (!(count >= 1 && count <= MAX_TRIGGER_COUNT)) {
    throw new UsageError(
      `--count must be an integer from 1 to ${MAX_TRIGGER_COUNT}, got '${countText}'`,
      HELP,
    );
  }
  const set = (parsed.values.set ?? []).map((edit) => {
    const at = edit.indexOf("=");
    if (at <= 0) throw new UsageError(`--set takes path=value, got '${edit}'`, HELP);
    const text = edit.slice(at + 1);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // Not JSON: the text itself.
    }
    return { path: edit.slice(0, at), value };
  });
  const { set: _set, count: _count, ...flags } = parsed.values;
  return { eventType, set, count, flags };
}

const PARSE_OPTIONS = {
  set: { type: "string", multiple: true },
  count: { type: "string" },
  okta: { type: "string" },
  token: { type: "string" },
  data: { type: "string" },
} as const;

function printRuns(io: CliIo, eventType: string, mode: string, runs: readonly TriggerRun[]): void {
  io.stdout(
    `Triggered ${eventType} ${runs.length === 1 ? "once" : `${runs.length} times`} (${mode === "action" ? "by performing the action" : "with an event built from Okta's catalog"})`,
  );
  for (const run of runs) {
    io.stdout(`- ${run.action}: ${run.eventTypes.join(", ") || "no event"}`);
    if (run.deliveries.length === 0) {
      io.stdout(`  no ACTIVE and VERIFIED event hook gets ${eventType}: nothing delivered`);
    }
    for (const delivery of run.deliveries)
      for (const line of deliveryLines(delivery)) io.stdout(line);
  }
}
