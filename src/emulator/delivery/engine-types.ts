/**
 * The data that crosses the delivery engine's boundary: its settings, the hook and event it is
 * given, the attempt records it reports (the delivery log) and its statistics.
 */
import type { Logger } from "../../log/index.js";
import type { AnyLogEvent, DeliveryLogEvent } from "../../okta/index.js";
import type { DeliveryChannel } from "./channel.js";
import type { Clock } from "./clock.js";
import type { OutboundFailureKind, OutboundTlsOptions } from "./outbound.js";
import type { QuotaUsage } from "./quota.js";

/** The hook a delivery goes to: its id and its channel, auth value included. */
export interface DeliveryHook {
  /** `who…`; names the `source` URL and the `User-Agent`. */
  id: string;
  channel: DeliveryChannel;
}

/** Knobs to make deliveries misbehave the ways Okta is allowed to ("at least once, unordered"). */
export interface ChaosOptions {
  /** Probability, 0 to 1, that a delivery is sent a second time. @default 0 */
  duplicateRate?: number;
  /**
   * What the second copy is: `"same"` re-sends the identical request (same `eventId`, as a
   * lost acknowledgement would), `"new"` the same events in a fresh envelope (new `eventId`,
   * so only de-duplication on `data.events[].uuid` catches it). @default "same"
   */
  duplicateEnvelope?: "same" | "new";
  /**
   * Deliver out of order: deliveries ready within the window are held and released in random
   * order, and the events inside each batch are shuffled. `true` means a 2000 ms window.
   * @default false
   */
  reorder?: boolean | number;
  /** Delay each delivery by a uniformly random time in `[min, max]` ms. */
  delayMs?: readonly [number, number];
}

/** Settings of the delivery engine; every field but `orgUrl` has Okta's value as default. */
export interface DeliverySettings {
  /** The org's base URL: names the `source` of each delivery. A function is read per delivery. */
  orgUrl: string | (() => string);
  /**
   * Events for one hook that arrive within this many ms of the first go out in one request.
   * 0 sends every event alone, at once. @default 1000
   */
  batchWindowMs?: number;
  /** The most events in one request; a full batch goes out at once. @default 50 */
  maxBatchEvents?: number;
  /** Deadline of one attempt, body included. @default 3000 (Okta's) */
  timeoutMs?: number;
  /** Retries after a timeout, a connection failure or a 5xx (never after a 4xx). @default 1 (Okta's) */
  retries?: number;
  /** Pause before a retry. @default 1000 */
  retryDelayMs?: number;
  /** Requests in flight per hook at most; more wait in order. @default 8 */
  maxInFlightPerHook?: number;
  /** Events per org per 24 hours; beyond it events are refused. @default 400000 (Okta's) */
  dailyQuota?: number;
  /** Used count that triggers the quota warning. @default 70 % of `dailyQuota` (Okta's 280,000) */
  quotaWarningAt?: number;
  /** Bytes of each response body kept in attempt records. @default 65536 */
  responseBodyLimitBytes?: number;
  tls?: OutboundTlsOptions;
  chaos?: ChaosOptions;
}

/** Why an attempt failed: no (complete) response, or a non-2xx status. */
export type DeliveryFailureKind = OutboundFailureKind | "http_status";

/** One HTTP request of a delivery: a row of the delivery log. */
export interface DeliveryAttemptRecord {
  hookId: string;
  /** The envelope's `eventId`. */
  deliveryId: string;
  /** `uuid` of each event in the request, in request order. */
  eventIds: string[];
  eventTypes: string[];
  /** 1 for the first request, 2 for the retry. */
  attempt: number;
  /** Whether this request is a copy injected by `chaos.duplicateRate`. */
  duplicate: boolean;
  /** ISO-8601 time the request was sent. */
  sentAt: string;
  request: { url: string; headers: [string, string][]; body: string };
  /** The response status; `null` when no complete response arrived. */
  status: number | null;
  durationMs: number;
  /** The response body (capped); `null` when no complete response arrived. */
  responseBody: string | null;
  /** The response header pairs as received; absent when no complete response arrived. */
  responseHeaders?: [string, string][];
  outcome: "success" | "failure";
  failure: { kind: DeliveryFailureKind; message: string } | null;
  /** Whether another attempt follows this failed one. */
  willRetry: boolean;
}

/** Why a delivery was given up, for `event_hook.delivery` in the System Log. */
export interface DeliveryFailureCause {
  kind: DeliveryFailureKind;
  /** For people: e.g. `the endpoint answered 500` or `… sent no complete response within 3000 ms`. */
  message: string;
  /** The last status, when there was a response. */
  status: number | null;
  deliveryId: string;
  attempts: number;
}

/** Where the engine stands. */
export interface DeliveryStats {
  /** Events accepted by `enqueue`. */
  enqueued: number;
  /** Events refused by `enqueue` (quota used up, engine closed). */
  refused: number;
  /** Events in open batches, waiting for their window to end. */
  batched: number;
  /** Requests waiting for a free slot, a chaos delay or a retry. */
  waiting: number;
  inFlight: number;
  /** Requests sent, retries and duplicates included. */
  attempts: number;
  retries: number;
  duplicates: number;
  /** Events whose delivery succeeded / was given up. */
  delivered: number;
  failed: number;
  quota: QuotaUsage;
}

/** What `enqueue` did with an event. */
export type EnqueueResult =
  | { accepted: true }
  | { accepted: false; reason: "quota_exceeded" | "closed" };

/** The final outcome of one delivery (after its retries). */
export interface DeliveryResult {
  ok: boolean;
  deliveryId: string;
  attempts: DeliveryAttemptRecord[];
  /** Absent on success. */
  cause?: DeliveryFailureCause;
}

/** What the engine is built from. */
export interface DeliveryEngineOptions {
  options: DeliverySettings;
  logger?: Logger;
  clock?: Clock;
  /** Random numbers in [0, 1) for the chaos knobs. @default Math.random */
  random?: () => number;
  /** Every request made, as it completes: the delivery log. */
  onAttempt?: (record: DeliveryAttemptRecord) => void;
  /** A delivery given up after its retries (the caller logs `event_hook.delivery`). */
  onFailure?: (hook: DeliveryHook, events: DeliveryLogEvent[], cause: DeliveryFailureCause) => void;
  /** The daily quota reached its warning threshold (once per period). */
  onQuotaWarning?: (usage: QuotaUsage) => void;
  /** The daily quota is used up: the first refused event of the period. */
  onQuotaExceeded?: (usage: QuotaUsage) => void;
}

/** The delivery engine. */
export interface DeliveryEngine {
  /**
   * Queues `event` for `hook`: batched with the hook's other recent events, then delivered with
   * Okta's timeout and retry. The caller has already decided that the hook gets the event
   * (`hookMatchesEvent`). Either LogEvent shape is accepted.
   *
   * @throws {TypeError} on a hook without an id or channel URI, or an event without `uuid`
   *   and `eventType` (nothing is queued).
   */
  enqueue(hook: DeliveryHook, event: AnyLogEvent): EnqueueResult;
  /**
   * Delivers `events` to `hook` in one request now: no batching, quota or chaos (what the
   * Admin Console's Preview and a trigger do); retries unless `retries: 0`. Failures are in
   * the result; it rejects only on bad input (`TypeError`, as `enqueue` throws).
   */
  deliverNow(
    hook: DeliveryHook,
    events: readonly AnyLogEvent[],
    options?: { retries?: number },
  ): Promise<DeliveryResult>;
  /** Ends every open batch now and resolves once everything queued so far is settled. */
  flush(): Promise<void>;
  /**
   * Stops: refuses new events, drops open batches and waiting requests, aborts the requests
   * in flight (not reported as attempts) and closes the connections.
   */
  close(): Promise<void>;
  stats(): DeliveryStats;
}
