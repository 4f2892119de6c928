import {
  DEFAULT_OKTA_EMULATOR_HOST,
  DEFAULT_OKTA_EMULATOR_PORT,
  type OktaEmulator,
  startOktaEmulator,
} from "../../emulator/index.js";
import type { Command, ParsedFlags } from "../command.js";
import { parseFlags } from "../command.js";
import { UsageError } from "../errors.js";
import type { CliIo } from "../io.js";
import { createCliLogger } from "../io.js";
import { DELIVERY_KNOB_OPTIONS, knobsFromFlags } from "../okta-knobs.js";
import { runOktaPreview } from "../okta-preview.js";

const HELP = "hooktap okta --help";
/** Where `hooktap okta` keeps the org's state unless told otherwise. */
export const DEFAULT_OKTA_DATA = ".hooktap/okta.db";

/** `hooktap okta`: run a local Okta org (Event Hooks and System Log APIs). */
export const oktaCommand: Command = {
  name: "okta",
  summary:
    "Run a local Okta org: Event Hooks, System Log, Users and Groups APIs, Preview; no internet needed",
  usage:
    "hooktap okta [--port <port>] [--host <host>] [--token <token>] [--data <file>] [--require-https] [--batch-window <ms>] [--max-batch <n>] [--quota <n>] [--duplicates <rate>] [--reorder <ms>] [--delay <min-max>]\n       hooktap okta preview <hookId> --event-type <type> [--body <file>] [--okta <url>] [--token <token>]",
  options: {
    port: {
      type: "string",
      short: "p",
      valueName: "port",
      description: "Port to listen on; 0 picks any free port",
      default: String(DEFAULT_OKTA_EMULATOR_PORT),
    },
    host: {
      type: "string",
      valueName: "host",
      description: "Interface to listen on",
      default: DEFAULT_OKTA_EMULATOR_HOST,
    },
    token: {
      type: "string",
      valueName: "token",
      description: "API token clients send as 'Authorization: SSWS <token>'; kept for next time",
      default: "$HOOKTAP_OKTA_TOKEN, else the one generated on first start",
    },
    data: {
      type: "string",
      valueName: "file",
      description: "SQLite file of the org: event hooks, System Log, token (':memory:' for none)",
      default: DEFAULT_OKTA_DATA,
    },
    "require-https": {
      type: "boolean",
      description: "Refuse http:// hook URIs even on loopback and private addresses, as Okta does",
    },
    ...DELIVERY_KNOB_OPTIONS,
  },
  environment: {
    HOOKTAP_OKTA_TOKEN: "API token, as --token",
    HOOKTAP_DEBUG: "set to print debug lines on stderr",
  },
  examples: [
    "hooktap okta",
    "hooktap okta --port 0 --data :memory:",
    "hooktap okta --batch-window 0 --duplicates 0.2 --reorder 2000",
    "hooktap okta preview who8vt36qfNpCGz9H1e6 --event-type user.lifecycle.create",
    'curl -H "Authorization: SSWS $TOKEN" http://127.0.0.1:7070/api/v1/eventHooks',
  ],
  async run(args, io) {
    if (args[0] === "preview") return runOktaPreview(args.slice(1), io);
    const flags = parseFlags(oktaCommand, args);
    const delivery = knobsFromFlags(flags, HELP);
    const token = tokenFrom(flags, io);
    const org = await startOktaEmulator({
      port: portFrom(flags),
      host: hostFrom(flags),
      dataPath: dataFrom(flags),
      requireHttps: flags["require-https"] === true,
      logger: createCliLogger(io),
      delivery,
      ...(token === undefined ? {} : { token }),
    });
    for (const line of banner(org, dataFrom(flags))) io.stdout(line);
    return org;
  },
};

function portFrom(flags: ParsedFlags): number {
  if (typeof flags.port !== "string") return DEFAULT_OKTA_EMULATOR_PORT;
  const port = /^\d+$/.test(flags.port) ? Number(flags.port) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) {
    throw new UsageError(`--port must be an integer from 0 to 65535, got '${flags.port}'`, HELP);
  }
  return port;
}

function hostFrom(flags: ParsedFlags): string {
  if (typeof flags.host !== "string") return DEFAULT_OKTA_EMULATOR_HOST;
  if (flags.host.trim() === "") throw new UsageError("--host must not be empty", HELP);
  return flags.host;
}

function dataFrom(flags: ParsedFlags): string {
  if (typeof flags.data !== "string") return DEFAULT_OKTA_DATA;
  if (flags.data.trim() === "") throw new UsageError("--data must not be empty", HELP);
  return flags.data;
}

function tokenFrom(flags: ParsedFlags, io: CliIo): string | undefined {
  const [text, source] =
    typeof flags.token === "string"
      ? [flags.token, "--token"]
      : [io.env.HOOKTAP_OKTA_TOKEN, "HOOKTAP_OKTA_TOKEN"];
  if (text === undefined || (source === "HOOKTAP_OKTA_TOKEN" && text === "")) return undefined;
  if (!/^[\x21-\x7e]{8,512}$/.test(text)) {
    throw new UsageError(
      `${source} must be 8 to 512 visible ASCII characters without spaces`,
      HELP,
    );
  }
  return text;
}

function banner(org: OktaEmulator, data: string): string[] {
  return [
    `hooktap okta: a local Okta org at ${org.url}`,
    `Org URL:   ${org.url}`,
    `API token: ${org.token}`,
    `State:     ${data === ":memory:" ? "in memory (lost on exit)" : data}`,
    "Try:",
    `  curl -H "Authorization: SSWS ${org.token}" ${org.url}/api/v1/eventHooks`,
    `  new okta.Client({ orgUrl: "${org.url}", token: "${org.token}" })`,
    `  hooktap trigger user.lifecycle.create${org.url === "http://127.0.0.1:7070" ? "" : ` --okta ${org.url}`}${data === DEFAULT_OKTA_DATA ? "" : ` --token ${org.token}`}`,
    "Press Ctrl-C to stop.",
  ];
}
