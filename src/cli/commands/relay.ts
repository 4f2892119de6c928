import { readFileSync } from "node:fs";
import {
  DEFAULT_HISTORY_LIMIT,
  DEFAULT_RELAY_HOST,
  DEFAULT_RELAY_PORT,
  DEFAULT_STORE_WATCH_MS,
  MAX_HISTORY_LIMIT,
  openSqliteRelayStore,
  type Relay,
  type RelayStore,
  startRelay,
} from "../../relay/index.js";
import type { Command, ParsedFlags } from "../command.js";
import { parseFlags } from "../command.js";
import { parseDuration } from "../duration.js";
import { UsageError } from "../errors.js";
import type { CliIo } from "../io.js";
import { createCliLogger } from "../io.js";
import { runQueueCommand } from "./relay-queue.js";
import { DEFAULT_RELAY_DATA, runTokenCommand } from "./relay-token.js";

const HELP = "hooktap relay --help";
const DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/**
 * `hooktap relay`: run the public relay agents connect to; `hooktap relay token …`: its tokens;
 * `hooktap relay queue …`: its durable queue.
 */
export const relayCommand: Command = {
  name: "relay",
  summary:
    "Run a relay: permanent public URLs for agents, Okta checks at the edge, a durable queue",
  usage: [
    "hooktap relay [--port <port>] [--host <host>] [--domain <domain>] [--tls-cert <file> --tls-key <file>] [--queue-ttl <duration>] [--keep-delivered <duration>] [--data <file>]",
    "       hooktap relay token create <name> | token ls | token revoke <id|name>  [--data <file>]",
    "       hooktap relay queue ls [--endpoint <name>] [--state pending|failed|delivered] [--limit <n>] [--json] [--data <file>]",
    "       hooktap relay queue retry|drop <id>… | --failed  [--endpoint <name>] [--json] [--data <file>]",
  ].join("\n"),
  options: {
    port: {
      type: "string",
      short: "p",
      valueName: "port",
      description: "Public port for requests and agents; 0 picks any free port",
      default: `$PORT, else ${DEFAULT_RELAY_PORT}`,
    },
    host: {
      type: "string",
      valueName: "host",
      description: "Interface to listen on",
      default: DEFAULT_RELAY_HOST,
    },
    domain: {
      type: "string",
      valueName: "domain",
      description: "Also route <endpoint>.<domain> (wildcard DNS), and refuse other Host headers",
    },
    "tls-cert": {
      type: "string",
      valueName: "file",
      description: "PEM certificate: serve https and wss (needs --tls-key)",
    },
    "tls-key": {
      type: "string",
      valueName: "file",
      description: "PEM private key of --tls-cert",
    },
    "public-url": {
      type: "string",
      valueName: "url",
      description:
        "Base URL to advertise when the relay sits behind a proxy, e.g. https://relay.example.com",
      default: "from the scheme, --domain or host, and port",
    },
    "queue-ttl": {
      type: "string",
      valueName: "duration",
      description:
        "How long a queued request is retried before it is failed (e.g. 90s, 30m, 24h, 7d); 'queue retry' gives it as long again",
      default: "24h",
    },
    "keep-delivered": {
      type: "string",
      valueName: "duration",
      description:
        "How long a delivered request stays in 'queue ls' before it is deleted (e.g. 12h, 7d, 30d); failed ones stay until retried or dropped",
      default: "7d",
    },
    data: {
      type: "string",
      valueName: "file",
      description: "SQLite database of tokens, endpoints and the queue",
      default: DEFAULT_RELAY_DATA,
    },
  },
  sections: [
    {
      title: "Queue commands (on --data; the relay may be running)",
      rows: [
        ["queue ls", "Queued requests, latest last: state, attempts, last error"],
        [
          "queue retry",
          `Put failed requests back in the queue, due now, in their arrival place; a running relay sends them within ${DEFAULT_STORE_WATCH_MS / 1000} s`,
        ],
        ["queue drop", "Delete queued requests for good, in any state"],
        ["<id>…", "retry, drop: these requests (all of them, or nothing changes)"],
        ["--failed", "retry, drop: every failed request"],
        ["--endpoint <name>", "Only this endpoint's requests"],
        ["--state <state>", "ls: only pending, failed or delivered requests"],
        [
          "--limit <n>",
          `ls: how many of the latest to show, 1-${MAX_HISTORY_LIMIT} (default: ${DEFAULT_HISTORY_LIMIT})`,
        ],
        ["--json", "JSON instead of text"],
      ],
    },
  ],
  environment: {
    PORT: "port to listen on, as --port",
    HOOKTAP_DEBUG: "set to print debug lines on stderr",
  },
  examples: [
    "hooktap relay token create laptop",
    "hooktap relay --port 8080",
    "hooktap relay --port 443 --domain relay.example.com --tls-cert cert.pem --tls-key key.pem",
    "hooktap relay token ls",
    "hooktap relay token revoke laptop",
    "hooktap relay queue ls --state failed",
    "hooktap relay queue retry --failed --endpoint okta-dev",
    "hooktap relay queue drop req_01JZ8Q3V6W2N4YB7C5D9E0F1G2",
  ],
  async run(args, io) {
    if (args[0] === "token") return runTokenCommand(args.slice(1), io);
    if (args[0] === "queue") return runQueueCommand(args.slice(1), io);
    const flags = parseFlags(relayCommand, args);
    const port = portFrom(flags, io);
    const host = nonEmpty(flags, "host") ?? DEFAULT_RELAY_HOST;
    const domain = domainFrom(flags);
    const tls = tlsFrom(flags);
    const publicUrl = nonEmpty(flags, "public-url");
    const ttl = nonEmpty(flags, "queue-ttl");
    const queueTtlMs = ttl === undefined ? undefined : parseDuration(ttl, "--queue-ttl", HELP);
    const keep = nonEmpty(flags, "keep-delivered");
    const keepDeliveredMs =
      keep === undefined ? undefined : parseDuration(keep, "--keep-delivered", HELP);
    const data = nonEmpty(flags, "data") ?? DEFAULT_RELAY_DATA;
    const logger = createCliLogger(io);
    const store = await openSqliteRelayStore(data, { logger });
    let relay: Relay;
    try {
      relay = await startRelay({
        store,
        port,
        host,
        domain,
        tls,
        ...(publicUrl === undefined ? {} : { publicUrl }),
        ...(queueTtlMs === undefined ? {} : { queueTtlMs }),
        ...(keepDeliveredMs === undefined ? {} : { keepDeliveredMs }),
        logger,
      });
    } catch (error) {
      await store.close();
      throw explainStartFailure(error, tls !== null);
    }
    for (const line of await banner(relay, store, { host, port: relay.port, domain, data })) {
      io.stdout(line);
    }
    return {
      async close() {
        await relay.close();
        await store.close();
      },
    };
  },
};

function nonEmpty(flags: ParsedFlags, name: string): string | undefined {
  const value = flags[name];
  if (typeof value !== "string") return undefined;
  if (value.trim() === "") throw new UsageError(`--${name} must not be empty`, HELP);
  return value;
}

function portFrom(flags: ParsedFlags, io: CliIo): number {
  const [text, source] =
    typeof flags.port === "string" ? [flags.port, "--port"] : [io.env.PORT, "PORT"];
  if (text === undefined || text === "") return DEFAULT_RELAY_PORT;
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) {
    throw new UsageError(`${source} must be an integer from 0 to 65535, got '${text}'`, HELP);
  }
  return port;
}

function domainFrom(flags: ParsedFlags): string | null {
  const domain = nonEmpty(flags, "domain")?.toLowerCase();
  if (domain === undefined) return null;
  if (!DOMAIN.test(domain)) {
    throw new UsageError(
      `--domain must be a host name with at least two labels, like relay.example.com, got '${domain}'`,
      HELP,
    );
  }
  return domain;
}

function tlsFrom(flags: ParsedFlags): { cert: Buffer; key: Buffer } | null {
  const certPath = nonEmpty(flags, "tls-cert");
  const keyPath = nonEmpty(flags, "tls-key");
  if (certPath === undefined && keyPath === undefined) return null;
  if (certPath === undefined || keyPath === undefined) {
    throw new UsageError("--tls-cert and --tls-key go together: give both, or neither", HELP);
  }
  return { cert: readPem(certPath, "--tls-cert"), key: readPem(keyPath, "--tls-key") };
}

function readPem(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason = typeof code === "string" ? code : error instanceof Error ? error.message : "";
    throw new Error(`cannot read ${flag} ${path} (${reason})`);
  }
}

function explainStartFailure(error: unknown, tls: boolean): unknown {
  const code = (error as { code?: unknown }).code;
  const fromOpenSsl = typeof code === "string" && code.startsWith("ERR_OSSL");
  if (
    tls &&
    (fromOpenSsl || (error instanceof Error && /PEM|key values mismatch/i.test(error.message)))
  ) {
    const reason = error instanceof Error ? error.message : String(error);
    return new Error(`the TLS certificate or key cannot be used: ${reason}`);
  }
  return error;
}

async function banner(
  relay: Relay,
  store: RelayStore,
  where: { host: string; port: number; domain: string | null; data: string },
): Promise<string[]> {
  const live = (await store.listTokens()).filter((token) => token.revokedAt === null).length;
  const endpoints = relay.endpoints().length;
  const lines = [
    `hooktap relay listening on ${relay.url} (bound to ${where.host}:${where.port})`,
    `Endpoints: ${relay.url}/<endpoint>/…`,
  ];
  if (where.domain !== null) {
    const base = new URL(relay.url);
    const port = base.port === "" ? "" : `:${base.port}`;
    lines.push(`           ${base.protocol}//<endpoint>.${where.domain}${port}/…`);
  }
  lines.push(
    `Agents:    ${relay.agentUrl}`,
    `Data:      ${where.data} (${live} active token${live === 1 ? "" : "s"}, ${endpoints} reserved endpoint${endpoints === 1 ? "" : "s"})`,
  );
  if (live === 0) lines.push("No tokens yet: create one with 'hooktap relay token create <name>'.");
  lines.push("Press Ctrl-C to stop.");
  return lines;
}
