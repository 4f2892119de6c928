/**
 * Defaults of the agent, applied in one place, and the validation of {@link AgentOptions}:
 * a bad option is an `AgentError` `invalid_option` naming the option, thrown before anything
 * starts.
 */

import type { CaptureSink } from "../capture/index.js";
import { DEFAULT_CAPTURE_BODY_LIMIT_BYTES } from "../capture/index.js";
import { isHttpFieldValue, isHttpToken } from "../http/index.js";
import { type Logger, silentLogger } from "../log/index.js";
import type { ClientInfo, EdgePolicy, LinkSocket } from "../protocol/index.js";
import { AgentError } from "./errors.js";
import type { AgentOptions, HostHeaderMode } from "./types.js";

/** The path of the relay's agent gateway. */
export const AGENT_GATEWAY_PATH = "/_hooktap/agent";
/** A connection silent for this long is dropped and redialled. */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 30_000;
/** The cap of the first retry's delay. */
export const DEFAULT_RECONNECT_MIN_DELAY_MS = 250;
/** The largest retry delay. */
export const DEFAULT_RECONNECT_MAX_DELAY_MS = 30_000;
/**
 * How long an idle connection to the app is kept for the next request (upstream-pool.ts),
 * unless the app announces less: under the 5 s of Node's and most frameworks' servers.
 */
export const DEFAULT_UPSTREAM_KEEP_ALIVE_MS = 4000;

/** The edge policy an agent asks for unless told otherwise. */
export const DEFAULT_EDGE_POLICY: Readonly<EdgePolicy> = Object.freeze({
  oktaChallenge: "app",
  requireHeader: null,
  maxBodyBytes: 10 * 1024 * 1024,
  queue: "offline",
});

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** An upstream URL taken apart for `http.request`. */
export interface ParsedUpstream {
  /** `http:` or `https:`. */
  protocol: "http:" | "https:";
  /** For `http.request`: IPv6 without brackets. */
  hostname: string;
  port: number;
  /** `host[:port]` as a `Host` header carries it (port omitted when default). */
  host: string;
  /** Prepended to every target; "" or a path without a trailing slash. */
  basePath: string;
  /** The normalized URL, for display: `http://127.0.0.1:3000`. */
  href: string;
  /** localhost, 127.0.0.0/8 or ::1. */
  loopback: boolean;
}

/** {@link AgentOptions} with every default applied and every value checked. */
export interface ResolvedAgentOptions {
  /** The WebSocket URL to dial, or null when {@link connect} was given. */
  relayUrl: string | null;
  /** The in-process link factory, or null to dial {@link relayUrl}. */
  connect: (() => LinkSocket) | null;
  token: string;
  endpoint: string;
  upstream: ParsedUpstream;
  policy: EdgePolicy;
  capture: CaptureSink | null;
  captureBodyLimitBytes: number;
  logger: Logger;
  minDelayMs: number;
  maxDelayMs: number;
  heartbeatTimeoutMs: number;
  upstreamTimeoutMs: number | null;
  upstreamKeepAliveMs: number;
  hostHeader: HostHeaderMode;
  verifyUpstreamTls: boolean;
  client: ClientInfo;
  now: () => number;
  random: () => number;
}

function invalid(field: string, message: string): never {
  throw new AgentError("invalid_option", `${field} ${message}`, { field });
}

function positiveInteger(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    invalid(field, "must be a positive integer");
  }
  return value;
}

/**
 * Checks an upstream URL: `http://` or `https://`, no credentials, query or fragment.
 *
 * @example
 * parseUpstream("http://localhost:3000/api/").basePath; // "/api"
 */
export function parseUpstream(value: unknown, field = "upstream"): ParsedUpstream {
  if (typeof value !== "string" || !URL.canParse(value)) invalid(field, "must be an http(s) URL");
  const url = new URL(value);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    invalid(field, `must be an http:// or https:// URL, got ${url.protocol}//`);
  }
  if (url.username !== "" || url.password !== "") invalid(field, "must not carry credentials");
  if (url.search !== "" || url.hash !== "") invalid(field, "must not have a query or fragment");
  if (url.hostname === "") invalid(field, "must name a host");
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
  const basePath = url.pathname.replace(/\/+$/, "");
  return {
    protocol: url.protocol,
    hostname,
    port,
    host: url.host,
    basePath,
    href: `${url.protocol}//${url.host}${basePath}`,
    loopback: isLoopback(hostname),
  };
}

function isLoopback(hostname: string): boolean {
  const lower = hostname.toLowerCase();
  return (
    lower === "localhost" ||
    lower.endsWith(".localhost") ||
    /^127(?:\.\d{1,3}){3}$/.test(lower) ||
    lower === "::1"
  );
}

function relayUrlOf(value: unknown): string {
  if (typeof value !== "string" || !URL.canParse(value)) {
    invalid("relayUrl", "must be a ws:// or wss:// URL");
  }
  const url = new URL(value);
  if (url.protocol !== "ws:" && url.protocol !== "wss:") {
    invalid("relayUrl", `must be a ws:// or wss:// URL, got ${url.protocol}//`);
  }
  return url.href;
}

function policyOf(overrides: Partial<EdgePolicy> | undefined): EdgePolicy {
  const policy: EdgePolicy = { ...DEFAULT_EDGE_POLICY, ...(overrides ?? {}) };
  if (policy.oktaChallenge !== "app" && policy.oktaChallenge !== "edge") {
    invalid("policy.oktaChallenge", 'must be "app" or "edge"');
  }
  if (!["offline", "always", "never"].includes(policy.queue)) {
    invalid("policy.queue", 'must be "offline", "always" or "never"');
  }
  if (!Number.isSafeInteger(policy.maxBodyBytes) || policy.maxBodyBytes < 0) {
    invalid("policy.maxBodyBytes", "must be a non-negative integer");
  }
  const required = policy.requireHeader;
  if (required !== null) {
    if (!isHttpToken(required.name)) {
      invalid("policy.requireHeader.name", "must be an HTTP header name");
    }
    if (!isHttpFieldValue(required.value) || required.value === "") {
      invalid(
        "policy.requireHeader.value",
        "must be a non-empty header value without control characters",
      );
    }
    policy.requireHeader = { name: required.name, value: required.value };
  }
  return policy;
}

/**
 * Applies defaults and validates; throws `AgentError` `invalid_option`.
 *
 * @example
 * const resolved = resolveAgentOptions({ relayUrl, token, endpoint: "local", upstream: "http://127.0.0.1:3000" });
 */
export function resolveAgentOptions(options: AgentOptions): ResolvedAgentOptions {
  if (typeof options !== "object" || options === null) invalid("options", "must be an object");
  const connect = options.connect ?? null;
  if (connect !== null && typeof connect !== "function") invalid("connect", "must be a function");
  if (connect !== null && options.relayUrl !== undefined) {
    invalid("relayUrl", "must be absent when connect is given (one way to reach the relay)");
  }
  if (connect === null && options.relayUrl === undefined) {
    invalid("relayUrl", "is required (a ws:// or wss:// URL) unless connect is given");
  }
  const relayUrl = connect === null ? relayUrlOf(options.relayUrl) : null;
  if (typeof options.token !== "string" || options.token === "") {
    invalid("token", "must be a non-empty string");
  }
  if (typeof options.endpoint !== "string" || !DNS_LABEL.test(options.endpoint)) {
    invalid(
      "endpoint",
      "must be a lowercase DNS label (1-63 of a-z, 0-9, -; no leading or trailing -)",
    );
  }
  const minDelayMs = positiveInteger(
    options.reconnect?.minDelayMs ?? DEFAULT_RECONNECT_MIN_DELAY_MS,
    "reconnect.minDelayMs",
  );
  const maxDelayMs = positiveInteger(
    options.reconnect?.maxDelayMs ?? DEFAULT_RECONNECT_MAX_DELAY_MS,
    "reconnect.maxDelayMs",
  );
  if (maxDelayMs < minDelayMs) invalid("reconnect.maxDelayMs", "must be at least minDelayMs");
  const limit = options.captureBodyLimitBytes ?? DEFAULT_CAPTURE_BODY_LIMIT_BYTES;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    invalid("captureBodyLimitBytes", "must be a non-negative integer");
  }
  const timeout = options.upstreamTimeoutMs ?? null;
  const keepAliveMs = options.upstreamKeepAliveMs ?? DEFAULT_UPSTREAM_KEEP_ALIVE_MS;
  if (!Number.isSafeInteger(keepAliveMs) || keepAliveMs < 0) {
    invalid("upstreamKeepAliveMs", "must be a non-negative integer");
  }
  const hostHeader = options.hostHeader ?? "preserve";
  if (hostHeader !== "preserve" && hostHeader !== "rewrite") {
    invalid("hostHeader", 'must be "preserve" or "rewrite"');
  }
  const upstream = parseUpstream(options.upstream);
  return {
    relayUrl,
    connect,
    token: options.token,
    endpoint: options.endpoint,
    upstream,
    policy: policyOf(options.policy),
    capture: options.capture ?? null,
    captureBodyLimitBytes: limit,
    logger: options.logger ?? silentLogger,
    minDelayMs,
    maxDelayMs,
    heartbeatTimeoutMs: positiveInteger(
      options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS,
      "heartbeatTimeoutMs",
    ),
    upstreamTimeoutMs: timeout === null ? null : positiveInteger(timeout, "upstreamTimeoutMs"),
    upstreamKeepAliveMs: keepAliveMs,
    hostHeader,
    verifyUpstreamTls: options.verifyUpstreamTls ?? !upstream.loopback,
    client: options.client ?? { name: "hooktap", version: "unknown" },
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
  };
}
