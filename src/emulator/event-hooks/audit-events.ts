/**
 * The System Log events Okta writes for management actions on event hooks (shared spec §5.6,
 * §3.1): `event_hook.created|updated|activated|deactivated|deleted|verified`, caused by the
 * request's admin through the API token, targeting the hook.
 */
import { isIP } from "node:net";
import {
  buildLogEvent,
  type DeliveryLogClient,
  type DeliveryLogEvent,
  type OutcomeResult,
} from "../../okta/index.js";
import type { RequestContext } from "../http/context.js";
import type { StoredEventHook } from "../store/types.js";

/** The audit event types of event hooks. */
export type EventHookAuditType =
  | "event_hook.created"
  | "event_hook.updated"
  | "event_hook.activated"
  | "event_hook.deactivated"
  | "event_hook.deleted"
  | "event_hook.verified";

/** Outcome and extra debug data of an audit event (verification failures). */
export interface AuditDetails {
  outcome?: { result: OutcomeResult; reason: string | null };
  debugData?: Record<string, unknown>;
}

/** Okta caps `outcome.reason` at 255 characters. */
const MAX_REASON = 255;

/**
 * An audit event for `hook`, as the request in `context` caused it (delivery shape; the store
 * keeps it in the System Log shape).
 *
 * @example
 * store.appendLogEvents([eventHookAuditEvent(context, "event_hook.created", hook)]);
 */
export function eventHookAuditEvent(
  context: RequestContext,
  type: EventHookAuditType,
  hook: StoredEventHook,
  details: AuditDetails = {},
): DeliveryLogEvent {
  const { app, client, requestId, url } = context;
  const outcome = details.outcome ?? { result: "SUCCESS", reason: null };
  return buildLogEvent(
    type,
    {
      client: apiCallClient(client.ipAddress, client.userAgent),
      actor: {
        id: app.org.admin.id,
        type: "User",
        alternateId: app.org.admin.login,
        displayName: app.org.admin.displayName,
        detailEntry: null,
      },
      outcome: {
        result: outcome.result,
        reason: outcome.reason === null ? null : outcome.reason.slice(0, MAX_REASON),
      },
      target: [
        {
          id: hook.id,
          type: "EventHook",
          alternateId: hook.name,
          displayName: hook.name,
          detailEntry: null,
        },
      ],
      transaction: { type: "WEB", id: requestId, detail: { requestApiTokenId: app.org.tokenId } },
      debugContext: {
        debugData: {
          requestUri: url.pathname,
          url: `${url.pathname}${url.search}`,
          ...details.debugData,
        },
      },
      authenticationContext: { externalSessionId: null },
    },
    { now: app.now },
  );
}

/**
 * The `client` Okta records for an API call: the caller's address (its own `ipChain` entry) and
 * user agent, nothing it cannot know (zone, device, geography).
 */
export function apiCallClient(ip: string, userAgent: string | null): DeliveryLogClient {
  return {
    userAgent:
      userAgent === null ? null : { rawUserAgent: userAgent, os: "Unknown", browser: "UNKNOWN" },
    zone: "null",
    device: "Unknown",
    id: null,
    ipAddress: ip,
    geographicalContext: null,
    ipChain: [
      { ip, geographicalContext: null, version: isIP(ip) === 6 ? "V6" : "V4", source: null },
    ],
  };
}
