/**
 * Builds realistic LogEvents in the shape Okta puts inside event hook deliveries (shared spec
 * §1.4, §2): every key Okta sends, in Okta's order, with ids in Okta's formats, targets per
 * {@link targetTypesOf} and a `debugData` consistent with the event type.
 */
import { describeEventType, targetTypesOf } from "./catalog.js";
import { legacyEventTypeOf, nonCatalogMessageOf, requestOf } from "./event-templates.js";
import {
  newExternalSessionId,
  newGroupId,
  newOktaId,
  newRequestId,
  newUserId,
  newUuidV1,
  type RandomBytes,
} from "./ids.js";
import type {
  DeliveryLogClient,
  DeliveryLogEvent,
  GeographicalContext,
  LogTarget,
} from "./log-event.js";
import { isPlainObject, mergeOrdered } from "./merge-ordered.js";
import { sampleAdminActor, samplePerson, sampleTarget } from "./sample-entities.js";

/** Deep-partial of a value; arrays are replaced whole, never merged. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/**
 * Fields to change in a generated event. Objects merge into the defaults keeping Okta's key
 * order; arrays and `null` replace. `target` replaces the whole list, but each entry may be
 * partial: it is completed from a generated target of its `type` (default: the type the event
 * would have had at that position, else `User`). `eventType` comes from the first argument of
 * {@link buildLogEvent} and cannot be overridden. Keys the type does not know (from JSON input)
 * are appended after the known ones.
 */
export type LogEventOverrides = DeepPartial<Omit<DeliveryLogEvent, "eventType" | "target">> & {
  target?: Partial<LogTarget>[] | null;
};

/** Options of {@link buildLogEvent}. */
export interface BuildLogEventOptions {
  /** Clock, in epoch milliseconds: drives `published`, `uuid` and the request id. @default Date.now */
  now?: () => number;
  /** Random source for ids and sample names, for deterministic output. @default crypto.randomBytes */
  random?: RandomBytes;
}

const EVENT_TYPE_SYNTAX = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)+$/;

const TORONTO: GeographicalContext = {
  city: "Toronto",
  state: "Ontario",
  country: "Canada",
  postalCode: "M4M",
  geolocation: { lat: 43.6567, lon: -79.34 },
};

/**
 * A LogEvent of `type` as Okta would deliver it: an administrator (the actor) acting from a
 * browser, `SUCCESS`, targets per {@link targetTypesOf}, `displayMessage` from the catalog,
 * `legacyEventType` where a real pair is known. Any string of Okta's dotted form is accepted
 * (the emulator also emits non-eligible types such as `event_hook.verified`).
 *
 * @throws {TypeError} when `type` is not a dotted event type or `overrides` is not an object.
 * @example
 * const event = buildLogEvent("group.user_membership.add", {
 *   target: [{ type: "User", alternateId: "kim@example.com" }, { type: "UserGroup", displayName: "Sales" }],
 * });
 * event.target?.map((t) => t.type); // ["User", "UserGroup"]
 */
export function buildLogEvent<T extends string>(
  type: T,
  overrides: LogEventOverrides = {},
  options: BuildLogEventOptions = {},
): DeliveryLogEvent<T> {
  if (typeof type !== "string" || !EVENT_TYPE_SYNTAX.test(type)) {
    throw new TypeError(`buildLogEvent: not an Okta event type: ${JSON.stringify(type)}`);
  }
  if (!isPlainObject(overrides)) throw new TypeError("buildLogEvent: overrides must be an object");
  const idOptions = options.random === undefined ? {} : { random: options.random };
  const nowMs = timeOf(overrides.published) ?? (options.now ?? Date.now)();
  const timed = { ...idOptions, now: nowMs };

  const target = buildTargets(type, overrides.target, idOptions);
  const requestId = requestIdOf(overrides) ?? newRequestId(timed);
  const request = requestOf(type, {
    user: idOfType(target, "User") ?? newUserId(idOptions),
    group: idOfType(target, "UserGroup") ?? newGroupId(idOptions),
    app: idOfType(target, "AppInstance") ?? newOktaId("0oa", idOptions),
    device: idOfType(target, "Device") ?? newOktaId("guo", idOptions),
    policy: idOfType(target, "PolicyEntity") ?? newOktaId("00p", idOptions),
    hook: idOfType(target, "EventHook") ?? newOktaId("who", idOptions),
  });

  const base: DeliveryLogEvent<T> = {
    uuid: newUuidV1(timed),
    published: new Date(nowMs).toISOString(),
    eventType: type,
    version: "0",
    displayMessage: describeEventType(type)?.summary ?? nonCatalogMessageOf(type),
    severity: "INFO",
    client: browserClient(),
    device: null,
    actor: sampleAdminActor(idOptions),
    outcome: { result: "SUCCESS", reason: null },
    target,
    transaction: { type: "WEB", id: requestId, detail: {} },
    debugContext: {
      debugData: {
        requestId,
        requestUri: request.requestUri,
        ...request.extraDebugData,
        url: request.url,
      },
    },
    legacyEventType: legacyEventTypeOf(type),
    authenticationContext: {
      authenticationProvider: null,
      credentialProvider: null,
      credentialType: null,
      issuer: null,
      authenticationStep: 0,
      externalSessionId: newExternalSessionId(idOptions),
      interface: null,
    },
    securityContext: { asNumber: null, asOrg: null, isp: null, domain: null, isProxy: null },
    insertionTimestamp: null,
  };
  const { target: _target, eventType: _eventType, ...rest } = overrides as Record<string, unknown>;
  return mergeOrdered(base, rest);
}

function buildTargets(
  type: string,
  override: LogEventOverrides["target"],
  idOptions: { random?: RandomBytes },
): LogTarget[] | null {
  const types = targetTypesOf(type);
  const person = samplePerson(idOptions);
  if (override === null) return null;
  if (override === undefined) return types.map((t) => sampleTarget(t, person, idOptions));
  if (!Array.isArray(override))
    throw new TypeError("buildLogEvent: target must be an array or null");
  return override.map((entry, i) => {
    if (!isPlainObject(entry)) throw new TypeError(`buildLogEvent: target[${i}] must be an object`);
    const targetType = typeof entry.type === "string" ? entry.type : (types[i] ?? "User");
    return mergeOrdered(sampleTarget(targetType, person, idOptions), entry);
  });
}

function idOfType(targets: LogTarget[] | null, type: string): string | undefined {
  return targets?.find((t) => t.type === type)?.id;
}

/** An explicit `transaction.id` also becomes `debugData.requestId`, as in Okta's events. */
function requestIdOf(overrides: LogEventOverrides): string | undefined {
  const id = overrides.transaction?.id;
  return typeof id === "string" && id !== "unknown" ? id : undefined;
}

function timeOf(published: unknown): number | undefined {
  if (typeof published !== "string") return undefined;
  const ms = Date.parse(published);
  return Number.isNaN(ms) ? undefined : ms;
}

/** An admin's desktop Chrome, from a documentation address (RFC 5737), as in shared spec §1.5. */
function browserClient(): DeliveryLogClient {
  return {
    userAgent: {
      rawUserAgent:
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36",
      os: "Mac OS X",
      browser: "CHROME",
    },
    zone: "null",
    device: "Computer",
    id: null,
    ipAddress: "203.0.113.24",
    geographicalContext: structuredClone(TORONTO),
    ipChain: [
      {
        ip: "203.0.113.24",
        geographicalContext: structuredClone(TORONTO),
        version: "V4",
        source: null,
      },
    ],
  };
}
