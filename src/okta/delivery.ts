import type { DeliveryLogEvent } from "./log-event.js";

/** The constant `eventType` of every event hook delivery envelope. */
export const DELIVERY_EVENT_TYPE = "com.okta.event_hook";

/**
 * The body of an event hook delivery request (shared spec §1.3), CloudEvents 0.1-flavoured.
 * Wire key order: `eventType, eventTypeVersion, cloudEventsVersion, source, eventId, data,
 * eventTime, contentType`; compact JSON.
 */
export interface Delivery<E = DeliveryLogEvent> {
  eventType: typeof DELIVERY_EVENT_TYPE;
  eventTypeVersion: "1.0";
  cloudEventsVersion: "0.1";
  /** `https://{org}/api/v1/eventHooks/{hookId}`. */
  source: string;
  /** Random (v4) UUID of this delivery request; receivers de-duplicate on it. */
  eventId: string;
  data: { events: E[] };
  /** When the request was built, ISO-8601 UTC with milliseconds. */
  eventTime: string;
  contentType: "application/json";
}

/** The header Okta's one-time verification GET carries. */
export const VERIFICATION_CHALLENGE_HEADER = "x-okta-verification-challenge";

/** Okta's per-request timeout for deliveries and verification, in milliseconds. */
export const OKTA_TIMEOUT_MS = 3_000;

/** The `User-Agent` Okta sends on deliveries (observed; undocumented). */
export function oktaUserAgent(hookId: string): string {
  return `Okta Hook Service v1.0.0 - ${hookId}`;
}
