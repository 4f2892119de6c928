/**
 * One delivery, from envelope to final outcome: the request Okta would send (shared spec §1),
 * then the attempts — a retry after a timeout, a connection failure or a 5xx, none after a 3xx
 * or 4xx (§4) — each reported as a delivery log record.
 */
import type http from "node:http";
import {
  buildDelivery,
  type DeliveryLogEvent,
  oktaUserAgent,
  serializeDelivery,
} from "../../okta/index.js";
import { channelHeaders } from "./channel.js";
import type { Clock } from "./clock.js";
import type {
  DeliveryAttemptRecord,
  DeliveryFailureCause,
  DeliveryFailureKind,
  DeliveryHook,
  DeliveryResult,
} from "./engine-types.js";
import { type OutboundResult, type OutboundTlsOptions, sendOutbound } from "./outbound.js";

/** A delivery ready to send: envelope built and serialized once, for every attempt. */
export interface PreparedDelivery {
  hook: DeliveryHook;
  /** The events as delivered (with `targetEventHookIds`). */
  events: DeliveryLogEvent[];
  deliveryId: string;
  url: string;
  headers: [string, string][];
  body: string;
  duplicate: boolean;
}

/**
 * Builds the request for `events` (already in delivery shape): compact envelope, and the
 * headers in the order of Okta's captures — `Accept`, `Content-Type`, the auth header, the
 * custom headers, `User-Agent`, `Connection` (`Content-Length` is added on send).
 *
 * @throws {TypeError} from `buildDelivery` on a bad hook id or org URL.
 * @example
 * const prepared = prepareDelivery(hook, [event], { orgUrl, now: Date.now() });
 */
export function prepareDelivery(
  hook: DeliveryHook,
  events: readonly DeliveryLogEvent[],
  at: { orgUrl: string; now: number; duplicate?: boolean },
): PreparedDelivery {
  const delivery = buildDelivery(events, {
    hookId: hook.id,
    orgUrl: at.orgUrl,
    eventTime: new Date(at.now).toISOString(),
  });
  return {
    hook,
    events: delivery.data.events,
    deliveryId: delivery.eventId,
    url: hook.channel.uri,
    headers: [
      ["Accept", "application/json"],
      ["Content-Type", "application/json"],
      ...channelHeaders(hook.channel),
      ["User-Agent", oktaUserAgent(hook.id)],
      ["Connection", "keep-alive"],
    ],
    body: serializeDelivery(delivery),
    duplicate: at.duplicate ?? false,
  };
}

/** What {@link runAttempts} needs of the engine. */
export interface AttemptContext {
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  responseBodyLimitBytes: number;
  tls: OutboundTlsOptions;
  agentFor(url: string): http.Agent;
  clock: Clock;
  /** Aborting it stops the delivery: no further attempt, no report. */
  signal: AbortSignal;
  /** Waits `ms` on the engine's clock; resolves `false` when aborted. */
  wait(ms: number): Promise<boolean>;
  report(record: DeliveryAttemptRecord): void;
}

/**
 * Sends `prepared` until it succeeds or its retries are spent. Resolves `null` when the
 * engine aborted it (nothing is reported for an aborted request). Never rejects.
 *
 * @example
 * const result = await runAttempts(prepared, context);
 * if (result && !result.ok) onFailure(prepared.hook, prepared.events, result.cause);
 */
export async function runAttempts(
  prepared: PreparedDelivery,
  context: AttemptContext,
): Promise<DeliveryResult | null> {
  const records: DeliveryAttemptRecord[] = [];
  const last = 1 + context.retries;
  for (let attempt = 1; attempt <= last; attempt++) {
    if (context.signal.aborted) return null;
    const sentAt = new Date(context.clock.now()).toISOString();
    const result = await sendOutbound({
      url: prepared.url,
      method: "POST",
      headers: prepared.headers,
      body: prepared.body,
      timeoutMs: context.timeoutMs,
      responseBodyLimitBytes: context.responseBodyLimitBytes,
      signal: context.signal,
      agent: context.agentFor(prepared.url),
      tls: context.tls,
    });
    if (context.signal.aborted) return null;
    const failure = failureOf(result);
    const willRetry = failure?.retryable === true && attempt < last;
    const record: DeliveryAttemptRecord = {
      hookId: prepared.hook.id,
      deliveryId: prepared.deliveryId,
      eventIds: prepared.events.map((event) => event.uuid),
      eventTypes: prepared.events.map((event) => event.eventType),
      attempt,
      duplicate: prepared.duplicate,
      sentAt,
      request: { url: prepared.url, headers: prepared.headers, body: prepared.body },
      status: result.ok ? result.response.status : null,
      durationMs: result.durationMs,
      responseBody: result.ok ? result.response.body : null,
      ...(result.ok ? { responseHeaders: result.response.headers } : {}),
      outcome: failure === null ? "success" : "failure",
      failure: failure === null ? null : { kind: failure.kind, message: failure.message },
      willRetry,
    };
    records.push(record);
    context.report(record);
    if (failure === null) return { ok: true, deliveryId: prepared.deliveryId, attempts: records };
    if (!willRetry) {
      const cause: DeliveryFailureCause = {
        kind: failure.kind,
        message: failure.message,
        status: record.status,
        deliveryId: prepared.deliveryId,
        attempts: attempt,
      };
      return { ok: false, deliveryId: prepared.deliveryId, attempts: records, cause };
    }
    if (!(await context.wait(context.retryDelayMs))) return null;
  }
  return null;
}

interface Failure {
  kind: DeliveryFailureKind;
  message: string;
  retryable: boolean;
}

/** `null` for a 2xx. */
function failureOf(result: OutboundResult): Failure | null {
  if (!result.ok) {
    const { kind, message } = result.failure;
    return { kind, message, retryable: kind !== "aborted" && kind !== "invalid_request" };
  }
  const { status } = result.response;
  if (status >= 200 && status < 300) return null;
  const redirect = status >= 300 && status < 400 ? " (a redirect: not followed)" : "";
  return {
    kind: "http_status",
    message: `the endpoint answered ${status}${redirect}`,
    retryable: status >= 500,
  };
}
