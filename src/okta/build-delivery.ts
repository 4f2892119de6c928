/**
 * Wraps LogEvents in the event hook delivery envelope (shared spec §1.3) and serializes it the
 * way Okta sends it: compact JSON, envelope keys in Okta's order.
 */
import { DELIVERY_EVENT_TYPE, type Delivery } from "./delivery.js";
import { newUuidV4 } from "./ids.js";
import type { DeliveryLogEvent } from "./log-event.js";
import { isPlainObject } from "./merge-ordered.js";

/** Options of {@link buildDelivery}. */
export interface BuildDeliveryOptions {
  /** The hook the delivery is for (`who…`); it names the `source` URL. */
  hookId: string;
  /** The org's base URL, e.g. `https://dev-123456.okta.com` or an emulator's `http://127.0.0.1:8080`. */
  orgUrl: string;
  /** The delivery id (any UUID). @default a fresh v4 UUID */
  eventId?: string;
  /** When the request was built: ISO-8601 UTC. @default now, with milliseconds */
  eventTime?: string;
}

const HOOK_ID_SYNTAX = /^[A-Za-z0-9_-]+$/;
const UUID_SYNTAX = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_UTC_SYNTAX = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/**
 * The delivery Okta would POST for `events`: envelope keys in Okta's order (`eventType,
 * eventTypeVersion, cloudEventsVersion, source, eventId, data, eventTime, contentType`),
 * `source = ${orgUrl}/api/v1/eventHooks/${hookId}`.
 *
 * Like Okta, each event's `debugContext.debugData` names the hooks it was routed to: when an
 * event has a `debugData` object without `targetEventHookIds`, the copy in the delivery gets
 * `hookId`, placed before `url` as in the captures. An existing value is kept (a re-sent event
 * keeps the hooks of its first routing). The input events are never mutated; the delivery
 * shares their unchanged parts, so copy (`structuredClone`) before mutating either.
 *
 * @throws {TypeError} on a bad `hookId`, `orgUrl` (not absolute http(s), or with credentials,
 *   query or fragment), `eventId` (not a UUID) or `eventTime` (not ISO-8601 UTC), or no events.
 * @example
 * const delivery = buildDelivery([buildLogEvent("user.lifecycle.create")], {
 *   hookId: "who8vt36qfNpCGz9H1e6",
 *   orgUrl: "https://dev-123456.okta.com/",
 * });
 * delivery.source; // "https://dev-123456.okta.com/api/v1/eventHooks/who8vt36qfNpCGz9H1e6"
 */
export function buildDelivery<T extends string>(
  events: readonly DeliveryLogEvent<T>[],
  options: BuildDeliveryOptions,
): Delivery<DeliveryLogEvent<T>> {
  const { hookId, orgUrl, eventId, eventTime } = validateOptions(options);
  if (!Array.isArray(events) || events.length === 0) {
    throw new TypeError("buildDelivery: events must be a non-empty array (Okta never sends none)");
  }
  return {
    eventType: DELIVERY_EVENT_TYPE,
    eventTypeVersion: "1.0",
    cloudEventsVersion: "0.1",
    source: `${orgUrl}/api/v1/eventHooks/${hookId}`,
    eventId,
    data: { events: events.map((event) => withTargetHook(event, hookId)) },
    eventTime,
    contentType: "application/json",
  };
}

/**
 * The delivery body as Okta puts it on the wire: compact JSON, no whitespace between tokens.
 *
 * @example
 * serializeDelivery(delivery).startsWith('{"eventType":"com.okta.event_hook","eventTypeVersion":"1.0"'); // true
 */
export function serializeDelivery(delivery: Delivery<unknown>): string {
  return JSON.stringify(delivery);
}

function validateOptions(options: BuildDeliveryOptions): Required<BuildDeliveryOptions> {
  if (!isPlainObject(options)) throw new TypeError("buildDelivery: options must be an object");
  const { hookId, orgUrl, eventId, eventTime } = options;
  if (typeof hookId !== "string" || !HOOK_ID_SYNTAX.test(hookId)) {
    throw new TypeError(
      `buildDelivery: hookId must be an event hook id, got ${JSON.stringify(hookId)}`,
    );
  }
  if (eventId !== undefined && (typeof eventId !== "string" || !UUID_SYNTAX.test(eventId))) {
    throw new TypeError(`buildDelivery: eventId must be a UUID, got ${JSON.stringify(eventId)}`);
  }
  if (
    eventTime !== undefined &&
    (typeof eventTime !== "string" ||
      !ISO_UTC_SYNTAX.test(eventTime) ||
      Number.isNaN(Date.parse(eventTime)))
  ) {
    throw new TypeError(
      `buildDelivery: eventTime must be ISO-8601 UTC like 2019-10-24T14:21:37.009Z, got ${JSON.stringify(eventTime)}`,
    );
  }
  return {
    hookId,
    orgUrl: normalizeOrgUrl(orgUrl),
    eventId: eventId ?? newUuidV4(),
    eventTime: eventTime ?? new Date().toISOString(),
  };
}

/** `https://dev-123456.okta.com/` → `https://dev-123456.okta.com` (a path prefix is kept). */
function normalizeOrgUrl(orgUrl: unknown): string {
  const fail = (why: string): never => {
    throw new TypeError(
      `buildDelivery: orgUrl must be an absolute http(s) URL such as https://dev-123456.okta.com (${why}), got ${JSON.stringify(orgUrl)}`,
    );
  };
  if (typeof orgUrl !== "string") return fail("not a string");
  const url = parseUrl(orgUrl) ?? fail("not a URL");
  if (url.protocol !== "https:" && url.protocol !== "http:") fail("scheme is not http or https");
  if (url.username !== "" || url.password !== "") fail("credentials are not allowed");
  if (url.search !== "" || url.hash !== "" || /[?#]/.test(orgUrl))
    fail("query and fragment are not allowed");
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function withTargetHook<E extends DeliveryLogEvent>(event: E, hookId: string): E {
  const debugData = event.debugContext?.debugData;
  if (!isPlainObject(debugData) || Object.hasOwn(debugData, "targetEventHookIds")) return event;
  const entries = Object.entries(debugData);
  const at = entries.findIndex(([key]) => key === "url");
  entries.splice(at === -1 ? entries.length : at, 0, ["targetEventHookIds", hookId]);
  return {
    ...event,
    debugContext: { ...event.debugContext, debugData: Object.fromEntries(entries) },
  };
}
