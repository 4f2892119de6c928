/**
 * `hooktap http` command line → settings: the `<port|url>` positional and every flag checked
 * here, once, with a one-line {@link UsageError} naming what is wrong (exit 2).
 */
import { parseArgs } from "node:util";
import type { HostHeaderMode } from "../agent/index.js";
import { isHttpFieldValue, isHttpToken } from "../http/index.js";
import type { EdgePolicy } from "../protocol/index.js";
import { type Command, type ParsedFlags, parseFlags } from "./command.js";
import { UsageError } from "./errors.js";

const HELP = "hooktap http --help";
const AGENT_PATH = "/_hooktap/agent";
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Defaults of `hooktap http`, as its help shows them. */
export const HTTP_DEFAULTS = {
  listenPort: 8080,
  inspectAddr: "127.0.0.1:4040",
  dataDir: ".hooktap",
} as const;

/** Where the inspector listens. */
export interface ListenAddress {
  host: string;
  port: number;
}

/** Everything `hooktap http` was asked to do, checked. */
export interface HttpSettings {
  /** The upstream URL (`3000` became `http://localhost:3000`). */
  upstream: string;
  /** A remote relay, or null for the embedded one. */
  relay: { url: string; token: string } | null;
  /** `--name`, or null to use the remembered one. */
  name: string | null;
  /** The embedded relay's port. */
  listenPort: number;
  /** null with `--no-inspect`. */
  inspect: ListenAddress | null;
  policy: Partial<EdgePolicy>;
  dataDir: string;
  log: "pretty" | "json";
  hostHeader: HostHeaderMode;
  upstreamTimeoutMs: number | null;
  /** `--retain-exchanges`, `--retain-size`, `--capture-body-limit`: only the ones given. */
  capture: CaptureSettings;
}

/** The capture limits given on the command line; absent ones keep the store's defaults. */
export interface CaptureSettings {
  maxExchanges?: number;
  maxBytes?: number;
  bodyLimitBytes?: number;
}

/**
 * Parses `hooktap http` arguments.
 *
 * @example
 * parseHttpArgs(httpCommand, ["3000", "--log", "json"], {}).upstream; // "http://localhost:3000"
 */
export function parseHttpArgs(
  command: Command,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): HttpSettings {
  const { positionals, rest } = splitPositionals(command, args);
  const flags = parseFlags(command, rest);
  if (positionals.length === 0) {
    throw new UsageError(
      "missing <port|url>: what should the tunnel forward to? e.g. 'hooktap http 3000'",
      HELP,
    );
  }
  if (positionals.length > 1) {
    throw new UsageError(`unexpected argument '${positionals[1]}' for 'hooktap http'`, HELP);
  }
  const relay = relayFrom(flags, env);
  if (relay !== null && flags["listen-port"] !== undefined) {
    throw new UsageError(
      "--listen-port is for the embedded relay; it cannot go with --relay",
      HELP,
    );
  }
  if (flags["no-inspect"] === true && flags["inspect-addr"] !== undefined) {
    throw new UsageError("--inspect-addr and --no-inspect contradict each other; pick one", HELP);
  }
  return {
    upstream: parseTarget(positionals[0] ?? ""),
    relay,
    name: nameFrom(flags.name),
    listenPort:
      typeof flags["listen-port"] === "string"
        ? portFrom(flags["listen-port"], "--listen-port")
        : HTTP_DEFAULTS.listenPort,
    inspect:
      flags["no-inspect"] === true
        ? null
        : parseListenAddress(stringFlag(flags, "inspect-addr") ?? HTTP_DEFAULTS.inspectAddr),
    policy: policyFrom(flags),
    dataDir: nonEmpty(stringFlag(flags, "data-dir") ?? HTTP_DEFAULTS.dataDir, "--data-dir"),
    log: oneOf(flags.log, "--log", ["pretty", "json"], "pretty"),
    hostHeader: oneOf(flags["host-header"], "--host-header", ["preserve", "rewrite"], "preserve"),
    upstreamTimeoutMs:
      typeof flags["upstream-timeout"] === "string"
        ? positiveMs(flags["upstream-timeout"], "--upstream-timeout")
        : null,
    capture: captureFrom(flags),
  };
}

function captureFrom(flags: ParsedFlags): CaptureSettings {
  const capture: CaptureSettings = {};
  const count = stringFlag(flags, "retain-exchanges");
  if (count !== undefined) {
    const n = /^\d+$/.test(count.trim()) ? Number(count.trim()) : Number.NaN;
    if (!(Number.isSafeInteger(n) && n >= 1)) {
      throw new UsageError(
        `--retain-exchanges must be a whole number of exchanges, at least 1, got '${count}'`,
        HELP,
      );
    }
    capture.maxExchanges = n;
  }
  const size = stringFlag(flags, "retain-size");
  if (size !== undefined) capture.maxBytes = parseByteSize(size, "--retain-size");
  const limit = stringFlag(flags, "capture-body-limit");
  if (limit !== undefined) {
    // 0 is a limit here: record sizes only, no body bytes.
    capture.bodyLimitBytes =
      limit.trim() === "0" ? 0 : parseByteSize(limit, "--capture-body-limit");
  }
  return capture;
}

/**
 * `3000` → `http://localhost:3000`, `host:3000` → `http://host:3000`, a full http(s) URL as
 * it is. `localhost` lets Node try IPv6 and IPv4, so an app bound to `::1` only (Vite's
 * default on some systems) is found as well as one on 127.0.0.1.
 *
 * @example
 * parseTarget("3000"); // "http://localhost:3000"
 */
export function parseTarget(text: string): string {
  const value = text.trim();
  if (/^\d+$/.test(value)) return `http://localhost:${portFrom(value, "<port>", 1)}`;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  if (!URL.canParse(withScheme)) {
    throw new UsageError(
      `<port|url> must be a port (3000), host:port or an http(s) URL, got '${text}'`,
      HELP,
    );
  }
  const url = new URL(withScheme);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`<port|url> must be http:// or https://, got '${text}'`, HELP);
  }
  if (url.hostname === "" || url.username !== "" || url.search !== "" || url.hash !== "") {
    throw new UsageError(
      `<port|url> must be a plain origin or path (no user, query or fragment), got '${text}'`,
      HELP,
    );
  }
  const path = url.pathname === "/" ? "" : url.pathname.replace(/\/+$/, "");
  return `${url.protocol}//${url.host}${path}`;
}

/**
 * `127.0.0.1:4040`, `localhost:4040`, `[::1]:4040`, `:4040` or `4040` (loopback).
 *
 * @example
 * parseListenAddress(":0"); // { host: "127.0.0.1", port: 0 }
 */
export function parseListenAddress(text: string): ListenAddress {
  const match = /^(?:(\[[^\]]+\]|[^:]*):)?(\d+)$/.exec(text.trim());
  if (match === null) {
    throw new UsageError(
      `--inspect-addr must be host:port (e.g. 127.0.0.1:4040), got '${text}'`,
      HELP,
    );
  }
  const host = (match[1] ?? "").replace(/^\[(.*)\]$/, "$1");
  return {
    host: host === "" ? "127.0.0.1" : host,
    port: portFrom(match[2] ?? "", "--inspect-addr"),
  };
}

/**
 * `'Authorization: Basic abc'` → `{ name: "Authorization", value: "Basic abc" }`.
 *
 * @example
 * parseRequiredHeader("X-Token: s3cr3t"); // { name: "X-Token", value: "s3cr3t" }
 */
export function parseRequiredHeader(text: string): NonNullable<EdgePolicy["requireHeader"]> {
  const colon = text.indexOf(":");
  const name = colon === -1 ? "" : text.slice(0, colon).trim();
  const value = colon === -1 ? "" : text.slice(colon + 1).trim();
  if (colon === -1 || !isHttpToken(name) || value === "" || !isHttpFieldValue(value)) {
    throw new UsageError(
      `--require-header must be 'Name: value' (a header name, a colon, a non-empty value), got '${text}'`,
      HELP,
    );
  }
  return { name, value };
}

/** Takes the positionals out, so that `parseFlags` (strict, no positionals) checks the rest. */
function splitPositionals(
  command: Command,
  args: readonly string[],
): { positionals: string[]; rest: string[] } {
  const options = Object.fromEntries(
    Object.entries(command.options).map(([name, option]) => [name, { type: option.type }]),
  );
  const { tokens } = parseArgs({
    args: [...args],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const positionalIndexes = new Set(
    tokens.filter((token) => token.kind === "positional").map((token) => token.index),
  );
  return {
    positionals: args.filter((_, i) => positionalIndexes.has(i)),
    rest: args.filter((_, i) => !positionalIndexes.has(i)),
  };
}

function relayFrom(
  flags: ParsedFlags,
  env: Readonly<Record<string, string | undefined>>,
): HttpSettings["relay"] {
  const relay = stringFlag(flags, "relay") ?? emptyToUndefined(env.HOOKTAP_RELAY);
  const token = stringFlag(flags, "token") ?? emptyToUndefined(env.HOOKTAP_TOKEN);
  if (relay === undefined) {
    if (flags.token !== undefined) {
      throw new UsageError(
        "--token goes with --relay; without --relay the embedded relay makes its own",
        HELP,
      );
    }
    return null;
  }
  if (token === undefined) {
    throw new UsageError(
      "--relay needs --token (or HOOKTAP_TOKEN): the relay admits agents by token",
      HELP,
    );
  }
  return { url: relayUrl(relay), token };
}

/**
 * `wss://relay.example` → `wss://relay.example/_hooktap/agent`; http(s) becomes ws(s).
 *
 * @example
 * relayUrl("https://relay.example"); // "wss://relay.example/_hooktap/agent"
 */
export function relayUrl(text: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `wss://${text}`;
  if (!URL.canParse(withScheme)) {
    throw new UsageError(`--relay must be a ws(s):// URL, got '${text}'`, HELP);
  }
  const url = new URL(withScheme);
  const schemes: Record<string, string> = {
    "ws:": "ws:",
    "wss:": "wss:",
    "http:": "ws:",
    "https:": "wss:",
  };
  const protocol = schemes[url.protocol];
  if (protocol === undefined)
    throw new UsageError(`--relay must be a ws(s):// URL, got '${text}'`, HELP);
  const path = url.pathname === "/" || url.pathname === "" ? AGENT_PATH : url.pathname;
  return `${protocol}//${url.host}${path}${url.search}`;
}

function policyFrom(flags: ParsedFlags): Partial<EdgePolicy> {
  const policy: Partial<EdgePolicy> = {};
  if (flags["okta-challenge"] !== undefined) {
    policy.oktaChallenge = oneOf(
      flags["okta-challenge"],
      "--okta-challenge",
      ["app", "edge"],
      "app",
    );
  }
  if (flags.queue !== undefined) {
    policy.queue = oneOf(flags.queue, "--queue", ["offline", "always", "never"], "offline");
  }
  const required = stringFlag(flags, "require-header");
  if (required !== undefined) policy.requireHeader = parseRequiredHeader(required);
  const maxBody = stringFlag(flags, "max-body");
  if (maxBody !== undefined) policy.maxBodyBytes = parseByteSize(maxBody, "--max-body");
  return policy;
}

function nameFrom(value: string | boolean | undefined): string | null {
  if (typeof value !== "string") return null;
  if (!DNS_LABEL.test(value)) {
    throw new UsageError(
      `--name must be a lowercase DNS label (1-63 of a-z, 0-9, -; no leading or trailing -), got '${value}'`,
      HELP,
    );
  }
  return value;
}

function portFrom(text: string, source: string, min = 0): number {
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= min && port <= 65_535)) {
    throw new UsageError(`${source} must be a port from ${min} to 65535, got '${text}'`, HELP);
  }
  return port;
}

function positiveMs(text: string, source: string): number {
  const ms = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(ms >= 1 && Number.isSafeInteger(ms))) {
    throw new UsageError(
      `${source} must be a positive number of milliseconds, got '${text}'`,
      HELP,
    );
  }
  return ms;
}

function oneOf<T extends string>(
  value: string | boolean | undefined,
  source: string,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value === "string" && (allowed as readonly string[]).includes(value))
    return value as T;
  throw new UsageError(`${source} must be ${allowed.join(" or ")}, got '${String(value)}'`, HELP);
}

function stringFlag(flags: ParsedFlags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === "string" ? value : undefined;
}

function nonEmpty(value: string, source: string): string {
  if (value.trim() === "") throw new UsageError(`${source} must not be empty`, HELP);
  return value;
}

function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  "": 1,
  b: 1,
  kb: 1024,
  mb: 1024 ** 2,
  gb: 1024 ** 3,
};

/**
 * `1048576`, `512kb`, `10mb`, `1gb` → bytes (binary units, case-insensitive).
 *
 * @example
 * parseByteSize("10mb", "--max-body"); // 10485760
 */
export function parseByteSize(text: string, flag: string): number {
  const match = /^(\d+)\s*([kmg]?b)?$/i.exec(text.trim());
  const unit = SIZE_UNITS[(match?.[2] ?? "").toLowerCase()];
  const bytes = match === null || unit === undefined ? Number.NaN : Number(match[1]) * unit;
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new UsageError(
      `${flag} must be a size such as 1048576, 512kb, 10mb or 1gb, got '${text}'`,
      HELP,
    );
  }
  return bytes;
}
