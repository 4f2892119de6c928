/**
 * What the event hook routes share: finding a hook (404 E0000007), answering with it, writing
 * its audit event, comparing channels.
 */
import type { RequestContext } from "../http/context.js";
import { OktaApiError } from "../http/okta-api-error.js";
import { ok, type Reply } from "../http/reply.js";
import type { StoredChannel, StoredEventHook } from "../store/types.js";
import { type AuditDetails, type EventHookAuditType, eventHookAuditEvent } from "./audit-events.js";
import { toEventHookJson } from "./serialize.js";

/** The hook `:id`, or 404 E0000007. */
export function requireHook(
  context: RequestContext,
  id = context.params.id ?? "",
): StoredEventHook {
  const hook = context.app.store.eventHooks.get(id);
  if (hook === undefined) throw OktaApiError.notFound(id, "EventHook");
  return hook;
}

/** A hook as the answer's body. */
export function hookReply(context: RequestContext, hook: StoredEventHook): Reply {
  return ok(toEventHookJson(hook, context.app.orgUrl));
}

/** Appends the audit event of `hook` (inside the caller's transaction). */
export function audit(
  context: RequestContext,
  type: EventHookAuditType,
  hook: StoredEventHook,
  details?: AuditDetails,
): void {
  context.app.store.appendLogEvents([eventHookAuditEvent(context, type, hook, details)]);
}

/** Whether two channels send the same request (a change resets verification). */
export function sameChannel(a: StoredChannel, b: StoredChannel): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Epoch milliseconds truncated to whole seconds (Okta's timestamps). */
export function wholeSeconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
