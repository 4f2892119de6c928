/**
 * One delivery request, now, with no retry, batching or chaos: what Preview and `trigger`
 * send. Unlike the engine's attempts it keeps the response headers, which the caller shows.
 */
import type { AnyLogEvent } from "../../okta/index.js";
import { prepareDelivery } from "../delivery/attempts.js";
import type { DeliveryAttemptRecord, DeliveryHook } from "../delivery/engine-types.js";
import { sendOutbound } from "../delivery/outbound.js";
import { toDeliveryLogEvent } from "../logic/log-event-shape.js";

/** What one request gave: the delivery log record and the response headers. */
export interface SentDelivery {
  record: DeliveryAttemptRecord;
  /** Response header pairs as received; empty when no response arrived. */
  responseHeaders: [string, string][];
}

/**
 * Sends `events` to `hook` in one envelope. Never rejects on network failures (they are in
 * the record).
 */
export async function sendOnce(
  hook: DeliveryHook,
  events: readonly AnyLogEvent[],
  options: { orgUrl: string; timeoutMs: number; signal: AbortSignal; now: () => number },
): Promise<SentDelivery> {
  const prepared = prepareDelivery(hook, events.map(toDeliveryLogEvent), {
    orgUrl: options.orgUrl,
    now: options.now(),
  });
  const sentAt = new Date(options.now()).toISOString();
  const result = await sendOutbound({
    url: prepared.url,
    method: "POST",
    headers: prepared.headers,
    body: prepared.body,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
  });
  const status = result.ok ? result.response.status : null;
  const success = status !== null && status >= 200 && status < 300;
  const failure = result.ok
    ? success
      ? null
      : { kind: "http_status" as const, message: `the endpoint answered ${status}` }
    : { kind: result.failure.kind, message: result.failure.message };
  return {
    record: {
      hookId: hook.id,
      deliveryId: prepared.deliveryId,
      eventIds: prepared.events.map((e) => e.uuid),
      eventTypes: prepared.events.map((e) => e.eventType),
      attempt: 1,
      duplicate: false,
      sentAt,
      request: { url: prepared.url, headers: prepared.headers, body: prepared.body },
      status,
      durationMs: result.durationMs,
      responseBody: result.ok ? result.response.body : null,
      outcome: failure === null ? "success" : "failure",
      failure,
      willRetry: false,
    },
    responseHeaders: result.ok ? result.response.headers : [],
  };
}
