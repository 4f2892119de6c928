/**
 * The System Log `LogEvent` as Okta puts it on the wire, in both of its shapes.
 *
 * - In an event hook delivery (shared spec §1.4) the IP chain is `client.ipChain`, there is no
 *   `request` object, `device` and `insertionTimestamp` are `null` and `client.zone` is the
 *   *string* `"null"`.
 * - From the System Log API (`GET /api/v1/logs`, §7) the chain is `request.ipChain`.
 *
 * Field reference: shared spec §2. Nullability follows Okta's legacy System Log reference.
 * Sub-objects are typed with every documented field; Okta adds fields over time, so readers
 * must tolerate unknown keys (the receiver does).
 */

/** `LogGeographicalContext`. */
export interface GeographicalContext {
  city: string | null;
  state: string | null;
  country: string | null;
  postalCode: string | null;
  geolocation: { lat: number; lon: number } | null;
}

/** `LogIpAddress`: one hop of an IP chain. */
export interface IpAddress {
  ip: string;
  geographicalContext: GeographicalContext | null;
  version: "V4" | "V6";
  source: string | null;
}

/** `LogUserAgent`. */
export interface UserAgent {
  rawUserAgent: string;
  os: string;
  browser: string;
}

/** `LogClient` as the System Log API returns it. */
export interface LogClient {
  userAgent: UserAgent | null;
  /** Network zone name. Deliveries carry the literal string `"null"`. */
  zone: string | null;
  device: string | null;
  id: string | null;
  ipAddress: string | null;
  geographicalContext: GeographicalContext | null;
}

/** `LogClient` inside an event hook delivery: the IP chain lives here. */
export interface DeliveryLogClient extends LogClient {
  ipChain: IpAddress[];
}

/** `LogActor`: who did it. */
export interface LogActor {
  id: string;
  /** `User`, `SystemPrincipal`, `PublicClientApp`, `Client`, … */
  type: string;
  alternateId: string | null;
  displayName: string | null;
  detailEntry: Record<string, unknown> | null;
}

/** `LogTarget`: what it was done to. Search targets by `type`, never by position. */
export interface LogTarget {
  id: string;
  /** `User`, `UserGroup`, `AppInstance`, `AppUser`, `AuthenticatorEnrollment`, … */
  type: string;
  alternateId: string | null;
  displayName: string | null;
  detailEntry: Record<string, unknown> | null;
  /** Only for event types the catalog tags with change details. */
  changeDetails?: { from: Record<string, unknown>; to: Record<string, unknown> };
}

/** `LogOutcome.result`. */
export type OutcomeResult =
  | "SUCCESS"
  | "FAILURE"
  | "SKIPPED"
  | "ALLOW"
  | "DENY"
  | "CHALLENGE"
  | "UNKNOWN"
  | "RATE_LIMIT"
  | "DEFERRED"
  | "SCHEDULED"
  | "ABANDONED"
  | "UNANSWERED";

/** `LogOutcome`. */
export interface LogOutcome {
  result: OutcomeResult;
  reason: string | null;
}

/** `LogTransaction`. */
export interface LogTransaction {
  /** `WEB` for a request, `JOB` for an asynchronous task; absent on some system events. */
  type?: "WEB" | "JOB";
  /** 27-character request id, or `"unknown"`. */
  id: string;
  detail: Record<string, unknown> | null;
}

/** `LogDebugContext`: `debugData` keys vary per event type and are not a stable contract. */
export interface LogDebugContext {
  debugData: Record<string, unknown> | null;
}

/** `LogAuthenticationContext`. */
export interface LogAuthenticationContext {
  authenticationProvider: string | null;
  credentialProvider: string | null;
  credentialType: string | null;
  issuer: { id: string | null; type: string | null } | null;
  authenticationStep: number;
  externalSessionId: string | null;
  interface: string | null;
  rootSessionId?: string;
}

/** `LogSecurityContext`. */
export interface LogSecurityContext {
  asNumber: number | null;
  asOrg: string | null;
  isp: string | null;
  domain: string | null;
  isProxy: boolean | null;
}

/** `LogSeverity`. */
export type Severity = "DEBUG" | "INFO" | "WARN" | "ERROR";

/** Fields common to both shapes, in Okta's wire order. */
interface LogEventBase<T extends string> {
  uuid: string;
  published: string;
  eventType: T;
  version: string;
  displayMessage: string | null;
  severity: Severity;
  actor: LogActor;
  outcome: LogOutcome | null;
  target: LogTarget[] | null;
  transaction: LogTransaction | null;
  debugContext: LogDebugContext | null;
  legacyEventType: string | null;
  authenticationContext: LogAuthenticationContext | null;
  securityContext: LogSecurityContext | null;
}

/**
 * A LogEvent inside an event hook delivery (`data.events[i]`).
 * Wire key order: `uuid, published, eventType, version, displayMessage, severity, client,
 * device, actor, outcome, target, transaction, debugContext, legacyEventType,
 * authenticationContext, securityContext, insertionTimestamp`.
 */
export interface DeliveryLogEvent<T extends string = string> extends LogEventBase<T> {
  client: DeliveryLogClient | null;
  device: null;
  insertionTimestamp: null;
}

/** A LogEvent as the System Log API (`GET /api/v1/logs`) returns it. */
export interface SystemLogEvent<T extends string = string> extends LogEventBase<T> {
  client: LogClient | null;
  device?: Record<string, unknown> | null;
  request: { ipChain: IpAddress[] } | null;
}

/** Either shape. Use {@link ipChainOf} to read the IP chain without caring which. */
export type AnyLogEvent<T extends string = string> = DeliveryLogEvent<T> | SystemLogEvent<T>;

/**
 * The IP chain of an event, wherever Okta put it (`client.ipChain` in deliveries,
 * `request.ipChain` from the System Log API); `[]` when neither is present.
 *
 * @example
 * ipChainOf(event)[0]?.ip; // "203.0.113.24"
 */
export function ipChainOf(event: {
  client?: { ipChain?: IpAddress[] | null } | null;
  request?: { ipChain?: IpAddress[] | null } | null;
}): IpAddress[] {
  return event.client?.ipChain ?? event.request?.ipChain ?? [];
}
