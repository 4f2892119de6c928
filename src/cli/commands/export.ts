import { writeFileSync } from "node:fs";
import type { Command } from "../command.js";
import { parseCommandLine } from "../command.js";
import { UsageError } from "../errors.js";
import {
  asUsageError,
  createInspectorClient,
  FILTER_OPTION,
  filterParams,
  INSPECTOR_OPTION,
  inspectorUrl,
} from "../inspector-client.js";

const HELP = "hooktap export --help";
const FORMATS = ["har", "curl", "json"];

/** `hooktap export`: captured exchanges as a HAR file, curl commands or hooktap JSON. */
export const exportCommand: Command = {
  name: "export",
  summary: "Export captured requests as HAR 1.2, curl commands or hooktap JSON (a fixture to keep)",
  usage:
    "hooktap export [--format har|curl|json] [--out <file>] [--filter key=value]… [--limit <n>] [--base-url <url>] [--inspector <url>] [ids…]",
  options: {
    format: {
      type: "string",
      valueName: "har|curl|json",
      description:
        "har for browsers and tools, curl to resend from a shell, json to import into hooktap",
      default: "har",
    },
    out: {
      type: "string",
      short: "o",
      valueName: "file",
      description: "Write to this file instead of standard output",
    },
    filter: FILTER_OPTION,
    limit: {
      type: "string",
      valueName: "n",
      description: "With filters (or none): the latest n exchanges (1-100000)",
      default: "10000",
    },
    "base-url": {
      type: "string",
      valueName: "url",
      description: "HAR URLs start here / curl sends here",
      default: "the tunnel's public URL (HAR), its upstream (curl)",
    },
    inspector: INSPECTOR_OPTION,
  },
  environment: { HOOKTAP_INSPECTOR: "the inspector's URL, as --inspector" },
  examples: [
    "hooktap export --out deliveries.har",
    "hooktap export --format json --filter oktaEventType=user.lifecycle.create --out test/fixtures/created.json",
    "hooktap export --format curl 01J8Z3…",
  ],
  async run(args, io) {
    const { flags, positionals } = parseCommandLine(exportCommand, args, true);
    const format = (flags.format as string | undefined) ?? "har";
    if (!FORMATS.includes(format)) {
      throw new UsageError(`--format must be har, curl or json, got '${format}'`, HELP);
    }
    const filters = (flags.filter as string[] | undefined) ?? [];
    if (positionals.length > 0 && (filters.length > 0 || flags.limit !== undefined)) {
      throw new UsageError("give ids, or --filter/--limit, not both", HELP);
    }
    const params = filterParams(filters, "export");
    params.set("format", format);
    if (positionals.length > 0) params.set("ids", positionals.join(","));
    if (flags.limit !== undefined) params.set("limit", flags.limit as string);
    if (flags["base-url"] !== undefined) params.set("baseUrl", flags["base-url"] as string);
    const client = createInspectorClient(
      inspectorUrl(flags.inspector as string | undefined, io.env, "export"),
    );
    const response = await client
      .request("GET", `/api/exports?${params}`)
      .catch((error: unknown) => {
        throw asUsageError(error, HELP);
      });
    const out = flags.out as string | undefined;
    if (out === undefined) {
      io.stdout(new TextDecoder().decode(response.bytes).replace(/\n$/, ""));
      return undefined;
    }
    try {
      writeFileSync(out, response.bytes);
    } catch (error) {
      throw new Error(
        `cannot write ${out}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    io.stderr(`hooktap: wrote ${response.bytes.byteLength} bytes (${format}) to ${out}`);
    return undefined;
  },
};
