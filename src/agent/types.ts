/**
 * The agent's contract: its options, the handle {@link startAgent} returns, and the plain data
 * its events carry. Data only; the code that acts on it lives in agent.ts and its helpers.
 */
import type { CaptureSink } from "../capture/index.js";
import type { Logger } from "../log/index.js";
import type { ClientInfo, EdgePolicy, EdgeReason, LinkSocket } from "../protocol/index.js";

/** Who sets the `Host` header the app receives. */
export type HostHeaderMode = "preserve" | "rewrite";

/** Reconnection timing: exponential backoff with full jitter between these bounds. */
export interface ReconnectOptions {
  /**
   * The cap of the first retry's random delay; each failed attempt doubles it. The count
   * starts over once a session has lasted 10 s (or `heartbeatTimeoutMs`, if shorter).
   * @default 250
   */
  minDelayMs?: number;
  /**
   * The largest cap: retries never wait longer.
   * @default 30_000
   */
  maxDelayMs?: number;
}

/** Options of {@link startAgent}. */
export interface AgentOptions {
  /**
   * The relay's agent gateway, `ws://` or `wss://`, e.g. `wss://relay.example/_hooktap/agent`.
   * Give this or {@link connect}.
   */
  relayUrl?: string;
  /**
   * Opens a link to a relay in this process instead of dialling a URL (e.g. `relay.connectLocal`
   * of a relay started with `startRelay`): called once per connection attempt, so reconnection
   * works as over a WebSocket. Give this or {@link relayUrl}.
   */
  connect?: () => LinkSocket;
  /** The agent token's secret. Sent in `hello` only; never logged. */
  token: string;
  /** The endpoint to claim: a lowercase DNS label (1-63 of `a-z`, `0-9`, `-`). */
  endpoint: string;
  /**
   * Where requests go: an `http://` or `https://` origin, optionally with a base path that
   * every forwarded target is appended to (`http://127.0.0.1:3000/api` + `/x` → `/api/x`).
   */
  upstream: string;
  /**
   * The endpoint's edge policy, merged over the defaults.
   * @default { oktaChallenge: "app", requireHeader: null, maxBodyBytes: 10 MiB, queue: "offline" }
   */
  policy?: Partial<EdgePolicy>;
  /**
   * Where exchanges are recorded: a capture store, or a `startCaptureWriter` (which writes to
   * its store's file on a worker thread); `null` or absent records nothing. A store's failed
   * write is the agent's `capture_failed` error; a writer reports its own through its `onError`.
   */
  capture?: CaptureSink | null;
  /**
   * Bytes of each body kept in memory for the capture (the rest is counted, not kept).
   * @default DEFAULT_CAPTURE_BODY_LIMIT_BYTES (10 MiB)
   */
  captureBodyLimitBytes?: number;
  /** @default silentLogger */
  logger?: Logger;
  reconnect?: ReconnectOptions;
  /**
   * A connection on which nothing (frame, ping or pong) arrived for this long is dropped and
   * redialled. The agent pings every third of it, so a healthy relay always answers in time.
   * @default 30_000
   */
  heartbeatTimeoutMs?: number;
  /**
   * Milliseconds the app has to send its response head; then the sender gets a 504
   * `upstream_timeout`. `null` waits forever: a slow app is the app's business (the inspector
   * flags Okta's 3 s budget).
   * @default null
   */
  upstreamTimeoutMs?: number | null;
  /**
   * How long an idle keep-alive connection to the app is kept for the next request (less when
   * the app announces a shorter `Keep-Alive: timeout`). 0 opens a connection per request.
   * @default 4000
   */
  upstreamKeepAliveMs?: number;
  /**
   * `preserve` sends the public `Host` (what the sender signed and the relay received);
   * `rewrite` sends the upstream's host, for dev servers that check it.
   * @default "preserve"
   */
  hostHeader?: HostHeaderMode;
  /**
   * Verify the upstream's TLS certificate. By default it is verified except for loopback
   * hosts (`localhost`, `127.0.0.0/8`, `::1`), where self-signed dev certificates are the rule.
   * @default true for remote hosts, false for loopback
   */
  verifyUpstreamTls?: boolean;
  /**
   * Who the agent says it is in `hello`.
   * @default { name: "hooktap", version: "unknown" }
   */
  client?: ClientInfo;
  /**
   * Wall clock in epoch milliseconds, for capture timing and for noticing that the machine
   * slept: Node's timers run on a monotonic clock that stands still during sleep, the wall
   * clock does not. Injectable for tests.
   * @default Date.now
   */
  now?: () => number;
  /**
   * A number in [0, 1) for the reconnection jitter. Injectable for tests.
   * @default Math.random
   */
  random?: () => number;
}

/**
 * Where the agent is:
 * - `connecting`: dialling the relay or waiting for `welcome`;
 * - `online`: welcomed, requests flow;
 * - `offline`: disconnected, a retry is scheduled (`retryInMs`);
 * - `closed`: stopped for good, by `close()` or by a refusal that retrying cannot fix.
 */
export type AgentState = "connecting" | "online" | "offline" | "closed";

/** Why something went wrong, in two parts: a stable code and a sentence. */
export interface AgentErrorInfo {
  /**
   * A Node error code (`ECONNREFUSED`), a protocol `error` code (`bad_token`,
   * `shutting_down`), or one of the agent's (`heartbeat_timeout`, `connection_closed`,
   * `capture_failed`).
   */
  code: string;
  message: string;
}

/** The payload of the `state` event. */
export interface AgentStateChange {
  state: AgentState;
  previous: AgentState;
  /** Why, for people: "relay closed the connection: shutting_down", "no heartbeat for 30 s". */
  reason: string | null;
  /** Set with `offline`: when the next attempt starts. */
  retryInMs: number | null;
  /** Set with `online`: the public URLs the relay granted. */
  publicUrls: string[];
}

/** Exchanges by outcome: the status class of the response, or `error` when the app never answered. */
export type StatusClass = "2xx" | "3xx" | "4xx" | "5xx" | "error";

/** Counters and latency of the requests this agent forwarded (edge reports are not counted). */
export interface AgentStats {
  /** Requests forwarded since start (finished or not). */
  total: number;
  /** Requests in flight now. */
  open: number;
  /** Finished requests by outcome; `error` covers the agent's own 502/504 and resets. */
  byStatus: Record<StatusClass, number>;
  /** Latency percentiles over the last 1,000 finished requests, in ms; 0 before the first. */
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Finished requests per second, averaged over the last 1, 5 and 15 minutes. */
  rate1: number;
  rate5: number;
  rate15: number;
}

/** Where an exchange the agent reports came from. */
export type AgentExchangeOrigin = "live" | "queued" | "edge" | "blocked";

/** The payload of the `exchange` event: one finished exchange, in brief. */
export interface AgentExchange {
  /** The capture id (generated even when nothing is captured). */
  id: string;
  origin: AgentExchangeOrigin;
  method: string;
  target: string;
  /** The status the sender got; null when the stream was reset before any response. */
  status: number | null;
  /** Set when the app did not answer (completely): unreachable, timeout, reset, aborted. */
  error: AgentErrorInfo | null;
  /** From the head's arrival at the agent to the end of the response; for edge reports, the relay's. */
  durationMs: number;
  /** When the relay received the request, epoch ms. */
  receivedAt: number;
  queueId: string | null;
  /** For `edge` and `blocked` exchanges: why the relay answered itself. */
  edgeReason: EdgeReason | null;
}

/** The events of an {@link Agent} and their payloads. */
export interface AgentEvents {
  state: AgentStateChange;
  exchange: AgentExchange;
  /** Trouble that does not change the state: a capture write failed, a request handler broke. */
  error: AgentErrorInfo;
}

/** A listener of {@link AgentEvents} event `K`. */
export type AgentListener<K extends keyof AgentEvents> = (payload: AgentEvents[K]) => void;

/** A running tunnel agent; see {@link startAgent}. */
export interface Agent {
  readonly state: AgentState;
  /** The URLs the relay granted at the last `welcome`; empty before the first. */
  readonly publicUrls: string[];
  /** The endpoint claimed. */
  readonly endpoint: string;
  /** The upstream origin (and base path), normalized. */
  readonly upstream: string;
  /** A fresh snapshot on each read. */
  readonly stats: AgentStats;
  /** The last connection trouble; null once welcomed again. */
  readonly lastError: AgentErrorInfo | null;
  /**
   * Resolves at the first `welcome`. Rejects with an `AgentError` on a refusal that retrying
   * cannot fix (`bad_token`, `endpoint_taken`, `endpoint_forbidden`, `unsupported_protocol`),
   * or when `close()` comes first. Such a refusal closes the agent at any time, not only before
   * the first welcome: a revoked token stops it, and so does `replaced` (a newer connection
   * with the same token took the endpoint); watch the `state` event for `closed` after that.
   */
  ready(): Promise<void>;
  on<K extends keyof AgentEvents>(event: K, listener: AgentListener<K>): void;
  off<K extends keyof AgentEvents>(event: K, listener: AgentListener<K>): void;
  /**
   * Stops: tells the relay (`error` `shutting_down`), aborts requests in flight, closes the
   * socket. Idempotent; the capture store is the caller's to close.
   */
  close(): Promise<void>;
}
