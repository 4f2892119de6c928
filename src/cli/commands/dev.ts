import { join } from "node:path";
import { type Agent, AgentError, createReplayer, startAgent } from "../../agent/index.js";
import type { CaptureSink } from "../../capture/index.js";
import {
  DEFAULT_OKTA_EMULATOR_PORT,
  type OktaEmulator,
  startOktaEmulator,
} from "../../emulator/index.js";
import { type Inspector, startInspector } from "../../inspector/index.js";
import type { Logger } from "../../log/index.js";
import {
  DEFAULT_SAMPLE_PORT,
  GUIDE_BASIC_AUTH,
  type SampleServer,
  startSampleServer,
} from "../../sample/index.js";
import { type OpenCapture, openCapture } from "../capture-files.js";
import type { Closable, Command, ParsedFlags } from "../command.js";
import { parseFlags } from "../command.js";
import { ensureDevHook } from "../dev-hook.js";
import { devBanner } from "../dev-output.js";
import { UsageError } from "../errors.js";
import { HTTP_DEFAULTS, parseListenAddress } from "../http-flags.js";
import {
  ensureDataDir,
  LOCAL_ENDPOINT,
  type LocalRelay,
  listenError,
  startLocalRelay,
} from "../http-local-relay.js";
import { TunnelStopWatch } from "../http-stop.js";
import { type CliIo, createCliLogger } from "../io.js";
import { DELIVERY_KNOB_OPTIONS, knobsFromFlags } from "../okta-knobs.js";
import { packageVersion } from "../version.js";
import { sourceOf } from "./http.js";

const HELP = "hooktap dev --help";

/** `hooktap dev` (and `npm start`): the whole loop on one machine. */
export const devCommand: Command = {
  name: "dev",
  summary:
    "Run the whole loop: a local Okta org, the tunnel, the inspector and the sample app (or yours), with a verified event hook",
  usage:
    "hooktap dev [--app <port|url>] [--okta-port <port>] [--sample-port <port>] [--listen-port <port>] [--inspect-addr <host:port>] [--data-dir <dir>] [--token <token>] [delivery flags of hooktap okta]",
  options: {
    app: {
      type: "string",
      valueName: "port|url",
      description:
        "Your event hook app (its path /userCreated gets the events); without it, the sample app",
      default: "the sample app of Okta's guides",
    },
    "okta-port": {
      type: "string",
      valueName: "port",
      description: "Port of the local Okta org; 0 picks any free port",
      default: String(DEFAULT_OKTA_EMULATOR_PORT),
    },
    "sample-port": {
      type: "string",
      valueName: "port",
      description: "Port of the sample app (without --app); 0 picks any free port",
      default: String(DEFAULT_SAMPLE_PORT),
    },
    "listen-port": {
      type: "string",
      valueName: "port",
      description: "Port of the embedded relay (the tunnel's public side); 0 picks any free port",
      default: String(HTTP_DEFAULTS.listenPort),
    },
    "inspect-addr": {
      type: "string",
      valueName: "host:port",
      description: "Where the inspector listens; port 0 for any",
      default: HTTP_DEFAULTS.inspectAddr,
    },
    "data-dir": {
      type: "string",
      valueName: "dir",
      description: "Where the org (okta.db), the capture and the relay keep their state",
      default: HTTP_DEFAULTS.dataDir,
    },
    token: {
      type: "string",
      valueName: "token",
      description: "The org's API token; kept for next time",
      default: "$HOOKTAP_OKTA_TOKEN, else the one generated on first start",
    },
    ...DELIVERY_KNOB_OPTIONS,
  },
  environment: {
    HOOKTAP_OKTA_TOKEN: "API token, as --token",
    HOOKTAP_DEBUG: "set to print debug lines on stderr",
  },
  examples: [
    "hooktap dev",
    "npm start",
    "hooktap dev --app 3000",
    "hooktap dev --okta-port 0 --sample-port 0 --listen-port 0 --inspect-addr 127.0.0.1:0 --data-dir /tmp/hooktap",
  ],
  run: (args, io) => runDev(parseFlags(devCommand, args), io),
};

interface Open {
  org?: OktaEmulator;
  sample?: SampleServer;
  capture?: OpenCapture;
  local?: LocalRelay;
  agent?: Agent;
  inspector?: Inspector;
}

async function runDev(flags: ParsedFlags, io: CliIo): Promise<Closable> {
  const settings = devSettings(flags, io);
  const cli = createCliLogger(io);
  // The libraries' info lines (migrations, connections) are noise here: debug only.
  const logger: Logger = { ...cli, info: cli.debug };
  const open: Open = {};
  let stop: TunnelStopWatch | undefined;
  let closed: Promise<void> | undefined;
  const closeAll = (): Promise<void> => {
    closed ??= (async () => {
      stop?.closing();
      await open.agent?.close();
      await open.inspector?.close();
      await open.local?.close();
      await open.capture?.close();
      await open.sample?.close();
      await open.org?.close();
      // Why the tunnel stopped by itself (a revoked token, a newer agent), if it did.
      const why = stop?.message ?? null;
      if (why !== null) io.stderr(`hooktap: ${why}`);
    })();
    return closed;
  };
  try {
    ensureDataDir(settings.dataDir);
    open.org = await startOktaEmulator({
      port: settings.oktaPort,
      dataPath: join(settings.dataDir, "okta.db"),
      logger,
      delivery: settings.delivery,
      ...(settings.token === undefined ? {} : { token: settings.token }),
    }).catch((error: unknown) => {
      throw listenError(
        error,
        `127.0.0.1:${settings.oktaPort}`,
        "the local Okta org",
        "--okta-port",
      );
    });
    let upstream = settings.app;
    if (upstream === null) {
      open.sample = await startSampleServer({
        port: settings.samplePort,
        auth: GUIDE_BASIC_AUTH,
        logger,
        print: (line) => io.stdout(`[sample] ${line}`),
      }).catch((error: unknown) => {
        throw listenError(
          error,
          `127.0.0.1:${settings.samplePort}`,
          "the sample app",
          "--sample-port",
        );
      });
      upstream = open.sample.url;
    }
    open.capture = openCapture(settings.dataDir, {}, logger);
    open.local = await startLocalRelay({
      dataDir: settings.dataDir,
      port: settings.listenPort,
      logger,
    });
    const version = packageVersion();
    open.agent = startDevAgent(open.local, upstream, open.capture, logger, version);
    const { host, port } = settings.inspect;
    open.inspector = await startInspector({
      host,
      port,
      source: sourceOf(open.agent, version),
      capture: open.capture.store,
      replayer: createReplayer({ upstream: open.agent.upstream }),
      logger,
    }).catch((error: unknown) => {
      throw listenError(error, `${host}:${port}`, "the inspector", "--inspect-addr");
    });
    await open.agent.ready();
    const publicUrl = open.agent.publicUrls[0] ?? "";
    const hook = await ensureDevHook(
      { url: open.org.url, token: open.org.token },
      `${publicUrl}/userCreated`,
      GUIDE_BASIC_AUTH.value,
    );
    for (const line of devBanner({
      orgUrl: open.org.url,
      token: open.org.token,
      dataDir: settings.dataDir,
      defaultDataDir: settings.dataDir === HTTP_DEFAULTS.dataDir,
      publicUrl,
      hookUri: `${publicUrl}/userCreated`,
      hook,
      app: settings.app,
      sampleUrl: open.sample?.url ?? null,
      inspectorUrl: open.inspector.url,
      relayUrl: open.local.relay.url,
    })) {
      io.stdout(line);
    }
    stop = new TunnelStopWatch(open.agent, { embedded: true });
    return { close: closeAll, finished: stop.finished };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

function startDevAgent(
  local: LocalRelay,
  upstream: string,
  capture: { writer: CaptureSink },
  logger: Logger,
  version: string,
): Agent {
  try {
    return startAgent({
      connect: local.relay.connectLocal,
      token: local.token,
      endpoint: LOCAL_ENDPOINT,
      upstream,
      capture: capture.writer,
      logger,
      client: { name: "hooktap", version },
    });
  } catch (error) {
    if (error instanceof AgentError && error.code === "invalid_option") {
      throw new UsageError(error.message, HELP);
    }
    throw error;
  }
}

interface DevSettings {
  app: string | null;
  oktaPort: number;
  samplePort: number;
  listenPort: number;
  inspect: { host: string; port: number };
  dataDir: string;
  token: string | undefined;
  delivery: ReturnType<typeof knobsFromFlags>;
}

function devSettings(flags: ParsedFlags, io: CliIo): DevSettings {
  const token =
    (typeof flags.token === "string" ? flags.token : undefined) ||
    io.env.HOOKTAP_OKTA_TOKEN ||
    undefined;
  if (token !== undefined && !/^[\x21-\x7e]{8,512}$/.test(token)) {
    throw new UsageError("--token must be 8 to 512 visible ASCII characters without spaces", HELP);
  }
  const dataDir = typeof flags["data-dir"] === "string" ? flags["data-dir"] : HTTP_DEFAULTS.dataDir;
  if (dataDir.trim() === "") throw new UsageError("--data-dir must not be empty", HELP);
  let inspect: { host: string; port: number };
  try {
    inspect = parseListenAddress(
      typeof flags["inspect-addr"] === "string" ? flags["inspect-addr"] : HTTP_DEFAULTS.inspectAddr,
    );
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), HELP);
  }
  return {
    app: typeof flags.app === "string" ? appUrl(flags.app) : null,
    oktaPort: port(flags, "okta-port", DEFAULT_OKTA_EMULATOR_PORT),
    samplePort: port(flags, "sample-port", DEFAULT_SAMPLE_PORT),
    listenPort: port(flags, "listen-port", HTTP_DEFAULTS.listenPort),
    inspect,
    dataDir,
    token,
    delivery: knobsFromFlags(flags, HELP),
  };
}

function port(flags: ParsedFlags, name: string, fallback: number): number {
  const text = flags[name];
  if (typeof text !== "string") return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 0 && value <= 65_535)) {
    throw new UsageError(`--${name} must be an integer from 0 to 65535, got '${text}'`, HELP);
  }
  return value;
}

/** `3000` → `http://localhost:3000`; a URL must be http(s). */
function appUrl(text: string): string {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    if (value >= 1 && value <= 65_535) return `http://localhost:${value}`;
  } else {
    try {
      const url = new URL(text.includes("://") ? text : `http://${text}`);
      if (url.protocol === "http:" || url.protocol === "https:") return url.href.replace(/\/$/, "");
    } catch {
      // Reported below.
    }
  }
  throw new UsageError(
    `--app must be a port or an http(s) URL such as http://localhost:3000, got '${text}'`,
    HELP,
  );
}
