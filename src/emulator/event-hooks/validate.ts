/**
 * The EventHook body of a create or replace, checked field by field (shared spec §5.2) and
 * turned into what the store keeps. Every problem becomes one `errorCauses` entry of an
 * E0000001 (`<field>: <message>`), so one answer lists everything to fix.
 */

import { isHttpFieldValue, isHttpToken } from "../../http/index.js";
import type { EventHookFilters, EventHookStatus } from "../../okta/index.js";
import { FilterSyntaxError, isEventHookEligible, parseFilter } from "../../okta/index.js";
import { OktaApiError } from "../http/okta-api-error.js";
import type { StoredAuthScheme, StoredChannel } from "../store/types.js";
import { uriProblem } from "./uri-rules.js";

/** Okta's maximum number of event types per hook. */
export const MAX_EVENT_TYPES_PER_HOOK = 300;
/** Okta's maximum name length (legacy reference). */
export const MAX_NAME_LENGTH = 255;
/** Our cap on the description (Okta does not document one). */
export const MAX_DESCRIPTION_LENGTH = 1024;

/**
 * Custom header names Okta's delivery sets itself, refused in `channel.config.headers` (the
 * legacy reference: "some reserved headers, such as Accept, are disallowed").
 */
export const RESERVED_HEADER_NAMES: readonly string[] = [
  "accept",
  "content-type",
  "content-length",
  "host",
  "user-agent",
  "connection",
  "transfer-encoding",
  "x-okta-verification-challenge",
];

/** A checked create/replace body. `authScheme.value` is `undefined` when it was omitted. */
export interface EventHookInput {
  name: string;
  description: string | null;
  /** `undefined` when the body has none. */
  status: EventHookStatus | undefined;
  events: { type: "EVENT_TYPE"; items: string[]; filter: EventHookFilters | null };
  channel: Omit<StoredChannel, "config"> & {
    config: Omit<StoredChannel["config"], "authScheme"> & {
      authScheme: (Omit<StoredAuthScheme, "value"> & { value: string | undefined }) | null;
    };
  };
}

/** Keys a body may carry; read-only ones are accepted and ignored (SDKs send them back). */
const TOP_KEYS = [
  "id",
  "status",
  "verificationStatus",
  "name",
  "description",
  "created",
  "createdBy",
  "lastUpdated",
  "events",
  "channel",
  "_links",
];

type Cause = { field: string; message: string };
type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

class Checker {
  readonly causes: Cause[] = [];

  fail(field: string, message: string): undefined {
    this.causes.push({ field, message });
    return undefined;
  }

  onlyKeys(value: Json, allowed: readonly string[], prefix: string): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        this.fail(`${prefix}${key}`, `unknown property; allowed: ${allowed.join(", ")}`);
      }
    }
  }

  object(value: unknown, field: string): Json | undefined {
    if (value === undefined || value === null)
      return this.fail(field, "The field cannot be left blank");
    if (!isObject(value)) return this.fail(field, "must be an object");
    return value;
  }

  string(value: unknown, field: string, max: number): string | undefined {
    if (value === undefined || value === null || value === "") {
      return this.fail(field, "The field cannot be left blank");
    }
    if (typeof value !== "string") return this.fail(field, "must be a string");
    if (value.length > max) return this.fail(field, `must be at most ${max} characters`);
    return value;
  }

  constant<T extends string>(value: unknown, field: string, expected: T): T | undefined {
    if (value === undefined || value === null)
      return this.fail(field, "The field cannot be left blank");
    if (value !== expected) return this.fail(field, `must be '${expected}'`);
    return expected;
  }
}

/**
 * Checks a create/replace body. Throws E0000003 when it is not a JSON object, E0000001 listing
 * every problem otherwise.
 *
 * @example
 * const input = parseEventHookInput(await context.readJson(), { requireHttps: false });
 */
export function parseEventHookInput(
  body: unknown,
  options: { requireHttps: boolean },
): EventHookInput {
  if (!isObject(body)) {
    throw OktaApiError.malformedBody("body: must be a JSON object (an EventHook)");
  }
  const c = new Checker();
  c.onlyKeys(body, TOP_KEYS, "");
  const name = c.string(body.name, "name", MAX_NAME_LENGTH);
  const description = parseDescription(c, body.description);
  const status = parseStatus(c, body.status);
  const events = parseEvents(c, body.events);
  const channel = parseChannel(c, body.channel, options);
  if (c.causes.length > 0 || name === undefined || events === undefined || channel === undefined) {
    throw OktaApiError.validation(c.causes);
  }
  return { name, description, status, events, channel };
}

function parseDescription(c: Checker, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") return c.fail("description", "must be a string or null") ?? null;
  if (value.length > MAX_DESCRIPTION_LENGTH) {
    return c.fail("description", `must be at most ${MAX_DESCRIPTION_LENGTH} characters`) ?? null;
  }
  return value;
}

function parseStatus(c: Checker, value: unknown): EventHookStatus | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === "ACTIVE" || value === "INACTIVE") return value;
  return c.fail("status", "must be 'ACTIVE' or 'INACTIVE'");
}

function parseEvents(c: Checker, value: unknown): EventHookInput["events"] | undefined {
  const events = c.object(value, "events");
  if (events === undefined) return undefined;
  c.onlyKeys(events, ["type", "items", "filter"], "events.");
  c.constant(events.type, "events.type", "EVENT_TYPE");
  const items = parseItems(c, events.items);
  if (items === undefined) return undefined;
  const filter = parseFilters(c, events.filter, items);
  return { type: "EVENT_TYPE", items, filter };
}

function parseItems(c: Checker, value: unknown): string[] | undefined {
  if (value === undefined || value === null)
    return c.fail("events.items", "The field cannot be left blank");
  if (!Array.isArray(value)) return c.fail("events.items", "must be an array of event types");
  if (value.length === 0) return c.fail("events.items", "must name at least one event type");
  const items: string[] = [];
  let ok = true;
  value.forEach((item, i) => {
    if (typeof item !== "string") {
      ok = false;
      c.fail(`events.items[${i}]`, "must be a string");
    } else if (!isEventHookEligible(item)) {
      ok = false;
      c.fail(
        `events.items[${i}]`,
        `'${item}' is not an event type event hooks can subscribe to (see Okta's event types catalog, tag event-hook-eligible)`,
      );
    } else if (!items.includes(item)) {
      items.push(item);
    }
  });
  if (items.length > MAX_EVENT_TYPES_PER_HOOK) {
    return c.fail(
      "events.items",
      `must name at most ${MAX_EVENT_TYPES_PER_HOOK} event types, got ${items.length}`,
    );
  }
  return ok ? items : undefined;
}

function parseFilters(
  c: Checker,
  value: unknown,
  items: readonly string[],
): EventHookFilters | null {
  if (value === undefined || value === null) return null;
  const field = "events.filter";
  if (!isObject(value)) return c.fail(field, "must be an object or null") ?? null;
  c.onlyKeys(value, ["type", "eventFilterMap"], `${field}.`);
  if (value.type !== undefined && value.type !== null && value.type !== "EXPRESSION_LANGUAGE") {
    c.fail(`${field}.type`, "must be 'EXPRESSION_LANGUAGE'");
  }
  const map = value.eventFilterMap;
  if (!Array.isArray(map)) return c.fail(`${field}.eventFilterMap`, "must be an array") ?? null;
  const seen = new Set<string>();
  const entries: EventHookFilters["eventFilterMap"] = [];
  for (const [i, entry] of (map as unknown[]).entries()) {
    const at = `${field}.eventFilterMap[${i}]`;
    const checked = parseFilterEntry(c, entry, at, items, seen);
    if (checked !== undefined) entries.push(checked);
  }
  return { type: "EXPRESSION_LANGUAGE", eventFilterMap: entries };
}

function parseFilterEntry(
  c: Checker,
  entry: unknown,
  at: string,
  items: readonly string[],
  seen: Set<string>,
): EventHookFilters["eventFilterMap"][number] | undefined {
  if (!isObject(entry)) return c.fail(at, "must be an object");
  c.onlyKeys(entry, ["event", "condition"], `${at}.`);
  const event = entry.event;
  if (typeof event !== "string" || event === "") {
    return c.fail(`${at}.event`, "The field cannot be left blank");
  }
  if (!items.includes(event)) return c.fail(`${at}.event`, `'${event}' is not one of events.items`);
  if (seen.has(event)) return c.fail(`${at}.event`, `'${event}' has more than one filter`);
  seen.add(event);
  const condition = c.object(entry.condition, `${at}.condition`);
  if (condition === undefined) return undefined;
  c.onlyKeys(condition, ["expression", "version"], `${at}.condition.`);
  const expression = c.string(condition.expression, `${at}.condition.expression`, 4096);
  if (expression === undefined) return undefined;
  try {
    parseFilter(expression);
  } catch (error) {
    if (!(error instanceof FilterSyntaxError)) throw error;
    return c.fail(
      `${at}.condition.expression`,
      `invalid filter expression '${expression}': ${error.message}`,
    );
  }
  return { event, condition: { expression, version: null } };
}

function parseChannel(
  c: Checker,
  value: unknown,
  options: { requireHttps: boolean },
): EventHookInput["channel"] | undefined {
  const channel = c.object(value, "channel");
  if (channel === undefined) return undefined;
  c.onlyKeys(channel, ["type", "version", "config"], "channel.");
  c.constant(channel.type, "channel.type", "HTTP");
  c.constant(channel.version, "channel.version", "1.0.0");
  const config = c.object(channel.config, "channel.config");
  if (config === undefined) return undefined;
  c.onlyKeys(config, ["uri", "headers", "method", "authScheme"], "channel.config.");
  let uri = c.string(config.uri, "channel.config.uri", Number.MAX_SAFE_INTEGER);
  if (uri !== undefined) {
    const problem = uriProblem(uri, options);
    if (problem !== undefined) uri = c.fail("channel.config.uri", problem);
  }
  if (config.method !== undefined && config.method !== null && config.method !== "POST") {
    c.fail("channel.config.method", "is read-only and always 'POST'");
  }
  const authScheme = parseAuthScheme(c, config.authScheme);
  const headers = parseHeaders(c, config.headers, authScheme?.key);
  if (uri === undefined || headers === undefined || authScheme === undefined) return undefined;
  return { type: "HTTP", version: "1.0.0", config: { uri, headers, method: "POST", authScheme } };
}

function parseAuthScheme(
  c: Checker,
  value: unknown,
): EventHookInput["channel"]["config"]["authScheme"] | undefined {
  if (value === null || value === undefined) return null;
  const field = "channel.config.authScheme";
  if (!isObject(value)) return c.fail(field, "must be an object or null");
  c.onlyKeys(value, ["type", "key", "value"], `${field}.`);
  c.constant(value.type, `${field}.type`, "HEADER");
  const key = c.string(value.key, `${field}.key`, 256);
  if (key !== undefined && !isHttpToken(key))
    return c.fail(`${field}.key`, `'${key}' is not a valid header name`);
  let secret: string | undefined;
  if (value.value !== undefined && value.value !== null) {
    secret = c.string(value.value, `${field}.value`, 8192);
    if (secret !== undefined && !isHttpFieldValue(secret)) {
      return c.fail(`${field}.value`, "must not contain control characters");
    }
    if (secret === undefined) return undefined;
  }
  if (key === undefined) return undefined;
  return { type: "HEADER", key, value: secret };
}

function parseHeaders(
  c: Checker,
  value: unknown,
  authKey: string | undefined,
): { key: string; value: string }[] | undefined {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    return c.fail("channel.config.headers", "must be an array of {key, value}");
  const headers: { key: string; value: string }[] = [];
  let ok = true;
  for (const [i, entry] of (value as unknown[]).entries()) {
    const header = parseHeader(c, entry, `channel.config.headers[${i}]`, authKey);
    if (header === undefined) ok = false;
    else headers.push(header);
  }
  return ok ? headers : undefined;
}

function parseHeader(
  c: Checker,
  entry: unknown,
  at: string,
  authKey: string | undefined,
): { key: string; value: string } | undefined {
  if (!isObject(entry)) return c.fail(at, "must be an object {key, value}");
  c.onlyKeys(entry, ["key", "value"], `${at}.`);
  const key = c.string(entry.key, `${at}.key`, 256);
  const value = entry.value;
  if (typeof value !== "string") return c.fail(`${at}.value`, "must be a string");
  if (!isHttpFieldValue(value)) return c.fail(`${at}.value`, "must not contain control characters");
  if (key === undefined) return undefined;
  if (!isHttpToken(key)) return c.fail(`${at}.key`, `'${key}' is not a valid header name`);
  const lower = key.toLowerCase();
  if (RESERVED_HEADER_NAMES.includes(lower)) {
    return c.fail(`${at}.key`, `'${key}' is reserved: Okta sets it on every delivery`);
  }
  if (authKey !== undefined && lower === authKey.toLowerCase()) {
    return c.fail(`${at}.key`, `'${key}' is already the authScheme header`);
  }
  return { key, value };
}
