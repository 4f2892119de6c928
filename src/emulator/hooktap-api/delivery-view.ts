/**
 * How the emulator's own API shows one delivery request it made (Preview, trigger): where it
 * went, what was sent, and what came back.
 */
import type { SentDelivery } from "../dispatch/send-once.js";
import type { StoredEventHook } from "../store/types.js";

/** One delivery, as the API answers it. */
export interface DeliveryView {
  hookId: string;
  hookName: string;
  url: string;
  deliveryId: string;
  eventTypes: string[];
  /** The request sent: header pairs (the auth header included: it is the user's own) and body. */
  request: { headers: [string, string][]; body: string };
  /** `null` when no complete response arrived (see `failure`). */
  response: {
    status: number;
    headers: [string, string][];
    body: string | null;
    durationMs: number;
  } | null;
  outcome: "success" | "failure";
  failure: { kind: string; message: string } | null;
}

/** The view of `sent`, made to `hook`. */
export function deliveryView(hook: StoredEventHook, sent: SentDelivery): DeliveryView {
  const { record } = sent;
  return {
    hookId: hook.id,
    hookName: hook.name,
    url: record.request.url,
    deliveryId: record.deliveryId,
    eventTypes: record.eventTypes,
    request: { headers: record.request.headers, body: record.request.body },
    response:
      record.status === null
        ? null
        : {
            status: record.status,
            headers: sent.responseHeaders,
            body: record.responseBody,
            durationMs: record.durationMs,
          },
    outcome: record.outcome,
    failure: record.failure,
  };
}
