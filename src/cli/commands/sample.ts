import { curlCommand } from "../../capture/index.js";
import type { AuthHeader } from "../../receiver/index.js";
import {
  basicAuthHeader,
  DEFAULT_SAMPLE_HOST,
  DEFAULT_SAMPLE_PORT,
  GUIDE_BASIC_AUTH,
  SAMPLE_ROUTES,
  type SampleServer,
  sampleDelivery,
  startSampleServer,
} from "../../sample/index.js";
import type { Command, ParsedFlags } from "../command.js";
import { parseFlags } from "../command.js";
import { UsageError } from "../errors.js";
import type { CliIo } from "../io.js";
import { createCliLogger } from "../io.js";

const HELP = "hooktap sample --help";
const BASIC_AUTH_ENV = "HOOKTAP_SAMPLE_BASIC_AUTH";
const GUIDE_CREDENTIALS = "admin:supersecret";

/** `hooktap sample`: serve the receivers of Okta's event hook guides on localhost. */
export const sampleCommand: Command = {
  name: "sample",
  summary: "Serve Okta's event hook guide receivers (/userCreated, /userDeactivated) on localhost",
  usage: "hooktap sample [--port <port>] [--host <host>] [--basic-auth <user:pass> | --no-auth]",
  options: {
    port: {
      type: "string",
      short: "p",
      valueName: "port",
      description: "Port to listen on; 0 picks any free port",
      default: `$PORT, else ${DEFAULT_SAMPLE_PORT}`,
    },
    host: {
      type: "string",
      valueName: "host",
      description: "Interface to listen on; 0.0.0.0 for every interface, as Okta's guides do",
      default: DEFAULT_SAMPLE_HOST,
    },
    "basic-auth": {
      type: "string",
      valueName: "user:pass",
      description: "Require 'authorization: Basic …' with these credentials on every request",
      default: `$${BASIC_AUTH_ENV}, else ${GUIDE_CREDENTIALS} as in Okta's guides`,
    },
    "no-auth": {
      type: "boolean",
      description: "Accept requests without an authorization header",
    },
    dedupe: {
      type: "boolean",
      description: "Skip deliveries and events already seen (eventId, uuid), as in production",
      default: "off, so re-sending a test delivery prints again",
    },
  },
  environment: {
    PORT: "port to listen on, as --port",
    [BASIC_AUTH_ENV]: "credentials user:pass, as --basic-auth",
    HOOKTAP_DEBUG: "set to print debug lines on stderr",
  },
  examples: [
    "hooktap sample",
    "hooktap sample --port 0 --no-auth",
    "hooktap sample --host 0.0.0.0 --basic-auth okta:$(openssl rand -hex 16)",
  ],
  async run(args, io) {
    const flags = parseFlags(sampleCommand, args);
    const auth = authFrom(flags, io);
    const server = await startSampleServer({
      port: portFrom(flags, io),
      host: hostFrom(flags),
      auth,
      dedupe: flags.dedupe === true,
      print: (line) => io.stdout(line),
      logger: createCliLogger(io),
    });
    for (const line of banner(server, auth)) io.stdout(line);
    return server;
  },
};

function portFrom(flags: ParsedFlags, io: CliIo): number {
  const [text, source] =
    typeof flags.port === "string" ? [flags.port, "--port"] : [io.env.PORT, "PORT"];
  if (text === undefined || text === "") return DEFAULT_SAMPLE_PORT;
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) {
    throw new UsageError(`${source} must be an integer from 0 to 65535, got '${text}'`, HELP);
  }
  return port;
}

function hostFrom(flags: ParsedFlags): string {
  if (typeof flags.host !== "string") return DEFAULT_SAMPLE_HOST;
  if (flags.host.trim() === "") throw new UsageError("--host must not be empty", HELP);
  return flags.host;
}

function authFrom(flags: ParsedFlags, io: CliIo): AuthHeader | null {
  if (flags["no-auth"] === true) {
    if (flags["basic-auth"] !== undefined) {
      throw new UsageError("--basic-auth and --no-auth contradict each other; pick one", HELP);
    }
    return null;
  }
  if (typeof flags["basic-auth"] === "string")
    return basicAuthFrom(flags["basic-auth"], "--basic-auth");
  const fromEnv = io.env[BASIC_AUTH_ENV];
  if (fromEnv !== undefined && fromEnv !== "") return basicAuthFrom(fromEnv, BASIC_AUTH_ENV);
  return { ...GUIDE_BASIC_AUTH };
}

function basicAuthFrom(credentials: string, source: string): AuthHeader {
  const colon = credentials.indexOf(":");
  if (colon <= 0) {
    throw new UsageError(
      `${source} must be user:pass (a non-empty user, a colon, then the password), got '${credentials}'`,
      HELP,
    );
  }
  return basicAuthHeader(credentials.slice(0, colon), credentials.slice(colon + 1));
}

/** What the user needs to wire Okta (or curl) to the sample: URLs, auth, two curls. */
function banner(server: SampleServer, auth: AuthHeader | null): string[] {
  const width = Math.max(...SAMPLE_ROUTES.map((r) => r.path.length));
  const authHeaders: [string, string][] = auth === null ? [] : [[auth.name, auth.value]];
  const target = `${server.url}/userCreated`;
  const delivery = JSON.stringify(sampleDelivery());
  return [
    `hooktap sample listening on ${server.url}`,
    "Routes:",
    ...SAMPLE_ROUTES.map(
      (r) => `  ${r.methods.join("|")} ${r.path.padEnd(width)}  ${r.source}: ${r.description}`,
    ),
    auth === null
      ? "Auth: none (--no-auth); every request is accepted"
      : `Auth: every request, the verification GET included, must carry '${auth.name}: ${auth.value}'`,
    "Okta's one-time verification request:",
    `  ${curlCommand({ method: "GET", url: target, headers: [...authHeaders, ["x-okta-verification-challenge", "my-challenge"]] })}`,
    "A user.lifecycle.create delivery:",
    `  ${curlCommand({ method: "POST", url: target, headers: [...authHeaders, ["content-type", "application/json"]], body: delivery })}`,
    "Press Ctrl-C to stop.",
  ];
}
