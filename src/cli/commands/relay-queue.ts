/**
 * `hooktap relay queue ls | retry | drop`: the relay's durable queue seen and changed from the
 * command line, on the relay's database file, while the relay may be running.
 */
import { parseArgs } from "node:util";
import {
  DEFAULT_HISTORY_LIMIT,
  DEFAULT_STORE_WATCH_MS,
  isValidEndpointName,
  MAX_HISTORY_LIMIT,
  QUEUE_STATES,
  type QueuedRequestState,
  type QueuedRequestSummary,
  type QueueSelection,
  type RelayStore,
  StoreError,
} from "../../relay/index.js";
import { describeParseError } from "../command.js";
import { UsageError } from "../errors.js";
import type { CliIo } from "../io.js";
import { clip, formatInstant, formatTable } from "../text-table.js";
import { DEFAULT_RELAY_DATA, withRelayStore } from "./relay-token.js";

const HELP = "hooktap relay --help";

/** The flags of `hooktap relay queue`, and which actions take each. */
const FLAGS = {
  data: { type: "string", actions: ["ls", "retry", "drop"] },
  endpoint: { type: "string", actions: ["ls", "retry", "drop"] },
  json: { type: "boolean", actions: ["ls", "retry", "drop"] },
  state: { type: "string", actions: ["ls"] },
  limit: { type: "string", actions: ["ls"] },
  failed: { type: "boolean", actions: ["retry", "drop"] },
} as const;

type Flags = {
  [K in keyof typeof FLAGS]?: (typeof FLAGS)[K]["type"] extends "string" ? string : boolean;
};

/**
 * `hooktap relay queue ls | retry | drop`: what the relay's durable queue holds, and what to do
 * with the requests it gave up on, in the relay's database while the relay may be running (it
 * notices a retry or a drop within 2 s). Nothing is created: the database must exist.
 *
 * @example
 * await runQueueCommand(["retry", "--failed", "--endpoint", "okta-dev"], io);
 */
export async function runQueueCommand(args: readonly string[], io: CliIo): Promise<undefined> {
  const { flags, positionals } = parseQueueArgs(args);
  const [verb, ...ids] = positionals;
  const action = verb === "list" ? "ls" : verb;
  if (action === undefined) {
    throw new UsageError("'hooktap relay queue' needs an action: ls, retry or drop", HELP);
  }
  if (action !== "ls" && action !== "retry" && action !== "drop") {
    throw new UsageError(`unknown queue action '${action}': use ls, retry or drop`, HELP);
  }
  for (const name of Object.keys(flags) as (keyof typeof FLAGS)[]) {
    if (!(FLAGS[name].actions as readonly string[]).includes(action)) {
      throw new UsageError(
        `option '--${name}' does not apply to 'hooktap relay queue ${action}'`,
        HELP,
      );
    }
  }
  const endpoint = endpointFrom(flags.endpoint);
  const data = flags.data ?? DEFAULT_RELAY_DATA;
  if (action === "ls") {
    if (ids.length > 0) {
      throw new UsageError(`unexpected argument '${ids[0]}' for 'hooktap relay queue ls'`, HELP);
    }
    const state = stateFrom(flags.state);
    const limit = limitFrom(flags.limit);
    return withRelayStore(
      data,
      (store) => list(store, { endpoint, state, limit, json: flags.json === true }, io),
      { mustExist: true },
    );
  }
  const selection = selectionFrom(action, ids, flags.failed === true, endpoint);
  return withRelayStore(
    data,
    (store) => change(store, action, selection, flags.json === true, io),
    { mustExist: true },
  );
}

function parseQueueArgs(args: readonly string[]): { flags: Flags; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: Object.fromEntries(
        Object.entries(FLAGS).map(([name, flag]) => [name, { type: flag.type }]),
      ),
      strict: true,
      allowPositionals: true,
    });
    for (const [name, value] of Object.entries(values)) {
      if (value === "") throw new UsageError(`--${name} must not be empty`, HELP);
    }
    return { flags: values as Flags, positionals };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(describeParseError(error, "relay queue"), HELP);
  }
}

function endpointFrom(value: string | undefined): string | undefined {
  if (value === undefined || isValidEndpointName(value)) return value;
  throw new UsageError(
    `--endpoint must be an endpoint name (a lower-case DNS label), got '${value}'`,
    HELP,
  );
}

function stateFrom(value: string | undefined): QueuedRequestState | undefined {
  if (value === undefined || (QUEUE_STATES as readonly string[]).includes(value)) {
    return value as QueuedRequestState | undefined;
  }
  throw new UsageError(`--state must be pending, failed or delivered, got '${value}'`, HELP);
}

function limitFrom(value: string | undefined): number {
  if (value === undefined) return DEFAULT_HISTORY_LIMIT;
  const limit = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(limit >= 1 && limit <= MAX_HISTORY_LIMIT)) {
    throw new UsageError(
      `--limit must be an integer from 1 to ${MAX_HISTORY_LIMIT}, got '${value}'`,
      HELP,
    );
  }
  return limit;
}

function selectionFrom(
  action: "retry" | "drop",
  ids: string[],
  failed: boolean,
  endpoint: string | undefined,
): QueueSelection {
  const where = endpoint === undefined ? {} : { endpoint };
  if (failed && ids.length > 0) {
    throw new UsageError(`'queue ${action}' takes request ids or --failed, not both`, HELP);
  }
  if (failed) return { failed: true, ...where };
  if (ids.length === 0) {
    throw new UsageError(
      `usage: hooktap relay queue ${action} <id>… | --failed [--endpoint <name>] [--data <file>]`,
      HELP,
    );
  }
  return { ids, ...where };
}

interface ListSettings {
  endpoint: string | undefined;
  state: QueuedRequestState | undefined;
  limit: number;
  json: boolean;
}

async function list(store: RelayStore, settings: ListSettings, io: CliIo): Promise<void> {
  const filter = {
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    ...(settings.state === undefined ? {} : { state: settings.state }),
  };
  const total = await store.countRequests(filter);
  // The latest `limit`, shown oldest first: the order they arrived (and are delivered) in.
  const items = (await store.listRequests({ ...filter, limit: settings.limit })).reverse();
  if (settings.json) {
    io.stdout(JSON.stringify({ items, total }, null, 2));
    return;
  }
  if (items.length === 0) {
    const what = settings.state === undefined ? "queued requests" : `${settings.state} requests`;
    io.stdout(`No ${what}${settings.endpoint === undefined ? "" : ` for ${settings.endpoint}`}.`);
    return;
  }
  const header = ["ID", "ENDPOINT", "STATE", "RECEIVED", "ATTEMPTS", "REQUEST", "LAST ERROR"];
  for (const line of formatTable([header, ...items.map(row)])) io.stdout(line);
  if (total > items.length) {
    io.stdout(
      `(the latest ${items.length} of ${total}; --limit shows more, up to ${MAX_HISTORY_LIMIT})`,
    );
  }
}

function row(item: QueuedRequestSummary): string[] {
  const status = item.lastStatus === null ? "" : `HTTP ${item.lastStatus}`;
  const lastError = [status, item.lastError ?? ""].filter((part) => part !== "").join(": ");
  return [
    item.id,
    item.endpoint,
    item.state,
    formatInstant(item.receivedAt),
    String(item.attempts),
    `${item.method} ${clip(item.target, 40)} (${item.bodyBytes} B)`,
    clip(lastError === "" ? "-" : lastError, 80),
  ];
}

async function change(
  store: RelayStore,
  action: "retry" | "drop",
  selection: QueueSelection,
  json: boolean,
  io: CliIo,
): Promise<void> {
  let changed: QueuedRequestSummary[];
  try {
    changed =
      action === "retry"
        ? await store.retryRequests(selection)
        : await store.dropRequests(selection);
  } catch (error) {
    const refused =
      error instanceof StoreError && ["not_found", "invalid_state"].includes(error.code);
    if (refused) throw new Error(`${(error as Error).message}: nothing was changed`);
    throw error;
  }
  if (json) {
    io.stdout(JSON.stringify({ [action === "retry" ? "retried" : "dropped"]: changed }, null, 2));
    return;
  }
  if (changed.length === 0) {
    io.stdout(`No failed requests to ${action}.`);
    return;
  }
  const count = `${changed.length} request${changed.length === 1 ? "" : "s"}`;
  io.stdout(
    action === "retry" ? `Put ${count} back in the queue, due now:` : `Dropped ${count} for good:`,
  );
  for (const item of changed) {
    io.stdout(`  ${item.id}  ${item.endpoint}  ${item.method} ${clip(item.target, 60)}`);
  }
  if (action === "retry") {
    io.stdout(
      `A relay running on this file delivers them, in arrival order, within ${DEFAULT_STORE_WATCH_MS / 1000} s once the endpoint's agent is online.`,
    );
  }
}
