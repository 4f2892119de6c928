import {
  type Agent,
  AgentError,
  createReplayer,
  type LinkSocket,
  startAgent,
} from "../../agent/index.js";
import {
  type CaptureSink,
  DEFAULT_CAPTURE_BODY_LIMIT_BYTES,
  DEFAULT_RETENTION_MAX_BYTES,
  DEFAULT_RETENTION_MAX_EXCHANGES,
} from "../../capture/index.js";
import { type Inspector, type InspectorSource, startInspector } from "../../inspector/index.js";
import type { Logger } from "../../log/index.js";
import { type OpenCapture, openCapture } from "../capture-files.js";
import type { Closable, Command } from "../command.js";
import { UsageError } from "../errors.js";
import { HTTP_DEFAULTS, type HttpSettings, parseHttpArgs } from "../http-flags.js";
import {
  ensureDataDir,
  type LocalRelay,
  listenError,
  rememberedEndpoint,
  startLocalRelay,
} from "../http-local-relay.js";
import { type OutputMode, TunnelOutput } from "../http-output.js";
import { TunnelStopWatch } from "../http-stop.js";
import { type CliIo, createCliLogger } from "../io.js";
import { packageVersion } from "../version.js";

/** `hooktap http`: a public URL for a local app, with capture and the inspector API. */
export const httpCommand: Command = {
  name: "http",
  summary: "Forward a public URL to a local app, capturing every request (ngrok-style tunnel)",
  usage:
    "hooktap http <port|url> [--relay <ws(s)://host[:port]> --token <secret>] [--name <name>] [--listen-port <port>] [--inspect-addr <host:port> | --no-inspect] [--okta-challenge app|edge] [--require-header 'Name: value'] [--queue offline|always|never] [--host-header preserve|rewrite] [--upstream-timeout <ms>] [--retain-exchanges <n>] [--retain-size <size>] [--capture-body-limit <size>] [--data-dir <dir>] [--log pretty|json]",
  options: {
    relay: {
      type: "string",
      valueName: "url",
      description: "Use this relay (ws://, wss://, http(s):// or host) instead of the embedded one",
      default: "$HOOKTAP_RELAY, else a relay embedded in this process",
    },
    token: {
      type: "string",
      valueName: "secret",
      description: "Agent token for --relay (from 'hooktap relay token create')",
      default: "$HOOKTAP_TOKEN",
    },
    name: {
      type: "string",
      valueName: "name",
      description: "Endpoint to claim: the public URL ends with /<name>",
      default: `'local' when embedded, else a name made once and kept in <data-dir>/endpoint`,
    },
    "listen-port": {
      type: "string",
      valueName: "port",
      description: "Port of the embedded relay on 127.0.0.1; 0 picks any free port",
      default: String(HTTP_DEFAULTS.listenPort),
    },
    "inspect-addr": {
      type: "string",
      valueName: "host:port",
      description:
        "Where the inspector API listens (GET /api/tunnels, /api/status); port 0 for any",
      default: HTTP_DEFAULTS.inspectAddr,
    },
    "no-inspect": { type: "boolean", description: "Do not start the inspector" },
    "okta-challenge": {
      type: "string",
      valueName: "app|edge",
      description: "Who answers Okta's verification GET: your app, or the relay itself",
      default: "app",
    },
    "max-body": {
      type: "string",
      valueName: "size",
      description:
        "Largest request body the relay accepts (bytes, or with kb/mb/gb); larger ones get 413",
      default: "10mb",
    },
    "require-header": {
      type: "string",
      valueName: "Name: value",
      description:
        "The relay answers 401 to requests without this exact header (Okta's auth secret)",
    },
    queue: {
      type: "string",
      valueName: "offline|always|never",
      description: "When the relay stores requests and answers 200 for the app",
      default: "offline",
    },
    "host-header": {
      type: "string",
      valueName: "preserve|rewrite",
      description: "Send the public Host to the app, or rewrite it to the app's host:port",
      default: "preserve",
    },
    "upstream-timeout": {
      type: "string",
      valueName: "ms",
      description: "Answer 504 when the app sends no response head within this time",
      default: "wait forever",
    },
    "retain-exchanges": {
      type: "string",
      valueName: "n",
      description: "Keep at most this many exchanges in the capture; the oldest go first",
      default: String(DEFAULT_RETENTION_MAX_EXCHANGES),
    },
    "retain-size": {
      type: "string",
      valueName: "size",
      description: "Keep at most this many body bytes in the capture (bytes, or kb/mb/gb)",
      default: `${DEFAULT_RETENTION_MAX_BYTES / 1024 ** 2}mb`,
    },
    "capture-body-limit": {
      type: "string",
      valueName: "size",
      description:
        "Keep the first bytes of each body up to this size (larger ones are marked truncated); 0 keeps sizes only",
      default: `${DEFAULT_CAPTURE_BODY_LIMIT_BYTES / 1024 ** 2}mb`,
    },
    "data-dir": {
      type: "string",
      valueName: "dir",
      description: "Where the capture, the embedded relay's store and its token live",
      default: HTTP_DEFAULTS.dataDir,
    },
    log: {
      type: "string",
      valueName: "pretty|json",
      description:
        "pretty: a live panel on a terminal, lines otherwise; json: one JSON object per event",
      default: "pretty",
    },
  },
  environment: {
    HOOKTAP_RELAY: "relay URL, as --relay",
    HOOKTAP_TOKEN: "agent token, as --token (keeps it out of the process list)",
    NO_COLOR: "set to draw the panel without colours",
    HOOKTAP_DEBUG: "set to print debug lines on stderr",
  },
  examples: [
    "hooktap http 3000",
    "hooktap http localhost:8443 --okta-challenge edge --require-header 'Authorization: Basic b2t0YTpzZWNyZXQ='",
    "hooktap http https://localhost:8443 --relay wss://relay.example.com --token $HOOKTAP_TOKEN --name okta-dev",
    "hooktap http 3000 --listen-port 0 --inspect-addr 127.0.0.1:0 --log json",
  ],
  run: (args, io) => runHttp(parseHttpArgs(httpCommand, args, io.env), io),
};

async function runHttp(settings: HttpSettings, io: CliIo): Promise<Closable> {
  const mode = outputMode(settings, io);
  const logger = loggerFor(mode, io);
  const open: {
    capture?: OpenCapture;
    local?: LocalRelay;
    agent?: Agent;
    inspector?: Inspector;
    output?: TunnelOutput;
  } = {};
  let stop: TunnelStopWatch | undefined;
  // Agent first (it tells the relay it is leaving), then inspector, relay, stores; the output
  // last, so that its final line (the panel's summary, JSON's `stopped`) is the last one, but
  // for why the tunnel stopped by itself, if it did.
  const closeAll = async (): Promise<void> => {
    stop?.closing();
    try {
      await open.agent?.close();
      await open.inspector?.close();
      await open.local?.close();
      await open.capture?.close();
    } finally {
      open.output?.close();
      const why = stop?.message ?? null;
      if (why !== null) io.stderr(`hooktap: ${why}`);
    }
  };
  try {
    ensureDataDir(settings.dataDir);
    open.capture = openCapture(settings.dataDir, settings.capture, logger);
    if (settings.relay === null) {
      open.local = await startLocalRelay({
        dataDir: settings.dataDir,
        port: settings.listenPort,
        logger,
      });
    }
    const { local } = open;
    const capture = open.capture.store;
    const relayUrl = local?.relay.agentUrl ?? settings.relay?.url ?? "";
    const endpoint = settings.name ?? rememberedEndpoint(settings.dataDir, local !== undefined);
    const version = packageVersion();
    const agent = startTunnelAgent(settings, {
      // The embedded relay is reached in-process; its agentUrl still takes agents from outside.
      ...(local === undefined ? { relayUrl } : { connect: local.relay.connectLocal }),
      token: local?.token ?? settings.relay?.token ?? "",
      endpoint,
      capture: open.capture.writer,
      logger,
      version,
    });
    open.agent = agent;

    if (settings.inspect !== null) {
      const { host, port } = settings.inspect;
      open.inspector = await startInspector({
        host,
        port,
        source: sourceOf(agent, version),
        capture,
        replayer: createReplayer({
          upstream: agent.upstream,
          hostHeader: settings.hostHeader,
          ...(settings.upstreamTimeoutMs === null ? {} : { timeoutMs: settings.upstreamTimeoutMs }),
        }),
        logger,
      }).catch((error: unknown) => {
        throw listenError(error, `${host}:${port}`, "the inspector", "--inspect-addr");
      });
    }
    const inspector = open.inspector;

    const output = new TunnelOutput(io, {
      mode,
      version,
      relayLabel: local === undefined ? relayUrl : `embedded, ${local.relay.url}`,
      inspectorUrl: inspector?.url ?? null,
      // A terminal that reports no size (0) gets a common width rather than empty lines.
      width: () => Math.max(40, process.stdout.columns || 100),
      color: io.env.NO_COLOR === undefined || io.env.NO_COLOR === "",
    });
    open.output = output;
    output.attach(agent);

    await firstOutcome(agent);
    output.started({
      endpoint,
      publicUrls: agent.publicUrls,
      upstream: agent.upstream,
      inspectorUrl: inspector?.url ?? null,
      inspectorPort: inspector?.port ?? null,
      relayUrl: local?.relay.url ?? null,
      relayPort: local?.relay.port ?? null,
      agentUrl: relayUrl,
      dataDir: settings.dataDir,
    });
    stop = new TunnelStopWatch(agent, { embedded: local !== undefined });
    return { close: closeAll, finished: stop.finished };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

function startTunnelAgent(
  settings: HttpSettings,
  wiring: ({ relayUrl: string } | { connect: () => LinkSocket }) & {
    token: string;
    endpoint: string;
    capture: CaptureSink;
    logger: Logger;
    version: string;
  },
): Agent {
  try {
    return startAgent({
      ...("connect" in wiring ? { connect: wiring.connect } : { relayUrl: wiring.relayUrl }),
      token: wiring.token,
      endpoint: wiring.endpoint,
      upstream: settings.upstream,
      policy: settings.policy,
      capture: wiring.capture,
      logger: wiring.logger,
      hostHeader: settings.hostHeader,
      upstreamTimeoutMs: settings.upstreamTimeoutMs,
      ...(settings.capture.bodyLimitBytes !== undefined && {
        captureBodyLimitBytes: settings.capture.bodyLimitBytes,
      }),
      client: { name: "hooktap", version: wiring.version },
    });
  } catch (error) {
    if (error instanceof AgentError && error.code === "invalid_option") {
      throw new UsageError(error.message, "hooktap http --help");
    }
    throw error;
  }
}

/**
 * Waits for the first verdict on the connection: welcomed, or offline (the agent keeps
 * retrying and the output says so). A refusal (bad token, endpoint taken) is a failure.
 */
async function firstOutcome(agent: Agent): Promise<void> {
  let stop = (): void => {};
  const offline = new Promise<void>((resolve) => {
    const listener = (change: { state: string }): void => {
      if (change.state === "offline") resolve();
    };
    agent.on("state", listener);
    stop = () => agent.off("state", listener);
  });
  try {
    await Promise.race([agent.ready(), offline]);
  } catch (error) {
    if (error instanceof AgentError && error.code === "refused") {
      throw new Error(`the relay refused the agent: ${error.message}`);
    }
    throw error;
  } finally {
    stop();
  }
}

/** The inspector's view of the agent. */
export function sourceOf(agent: Agent, version: string): InspectorSource {
  const startedAt = Date.now();
  return {
    status: () => ({
      state: agent.state,
      lastError: agent.lastError,
      startedAt,
      version,
      tunnels: [
        {
          name: agent.endpoint,
          publicUrls: agent.publicUrls,
          upstream: agent.upstream,
          metrics: agent.stats,
        },
      ],
    }),
  };
}

function outputMode(settings: HttpSettings, io: CliIo): OutputMode {
  if (settings.log === "json") return "json";
  const terminal = process.stdout.isTTY === true && io.env.TERM !== "dumb";
  return terminal ? "panel" : "lines";
}

/**
 * The libraries' logger. The tunnel tells its own story through the output, so their `info`
 * lines (migrations, "agent connected") become debug lines, shown with HOOKTAP_DEBUG; in JSON
 * mode every line is a JSON `log` event instead, so stdout stays parseable.
 */
function loggerFor(mode: OutputMode, io: CliIo): Logger {
  const cli = createCliLogger(io);
  if (mode !== "json") return { ...cli, info: cli.debug };
  const line =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      io.stdout(
        JSON.stringify({ time: new Date().toISOString(), event: "log", level, message, ...fields }),
      );
    };
  return { debug: cli.debug, info: line("info"), warn: line("warn"), error: line("error") };
}
