/**
 * The two wire shapes of a LogEvent (shared spec §1.4): deliveries carry `client.ipChain`, a
 * `device: null`, `insertionTimestamp: null` and `client.zone` as the *string* `"null"`; the
 * System Log API carries `request.ipChain` and no `insertionTimestamp`. The emulator stores
 * System Log events and delivers delivery-shaped copies.
 */
import type {
  AnyLogEvent,
  DeliveryLogClient,
  DeliveryLogEvent,
  IpAddress,
  LogClient,
  SystemLogEvent,
} from "../../okta/index.js";

/** Delivery key order (shared spec §1.4). */
const DELIVERY_ORDER = [
  "uuid",
  "published",
  "eventType",
  "version",
  "displayMessage",
  "severity",
  "client",
  "device",
  "actor",
  "outcome",
  "target",
  "transaction",
  "debugContext",
  "legacyEventType",
  "authenticationContext",
  "securityContext",
  "insertionTimestamp",
] as const;

/** The System Log API's key order, as in Okta's `GET /api/v1/logs` examples. */
const SYSTEM_LOG_ORDER = [
  "actor",
  "client",
  "device",
  "authenticationContext",
  "displayMessage",
  "eventType",
  "outcome",
  "published",
  "securityContext",
  "severity",
  "debugContext",
  "legacyEventType",
  "transaction",
  "uuid",
  "version",
  "request",
  "target",
] as const;

const CLIENT_ORDER = ["userAgent", "zone", "device", "id", "ipAddress", "geographicalContext"];

/**
 * The event as a delivery carries it. The chain moves from `request` into `client`; `device`
 * and `insertionTimestamp` become `null`; a `null` zone becomes the string `"null"`. An event
 * already in delivery shape comes back equal. Keys Okta added that hooktap does not know are
 * kept, after the known ones. The input is not mutated.
 *
 * @example
 * toDeliveryLogEvent(systemLogEvent).client?.ipChain; // the former request.ipChain
 */
export function toDeliveryLogEvent(event: AnyLogEvent): DeliveryLogEvent {
  const source = event as unknown as Record<string, unknown>;
  const chain = ipChainIn(source);
  const client = source.client as (LogClient & { ipChain?: IpAddress[] }) | null | undefined;
  const deliveryClient: DeliveryLogClient | null =
    client === null || client === undefined
      ? chain.length === 0
        ? null
        : { ...emptyClient(), ipChain: chain }
      : {
          ...(ordered(client as unknown as Record<string, unknown>, CLIENT_ORDER, [
            "ipChain",
          ]) as unknown as LogClient),
          zone: client.zone ?? "null",
          ipChain: chain,
        };
  const values: Record<string, unknown> = {
    ...source,
    client: deliveryClient,
    device: null,
    insertionTimestamp: null,
  };
  delete values.request;
  return ordered(values, DELIVERY_ORDER, []) as unknown as DeliveryLogEvent;
}

/**
 * The event as the System Log API returns it: `client.ipChain` moves to `request.ipChain`,
 * `insertionTimestamp` goes, a `"null"` zone becomes `null`. The input is not mutated.
 *
 * @example
 * toSystemLogEvent(buildLogEvent("user.lifecycle.create")).request?.ipChain.length; // 1
 */
export function toSystemLogEvent(event: AnyLogEvent): SystemLogEvent {
  const source = event as unknown as Record<string, unknown>;
  const chain = ipChainIn(source);
  const client = source.client as (LogClient & { ipChain?: unknown }) | null | undefined;
  let logClient: Record<string, unknown> | null = null;
  if (client !== null && client !== undefined) {
    const { ipChain: _chain, ...rest } = client;
    logClient = { ...rest, zone: client.zone === "null" ? null : (client.zone ?? null) };
  }
  const values: Record<string, unknown> = {
    ...source,
    client: logClient,
    device: source.device ?? null,
    request: { ipChain: chain },
  };
  delete values.insertionTimestamp;
  return ordered(values, SYSTEM_LOG_ORDER, []) as unknown as SystemLogEvent;
}

function ipChainIn(event: Record<string, unknown>): IpAddress[] {
  const client = event.client as { ipChain?: unknown } | null | undefined;
  const request = event.request as { ipChain?: unknown } | null | undefined;
  const chain = client?.ipChain ?? request?.ipChain;
  return Array.isArray(chain) ? (chain as IpAddress[]) : [];
}

function emptyClient(): LogClient {
  return {
    userAgent: null,
    zone: "null",
    device: null,
    id: null,
    ipAddress: null,
    geographicalContext: null,
  };
}

/** `values` with the keys of `order` first (those present), then the others but `last`, then `last`. */
function ordered(
  values: Record<string, unknown>,
  order: readonly string[],
  last: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of order) if (Object.hasOwn(values, key)) define(out, key, values[key]);
  for (const [key, value] of Object.entries(values)) {
    if (!Object.hasOwn(out, key) && !last.includes(key)) define(out, key, value);
  }
  for (const key of last) if (Object.hasOwn(values, key)) define(out, key, values[key]);
  return out;
}

/**
 * Plain assignment, except for a JSON key `__proto__`, which assignment would turn into a
 * prototype change (defineProperty is several times slower, so only there).
 */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}
