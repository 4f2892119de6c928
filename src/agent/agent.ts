/**
 * The tunnel agent: keeps one connection to the relay alive (redialling with backoff), forwards
 * each stream to the upstream, records exchanges and counts them. One object per agent owns all
 * of its state: no module-level emitters, counters or sockets.
 */

import type { EdgeReport, IncomingRequestStream } from "../protocol/index.js";
import { PROTOCOL_VERSION } from "../protocol/index.js";
import { backoffDelayMs } from "./backoff.js";
import { CaptureRecorder, edgeOrigin } from "./capture-recorder.js";
import { type ConnectionEnd, RelayConnection } from "./connection.js";
import { dialWebSocket } from "./dial.js";
import { TypedEmitter } from "./emitter.js";
import { AgentError } from "./errors.js";
import { type ForwardSettings, forwardStream } from "./forward.js";
import { type ResolvedAgentOptions, resolveAgentOptions } from "./options.js";
import { StatsRecorder } from "./stats.js";
import type {
  Agent,
  AgentErrorInfo,
  AgentEvents,
  AgentListener,
  AgentOptions,
  AgentState,
  AgentStats,
} from "./types.js";
import { createUpstreamPool } from "./upstream-pool.js";

/**
 * Refusals that no retry can fix. `endpoint_taken` is one: reservations are permanent and
 * per token, and the relay hands a reconnecting owner its endpoint back (it replaces a stale
 * session), so "taken" always means another token. `replaced` is one too: a newer connection
 * with this token holds the endpoint, and dialling again would take it back from that agent,
 * which would take it back in turn (ARCHITECTURE.md, "The agent").
 */
const FATAL = new Set([
  "bad_token",
  "endpoint_taken",
  "endpoint_forbidden",
  "unsupported_protocol",
  "replaced",
]);

/**
 * A session must last this long before the backoff starts over: a relay that welcomes then
 * drops (or an older agent fighting over the endpoint) backs off like any failure.
 */
const STABLE_SESSION_MS = 10_000;

class TunnelAgent implements Agent {
  readonly #options: ResolvedAgentOptions;
  readonly #events: TypedEmitter<AgentEvents>;
  readonly #stats: StatsRecorder;
  readonly #recorder: CaptureRecorder;
  readonly #forward: ForwardSettings;
  readonly #pool: ReturnType<typeof createUpstreamPool>;
  readonly #inflight = new Set<Promise<void>>();
  readonly #ready: Promise<void>;
  #resolveReady!: () => void;
  #rejectReady!: (error: AgentError) => void;
  #state: AgentState = "connecting";
  #publicUrls: string[] = [];
  #lastError: AgentErrorInfo | null = null;
  #connection: RelayConnection | null = null;
  #retryTimer: NodeJS.Timeout | undefined;
  #attempt = 0;
  /** When the current connection was welcomed (monotonic ms), or null. */
  #welcomedAt: number | null = null;
  #closing: Promise<void> | undefined;

  constructor(options: ResolvedAgentOptions) {
    this.#options = options;
    this.#events = new TypedEmitter<AgentEvents>(options.logger);
    this.#stats = new StatsRecorder(options.now);
    this.#recorder = new CaptureRecorder(options.capture, options.endpoint, (error) =>
      this.#reportError(error),
    );
    this.#pool = createUpstreamPool(options.upstream, options.upstreamKeepAliveMs);
    this.#forward = {
      upstream: options.upstream,
      hostHeader: options.hostHeader,
      upstreamTimeoutMs: options.upstreamTimeoutMs,
      verifyUpstreamTls: options.verifyUpstreamTls,
      captureBodyLimitBytes: options.captureBodyLimitBytes,
      pool: this.#pool.agent,
      now: options.now,
    };
    this.#ready = new Promise<void>((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    // Callers that never call ready() must not see an unhandled rejection.
    this.#ready.catch(() => {});
    this.#dial();
  }

  get state(): AgentState {
    return this.#state;
  }

  get publicUrls(): string[] {
    return [...this.#publicUrls];
  }

  get endpoint(): string {
    return this.#options.endpoint;
  }

  get upstream(): string {
    return this.#options.upstream.href;
  }

  get stats(): AgentStats {
    return this.#stats.snapshot();
  }

  get lastError(): AgentErrorInfo | null {
    return this.#lastError === null ? null : { ...this.#lastError };
  }

  ready(): Promise<void> {
    return this.#ready;
  }

  on<K extends keyof AgentEvents>(event: K, listener: AgentListener<K>): void {
    this.#events.on(event, listener);
  }

  off<K extends keyof AgentEvents>(event: K, listener: AgentListener<K>): void {
    this.#events.off(event, listener);
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    clearTimeout(this.#retryTimer);
    this.#setState("closed", "closed by the agent");
    this.#rejectReady(
      new AgentError("closed", "the agent was closed before the relay welcomed it"),
    );
    const connection = this.#connection;
    this.#connection = null;
    await connection?.shutdown();
    // The connection's end failed every stream; their forwards settle and record now.
    await Promise.allSettled([...this.#inflight]);
    this.#recorder.close();
    this.#pool.close();
  }

  #dial(): void {
    const o = this.#options;
    this.#setState("connecting", this.#attempt === 0 ? null : `attempt ${this.#attempt + 1}`);
    const connection: RelayConnection = new RelayConnection(
      {
        connect:
          o.connect ??
          (() =>
            dialWebSocket(o.relayUrl ?? "", {
              handshakeTimeoutMs: o.heartbeatTimeoutMs,
              client: o.client,
            })),
        hello: {
          type: "hello",
          protocol: PROTOCOL_VERSION,
          token: o.token,
          endpoint: o.endpoint,
          policy: o.policy,
          client: o.client,
        },
        heartbeatTimeoutMs: o.heartbeatTimeoutMs,
        now: o.now,
        logger: o.logger,
      },
      {
        onWelcome: (welcome) => {
          if (this.#connection !== connection) return;
          this.#welcomedAt = performance.now();
          this.#lastError = null;
          this.#publicUrls = [...welcome.urls];
          o.logger.debug("welcomed by the relay", { sessionId: welcome.sessionId });
          this.#setState("online", null);
          this.#resolveReady();
        },
        onEdge: (report) => this.#onEdge(report),
        onRequest: (stream) => this.#onRequest(stream),
        onEnd: (end) => this.#onEnd(connection, end),
      },
    );
    this.#connection = connection;
  }

  #onEnd(connection: RelayConnection, end: ConnectionEnd): void {
    if (this.#connection !== connection || this.#state === "closed") return;
    this.#connection = null;
    this.#lastError = { code: end.code, message: end.message };
    const lasted = this.#welcomedAt === null ? 0 : performance.now() - this.#welcomedAt;
    this.#welcomedAt = null;
    if (lasted >= Math.min(STABLE_SESSION_MS, this.#options.heartbeatTimeoutMs)) this.#attempt = 0;
    if (FATAL.has(end.code)) {
      const reason =
        end.code === "replaced"
          ? `replaced by a newer connection for endpoint ${this.#options.endpoint}`
          : end.reason;
      this.#setState("closed", reason);
      this.#reportError(this.#lastError);
      this.#rejectReady(new AgentError("refused", reason, { reason: end.code }));
      return;
    }
    const delay = backoffDelayMs(this.#attempt, this.#options, this.#options.random);
    this.#attempt++;
    this.#setState("offline", end.reason, delay);
    this.#retryTimer = setTimeout(() => this.#dial(), delay);
  }

  #onRequest(stream: IncomingRequestStream): void {
    const started = this.#options.now();
    this.#stats.started();
    const id = this.#recorder.begin(stream.head, started);
    const work = forwardStream(stream, this.#forward).then(
      (outcome) => {
        this.#recorder.finish(id, stream.head, outcome);
        const status = outcome.response?.status ?? null;
        const durationMs = Math.max(0, outcome.doneAt - started);
        this.#stats.finished(status, durationMs, outcome.error !== null);
        const { head } = stream;
        this.#events.emit("exchange", {
          id,
          origin: head.origin,
          method: head.method,
          target: head.target,
          status,
          error: outcome.error,
          durationMs,
          receivedAt: head.receivedAt,
          queueId: head.origin === "queued" ? head.queueId : null,
          edgeReason: null,
        });
      },
      (error: unknown) => {
        // forwardStream settles every failure into its outcome; this is a bug's last stop.
        this.#stats.finished(null, 0, true);
        this.#reportError({
          code: "internal_error",
          message: `forwarding failed: ${error instanceof Error ? error.message : String(error)}`,
        });
      },
    );
    this.#inflight.add(work);
    void work.finally(() => this.#inflight.delete(work));
  }

  #onEdge(report: EdgeReport): void {
    const id = this.#recorder.edge(report);
    this.#events.emit("exchange", {
      id,
      origin: edgeOrigin(report.reason),
      method: report.request.method,
      target: report.request.target,
      status: report.response.status,
      error: null,
      durationMs: report.durationMs,
      receivedAt: report.receivedAt,
      queueId: report.queueId ?? null,
      edgeReason: report.reason,
    });
  }

  #setState(state: AgentState, reason: string | null, retryInMs: number | null = null): void {
    const previous = this.#state;
    if (previous === "closed") return;
    this.#state = state;
    this.#options.logger.debug(`tunnel ${state}`, reason === null ? {} : { reason });
    this.#events.emit("state", {
      state,
      previous,
      reason,
      retryInMs,
      publicUrls: [...this.#publicUrls],
    });
  }

  #reportError(error: AgentErrorInfo): void {
    // Reported through the event, which the CLI prints; the log keeps a trace for embedders.
    this.#options.logger.debug(error.message, { code: error.code });
    this.#events.emit("error", error);
  }
}

/**
 * Starts a tunnel agent: dials the relay (or opens `connect`'s in-process link) at once and
 * keeps doing so until `close()`. Throws
 * `AgentError` `invalid_option` for a bad option; everything after that is reported through
 * `state`, `lastError`, events and `ready()`.
 *
 * @example
 * const agent = startAgent({
 *   relayUrl: "ws://127.0.0.1:8080/_hooktap/agent",
 *   token: secret,
 *   endpoint: "local",
 *   upstream: "http://127.0.0.1:3000",
 *   capture: openSqliteCaptureStore(".hooktap/capture.db"),
 * });
 * await agent.ready();
 * agent.publicUrls; // ["http://127.0.0.1:8080/local"]
 * agent.on("exchange", (e) => print(`${e.method} ${e.target} ${e.status}`));
 * await agent.close();
 */
export function startAgent(options: AgentOptions): Agent {
  return new TunnelAgent(resolveAgentOptions(options));
}
