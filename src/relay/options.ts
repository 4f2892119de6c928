/**
 * The relay's options, their defaults (set here and nowhere else), and their checks: a bad
 * option is a `TypeError`/`RangeError` from `startRelay` before anything listens.
 */
import { type Logger, silentLogger } from "../log/index.js";
import type { EdgePolicy } from "../protocol/index.js";
import {
  KEEP_DELIVERED_MS,
  nextRetryDelayMs,
  QUEUE_TTL_MS,
  type RelayStore,
} from "./store/index.js";

/** Default public port. */
export const DEFAULT_RELAY_PORT = 8080;

/** Default interface: every one, since a relay exists to be reached from the internet. */
export const DEFAULT_RELAY_HOST = "0.0.0.0";

/** Default interval of the WebSocket pings to each agent. */
export const DEFAULT_HEARTBEAT_MS = 10_000;

/** Default time an agent has, once connected, to send `hello`. */
export const DEFAULT_HELLO_TIMEOUT_MS = 10_000;

/** Default body limit of an endpoint: 10 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Default time the relay waits for the agent's answer to a queued delivery. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 30_000;

/**
 * Default interval of the relay's look at its store for changes other processes made: a
 * revoked token's agents are disconnected within it.
 */
export const DEFAULT_STORE_WATCH_MS = 2000;

/** The agent's WebSocket path. Names starting with `_` are never endpoints, so it cannot collide. */
export const AGENT_PATH = "/_hooktap/agent";

/** The policy of an endpoint whose agent never connected (or never told the relay one). */
export const DEFAULT_EDGE_POLICY: Readonly<EdgePolicy> = Object.freeze({
  oktaChallenge: "app",
  requireHeader: null,
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
  queue: "offline",
});

/** Options of `startRelay`. */
export interface RelayOptions {
  /** Tokens, reservations, policies and the durable queue. The relay never closes it. */
  store: RelayStore;
  /** Public port; 0 picks any free port. @default 8080 */
  port?: number;
  /** Interface to listen on. @default "0.0.0.0" */
  host?: string;
  /** Enables `<name>.<domain>` routing and Host checking against it. @default null */
  domain?: string | null;
  /** PEM certificate and key: the relay then serves https and wss only. @default null */
  tls?: { cert: string | Buffer; key: string | Buffer } | null;
  /**
   * Base URL advertised to agents and printed (an origin, no path).
   * @default scheme://host:port, with `domain` as host when set, 127.0.0.1 when bound to 0.0.0.0 or ::
   */
  publicUrl?: string;
  /** Interval of WebSocket pings to each agent; an agent silent for 3 of them is dropped. @default 10000 */
  heartbeatMs?: number;
  /** Time a new agent connection has to send `hello`. @default 10000 */
  helloTimeoutMs?: number;
  /** Policy of endpoints whose agent never connected. @default DEFAULT_EDGE_POLICY */
  defaultPolicy?: EdgePolicy;
  /** How long a queued request is retried before it becomes failed. @default QUEUE_TTL_MS (24 h) */
  queueTtlMs?: number;
  /**
   * How long a delivered request stays in the queue's history before the relay deletes it
   * (failed ones stay until an operator retries or drops them). @default KEEP_DELIVERED_MS (7 days)
   */
  keepDeliveredMs?: number;
  /** How long a queued delivery waits for the agent's response before it counts as failed. @default 30000 */
  deliveryTimeoutMs?: number;
  /** Delay before the next attempt after `attempt` failed ones. @default nextRetryDelayMs (1 s doubling to 5 min, ±20 %) */
  retryDelayMs?: (attempt: number) => number;
  /** Requests in flight per agent connection; more get a 503. @default 256 */
  maxConcurrentStreams?: number;
  /**
   * How often the relay reads the store's revision, to act on changes other processes made
   * (`hooktap relay token revoke` disconnects the token's agents within this time). @default 2000
   */
  storeWatchMs?: number;
  /** @default silentLogger */
  logger?: Logger;
  /** The clock of stored and reported times (queue, TTL, edge reports). @default Date.now */
  now?: () => number;
}

/** {@link RelayOptions} with every default applied and checked. */
export interface ResolvedRelayOptions {
  store: RelayStore;
  port: number;
  host: string;
  domain: string | null;
  tls: { cert: string | Buffer; key: string | Buffer } | null;
  publicUrl: string | null;
  heartbeatMs: number;
  helloTimeoutMs: number;
  defaultPolicy: EdgePolicy;
  queueTtlMs: number;
  keepDeliveredMs: number;
  deliveryTimeoutMs: number;
  retryDelayMs: (attempt: number) => number;
  maxConcurrentStreams: number;
  storeWatchMs: number;
  logger: Logger;
  now: () => number;
}

const DOMAIN =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/**
 * Applies the defaults and checks every option.
 *
 * @example
 * const resolved = resolveRelayOptions({ store, port: 0 });
 * resolved.heartbeatMs; // 10000
 */
export function resolveRelayOptions(options: RelayOptions): ResolvedRelayOptions {
  if (typeof options?.store !== "object" || options.store === null) {
    throw new TypeError("store is required (openSqliteRelayStore(path))");
  }
  const port = options.port ?? DEFAULT_RELAY_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${port}`);
  }
  const host = options.host ?? DEFAULT_RELAY_HOST;
  if (typeof host !== "string" || host.trim() === "") throw new TypeError("host must not be empty");
  const domain = options.domain === undefined || options.domain === null ? null : options.domain;
  if (domain !== null && !DOMAIN.test(domain)) {
    throw new TypeError(
      `domain must be a lower-case host name with at least two labels, like relay.example.com, got '${domain}'`,
    );
  }
  const tls = options.tls ?? null;
  if (tls !== null && (!tls.cert || !tls.key)) {
    throw new TypeError("tls needs both cert and key (PEM)");
  }
  const publicUrl = options.publicUrl === undefined ? null : checkPublicUrl(options.publicUrl);
  const defaultPolicy = options.defaultPolicy ?? DEFAULT_EDGE_POLICY;
  return {
    store: options.store,
    port,
    host,
    domain,
    tls,
    publicUrl,
    heartbeatMs: positiveInteger(options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS, "heartbeatMs"),
    helloTimeoutMs: positiveInteger(
      options.helloTimeoutMs ?? DEFAULT_HELLO_TIMEOUT_MS,
      "helloTimeoutMs",
    ),
    defaultPolicy: { ...defaultPolicy },
    queueTtlMs: positiveInteger(options.queueTtlMs ?? QUEUE_TTL_MS, "queueTtlMs"),
    keepDeliveredMs: positiveInteger(
      options.keepDeliveredMs ?? KEEP_DELIVERED_MS,
      "keepDeliveredMs",
    ),
    deliveryTimeoutMs: positiveInteger(
      options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS,
      "deliveryTimeoutMs",
    ),
    retryDelayMs: options.retryDelayMs ?? ((attempt) => nextRetryDelayMs(attempt)),
    maxConcurrentStreams: positiveInteger(
      options.maxConcurrentStreams ?? 256,
      "maxConcurrentStreams",
    ),
    storeWatchMs: positiveInteger(options.storeWatchMs ?? DEFAULT_STORE_WATCH_MS, "storeWatchMs"),
    logger: options.logger ?? silentLogger,
    now: options.now ?? Date.now,
  };
}

function checkPublicUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`publicUrl must be an absolute http(s) URL, got '${text}'`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`publicUrl must be an http or https URL, got '${text}'`);
  }
  if ((url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.hash !== "") {
    throw new TypeError(`publicUrl must be an origin without a path, got '${text}'`);
  }
  return url.origin;
}

/** The URLs a running relay advertises. */
export interface RelayUrls {
  /** Public base URL, e.g. `https://relay.example.com`. */
  url: string;
  /** `ws(s)://…/_hooktap/agent`. */
  agentUrl: string;
  /** The public URLs of endpoint `name`: by path, and by subdomain when `domain` is set. */
  endpointUrls(name: string): string[];
}

/**
 * The relay's URLs once it listens on `port`.
 *
 * @example
 * relayUrls(resolved, 8080).agentUrl; // "ws://127.0.0.1:8080/_hooktap/agent"
 */
export function relayUrls(options: ResolvedRelayOptions, port: number): RelayUrls {
  const scheme = options.tls === null ? "http" : "https";
  const url = options.publicUrl ?? defaultPublicUrl(scheme, options, port);
  const agent = new URL(AGENT_PATH, url);
  agent.protocol = url.startsWith("https:") ? "wss:" : "ws:";
  return {
    url,
    agentUrl: agent.href,
    endpointUrls(name) {
      const urls = [`${url}/${name}`];
      if (options.domain !== null) {
        const sub = new URL(url);
        sub.hostname = `${name}.${options.domain}`;
        urls.push(sub.origin);
      }
      return urls;
    },
  };
}

function defaultPublicUrl(scheme: string, options: ResolvedRelayOptions, port: number): string {
  let host = options.domain ?? options.host;
  if (options.domain === null && (host === "0.0.0.0" || host === "::")) host = "127.0.0.1";
  if (host.includes(":")) host = `[${host}]`;
  const standard = (scheme === "http" && port === 80) || (scheme === "https" && port === 443);
  return new URL(`${scheme}://${host}${standard ? "" : `:${port}`}`).origin;
}
