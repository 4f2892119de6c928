import { readFileSync } from "node:fs";
import {
  type ExchangeDetail,
  ModificationError,
  parseHeaderArg,
  type ResponseDiff,
} from "../../inspector/index.js";
import type { Command } from "../command.js";
import { parseCommandLine } from "../command.js";
import { UsageError } from "../errors.js";
import { formatDuration } from "../exchange-table.js";
import {
  createInspectorClient,
  INSPECTOR_OPTION,
  InspectorApiError,
  inspectorUrl,
  JSON_OPTION,
} from "../inspector-client.js";

const HELP = "hooktap replay --help";
/** Replay option problems that come from the command line. */
const USAGE_CODES = new Set(["invalid_replay_options", "invalid_edit", "invalid_modification"]);

/** `hooktap replay <id>`: send a captured request again, optionally modified. */
export const replayCommand: Command = {
  name: "replay",
  summary:
    "Replay a captured request (optionally modified, or to another URL) and print the new response",
  usage:
    "hooktap replay <id> [--set path=value]… [--header 'Name: value']… [--remove-header <name>]… [--method <m>] [--path <p>] [--body-file <file>] [--to <url>] [--json] [--inspector <url>]",
  options: {
    set: {
      type: "string",
      multiple: true,
      valueName: "path=value",
      description: "Edit the JSON body, e.g. data.events[0].target[0].alternateId=jane@example.com",
    },
    header: {
      type: "string",
      short: "H",
      multiple: true,
      valueName: "Name: value",
      description: "Set a header (replacing lines of that name)",
    },
    "remove-header": {
      type: "string",
      multiple: true,
      valueName: "name",
      description: "Drop every line of this header",
    },
    method: { type: "string", valueName: "m", description: "Send with this method" },
    path: { type: "string", valueName: "p", description: "Send to this path and query" },
    "body-file": {
      type: "string",
      valueName: "file",
      description: "Send this file's bytes as the body (Content-Length follows)",
    },
    to: {
      type: "string",
      valueName: "url",
      description: "Send to this origin (and base path) instead of the tunnel's app",
    },
    json: JSON_OPTION,
    inspector: INSPECTOR_OPTION,
  },
  environment: { HOOKTAP_INSPECTOR: "the inspector's URL, as --inspector" },
  examples: [
    "hooktap replay 01J8Z3…",
    "hooktap replay 01J8Z3… --set data.events[0].target[0].alternateId=jane.doe@example.com",
    "hooktap replay 01J8Z3… --header 'Authorization: Basic bmV3OnNlY3JldA==' --to http://localhost:4000",
  ],
  async run(args, io) {
    const { flags, positionals } = parseCommandLine(replayCommand, args, true);
    const [id, extra] = positionals;
    if (id === undefined) throw new UsageError("name the exchange to replay (its id)", HELP);
    if (extra !== undefined) throw new UsageError(`one id at a time, got '${extra}' too`, HELP);
    const options: Record<string, unknown> = {};
    const list = (name: string) => (flags[name] as string[] | undefined) ?? [];
    if (list("set").length > 0) options.jsonEdits = list("set");
    const set = list("header").map((text) => {
      try {
        return parseHeaderArg(text);
      } catch (error) {
        if (error instanceof ModificationError)
          throw new UsageError(`--header: ${error.message}`, HELP);
        throw error;
      }
    });
    const remove = list("remove-header");
    if (set.length > 0 || remove.length > 0) {
      options.headers = { ...(set.length > 0 && { set }), ...(remove.length > 0 && { remove }) };
    }
    for (const name of ["method", "path", "to"]) {
      if (flags[name] !== undefined) options[name] = flags[name];
    }
    const bodyFile = flags["body-file"] as string | undefined;
    if (bodyFile !== undefined) {
      try {
        options.bodyBase64 = readFileSync(bodyFile).toString("base64");
      } catch (error) {
        throw new Error(
          `cannot read ${bodyFile} (${(error as { code?: string }).code ?? "error"})`,
        );
      }
    }
    const client = createInspectorClient(
      inspectorUrl(flags.inspector as string | undefined, io.env, "replay"),
    );
    const response = await client
      .request("POST", `/api/exchanges/${encodeURIComponent(id)}/replay`, { json: options })
      .catch((error: unknown) => {
        if (error instanceof InspectorApiError && USAGE_CODES.has(error.code)) {
          throw new UsageError(error.message, HELP);
        }
        throw error;
      });
    const result = response.json<{ exchange: ExchangeDetail; diff: ResponseDiff }>();
    if (flags.json === true) io.stdout(JSON.stringify(result, null, 2));
    else {
      printReplay(result.exchange, id, io.stdout);
      printDiff(result.diff, io.stdout);
    }
    if (result.exchange.response === null) {
      throw new Error(
        `the replay got no response: ${result.exchange.error?.message ?? "unknown error"} [${result.exchange.error?.code ?? "error"}]`,
      );
    }
    return undefined;
  },
};

function printReplay(
  exchange: ExchangeDetail,
  originalId: string,
  print: (line: string) => void,
): void {
  const response = exchange.response;
  const status =
    response === null ? "no response" : `${response.status} ${response.statusMessage ?? ""}`.trim();
  print(
    `replayed ${originalId} as ${exchange.id}: ${status} in ${formatDuration(exchange.durationMs)}`,
  );
  if (response === null) return;
  print("");
  for (const [name, value] of response.headers) print(`${name}: ${value}`);
  print("");
  const body = response.body;
  if (body.text !== null) print(body.text);
  else print(`(${body.size} bytes of binary body; --json shows them in base64)`);
}

function printDiff(diff: ResponseDiff, print: (line: string) => void): void {
  print("");
  if (diff.equal) {
    print("diff: the same response as the original");
    return;
  }
  print("diff against the original's response:");
  if (diff.status !== null) {
    print(`  status: ${diff.status.before ?? "none"} → ${diff.status.after ?? "none"}`);
  }
  for (const change of diff.headers) {
    print(
      `  header ${change.name} ${change.kind}: ${JSON.stringify(change.before)} → ${JSON.stringify(change.after)}`,
    );
  }
  if (diff.headerOrderChanged) print("  header order changed");
  const body = diff.body;
  if (body.equal) return;
  for (const change of body.json?.changes ?? []) print(`  body ${JSON.stringify(change)}`);
  if (body.unified !== undefined) for (const line of body.unified.split("\n")) print(`  ${line}`);
  if (body.note !== undefined) print(`  body: ${body.note}`);
  if (body.json === undefined && body.unified === undefined && body.note === undefined) {
    print(`  body differs (${body.kind}, ${body.sizes.before} → ${body.sizes.after} bytes)`);
  }
}
