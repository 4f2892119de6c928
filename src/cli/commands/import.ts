import { readFileSync } from "node:fs";
import type { ExchangeSummary } from "../../inspector/index.js";
import type { Command } from "../command.js";
import { parseCommandLine } from "../command.js";
import { UsageError } from "../errors.js";
import { exchangeHeader, exchangeLine } from "../exchange-table.js";
import {
  createInspectorClient,
  INSPECTOR_OPTION,
  inspectorUrl,
  JSON_OPTION,
} from "../inspector-client.js";

const HELP = "hooktap import --help";

/** `hooktap import F`: store the exchanges of a hooktap export or a HAR file, to replay them. */
export const importCommand: Command = {
  name: "import",
  summary: "Import a hooktap JSON export or a HAR file into the running inspector's history",
  usage: "hooktap import <file> [--endpoint <name>] [--json] [--inspector <url>]",
  options: {
    endpoint: {
      type: "string",
      valueName: "name",
      description: "Endpoint of HAR entries hooktap did not write (browser, ngrok)",
      default: "imported",
    },
    json: JSON_OPTION,
    inspector: INSPECTOR_OPTION,
  },
  environment: { HOOKTAP_INSPECTOR: "the inspector's URL, as --inspector" },
  examples: [
    "hooktap import test/fixtures/created.json",
    "hooktap import ngrok-export.har --endpoint ngrok",
  ],
  async run(args, io) {
    const { flags, positionals } = parseCommandLine(importCommand, args, true);
    const [file, extra] = positionals;
    if (file === undefined) throw new UsageError("name the file to import", HELP);
    if (extra !== undefined) throw new UsageError(`one file at a time, got '${extra}' too`, HELP);
    const client = createInspectorClient(
      inspectorUrl(flags.inspector as string | undefined, io.env, "import"),
    );
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      const code = (error as { code?: string }).code ?? "";
      throw new Error(`cannot read ${file}${code === "" ? "" : ` (${code})`}`);
    }
    const query =
      flags.endpoint === undefined
        ? ""
        : `?endpoint=${encodeURIComponent(flags.endpoint as string)}`;
    const response = await client.request("POST", `/api/imports${query}`, {
      bytes,
      contentType: "application/json",
    });
    const result = response.json<{ count: number; items: ExchangeSummary[] }>();
    if (flags.json === true) {
      io.stdout(JSON.stringify(result, null, 2));
      return undefined;
    }
    io.stdout(`imported ${result.count} exchange${result.count === 1 ? "" : "s"} from ${file}`);
    if (result.count > 0) {
      io.stdout(exchangeHeader());
      for (const item of result.items) io.stdout(exchangeLine(item));
    }
    return undefined;
  },
};
