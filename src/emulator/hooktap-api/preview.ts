/**
 * `POST /api/v1/hooktap/eventHooks/:id/preview {eventType, event?}`: what the Admin Console's
 * Preview does (shared spec §8). The event is the given (edited) one, else the most recent
 * System Log event of that type, else a built sample; it goes to the hook in a fresh envelope,
 * unfiltered, in one request without retry, and the answer shows what was sent and what the
 * hook answered.
 */
import {
  type AnyLogEvent,
  buildLogEvent,
  isEventHookEligible,
  newUuidV1,
  type SystemLogEvent,
} from "../../okta/index.js";
import { requireHook } from "../event-hooks/access.js";
import type { RequestContext } from "../http/context.js";
import { OktaApiError } from "../http/okta-api-error.js";
import { ok, type Reply } from "../http/reply.js";
import { sampleActorFor } from "../users/actions.js";
import { objectBody, requiredString } from "./body.js";
import { deliveryView } from "./delivery-view.js";

/** Where the previewed event came from. */
export type PreviewSource = "request" | "system_log" | "sample";

/** Previews hook `:id`. */
export async function previewRoute(context: RequestContext): Promise<Reply> {
  const { app } = context;
  const hook = requireHook(context);
  const body = objectBody(await context.readJson(), ["eventType", "event"]);
  const eventType = requiredString(body, "eventType");
  if (!hook.events.items.includes(eventType)) {
    throw OktaApiError.validation([
      {
        field: "eventType",
        message: `${eventType} is not one of the hook's event types (${hook.events.items.join(", ")})`,
      },
    ]);
  }
  const [event, source] = pickEvent(context, eventType, body.event);
  const sent = await app.hooks.sendNow(hook, [event]);
  return ok({
    source,
    verificationStatus: hook.verificationStatus,
    ...deliveryView(hook, sent),
  });
}

function pickEvent(
  context: RequestContext,
  eventType: string,
  given: unknown,
): [AnyLogEvent, PreviewSource] {
  const { app } = context;
  if (given !== undefined) return [editedEvent(given, eventType, app.now()), "request"];
  const latest = latestOfType(context, eventType);
  if (latest !== undefined) return [latest, "system_log"];
  return [buildLogEvent(eventType, sampleActorFor(app, eventType), { now: app.now }), "sample"];
}

/** The given event, checked: an object of the previewed type; `uuid`/`published` filled in. */
function editedEvent(given: unknown, eventType: string, now: number): AnyLogEvent {
  if (typeof given !== "object" || given === null || Array.isArray(given)) {
    throw OktaApiError.validation([{ field: "event", message: "must be a LogEvent object" }]);
  }
  const event = { ...(given as Record<string, unknown>) };
  if (event.eventType !== undefined && event.eventType !== eventType) {
    throw OktaApiError.validation([
      {
        field: "event.eventType",
        message: `is ${JSON.stringify(event.eventType)}; it must be ${eventType} (or absent)`,
      },
    ]);
  }
  event.eventType = eventType;
  if (typeof event.uuid !== "string" || event.uuid === "") event.uuid = newUuidV1({ now });
  if (typeof event.published !== "string" || Number.isNaN(Date.parse(event.published))) {
    event.published = new Date(now).toISOString();
  }
  return event as unknown as AnyLogEvent;
}

function latestOfType(context: RequestContext, eventType: string): SystemLogEvent | undefined {
  if (!isEventHookEligible(eventType)) return undefined;
  const json = context.app.store.db
    .prepare("SELECT json FROM log_events WHERE event_type = ? ORDER BY seq DESC LIMIT 1")
    .pluck()
    .get(eventType);
  return typeof json === "string" ? (JSON.parse(json) as SystemLogEvent) : undefined;
}
