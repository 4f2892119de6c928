/**
 * `POST /api/v1/hooktap/trigger {eventType, set?, count?}` — what `stripe trigger` does for
 * Stripe. For a type with an action behind it (`TRIGGER_ACTIONS`) the org performs the action;
 * for any other eligible type it logs an event built by the okta builders. The events go to
 * every hook that would get them (ACTIVE, VERIFIED, subscribed, filter passing), one request
 * per hook and run, at once; the answer lists each delivery with the hook's response.
 *
 * `set` edits the delivered copies of the events of `eventType` (like Preview's Edit); the
 * System Log keeps what happened.
 */
import {
  type AnyLogEvent,
  buildLogEvent,
  isEventHookEligible,
  type SystemLogEvent,
} from "../../okta/index.js";
import type { RequestContext } from "../http/context.js";
import { OktaApiError } from "../http/okta-api-error.js";
import { ok, type Reply } from "../http/reply.js";
import { hookMatchesEvent } from "../logic/hook-match.js";
import { toSystemLogEvent } from "../logic/log-event-shape.js";
import { sampleActorFor } from "../users/actions.js";
import { objectBody, requiredString } from "./body.js";
import { type DeliveryView, deliveryView } from "./delivery-view.js";
import { parseJsonPath, setJsonPath } from "./json-path.js";
import { type PreparedAction, TRIGGER_ACTIONS } from "./trigger-actions.js";

/** The most runs one trigger request makes. */
export const MAX_TRIGGER_COUNT = 100;

/** One edit: `path` set to the JSON `value`. */
export interface EventEdit {
  path: string;
  value: unknown;
}

/** One run of a trigger, as answered. */
export interface TriggerRun {
  /** What the org did: e.g. `deactivate jane.roe.k3v9@example.com`, or `synthesize`. */
  action: string;
  /** Types of every event the run logged, in order. */
  eventTypes: string[];
  deliveries: DeliveryView[];
}

/** Triggers `eventType` `count` times. */
export async function triggerRoute(context: RequestContext): Promise<Reply> {
  const { app } = context;
  const body = objectBody(await context.readJson(), ["eventType", "set", "count"]);
  const eventType = requiredString(body, "eventType");
  if (!isEventHookEligible(eventType)) {
    throw OktaApiError.validation([
      { field: "eventType", message: `${eventType} is not an event-hook-eligible event type` },
    ]);
  }
  const edits = parseEdits(body.set);
  const count = parseCount(body.count);
  const factory = TRIGGER_ACTIONS[eventType];
  const runs: TriggerRun[] = [];
  for (let i = 0; i < count; i++) {
    const prepared: PreparedAction = factory?.(app) ?? synthesize(context, eventType);
    const { held } = app.hooks.withRoutingHeld(() => prepared.fire());
    runs.push({
      action: prepared.description,
      eventTypes: held.map((event) => event.eventType),
      deliveries: await deliverHeld(context, held, eventType, edits),
    });
  }
  return ok({ eventType, mode: factory === undefined ? "synthesized" : "action", runs });
}

function synthesize(context: RequestContext, eventType: string): PreparedAction {
  const { app } = context;
  return {
    description: `log a ${eventType} event built from Okta's catalog`,
    fire: () => {
      const event = buildLogEvent(eventType, sampleActorFor(app, eventType), { now: app.now });
      app.store.appendLogEvents([toSystemLogEvent(event)]);
    },
  };
}

/** Delivers the held events: per matching hook, one request with its events, edits applied. */
async function deliverHeld(
  context: RequestContext,
  held: readonly SystemLogEvent[],
  eventType: string,
  edits: readonly EventEdit[],
): Promise<DeliveryView[]> {
  const { app } = context;
  const sends = app.store.eventHooks.list().flatMap((hook) => {
    const events = held.filter((event) => hookMatchesEvent(hook, event));
    if (events.length === 0) return [];
    const edited = events.map((event) =>
      event.eventType === eventType ? applyEdits(event, edits) : event,
    );
    return [app.hooks.sendNow(hook, edited).then((sent) => deliveryView(hook, sent))];
  });
  return Promise.all(sends);
}

function applyEdits(event: SystemLogEvent, edits: readonly EventEdit[]): AnyLogEvent {
  if (edits.length === 0) return event;
  const copy = structuredClone(event) as unknown as Record<string, unknown>;
  for (const edit of edits) setJsonPath(copy, edit.path, edit.value);
  return copy as unknown as AnyLogEvent;
}

function parseEdits(value: unknown): EventEdit[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw OktaApiError.validation([{ field: "set", message: "must be an array of {path, value}" }]);
  }
  return value.map((item, i) => {
    const field = `set[${i}]`;
    if (typeof item !== "object" || item === null || Array.isArray(item) || !("value" in item)) {
      throw OktaApiError.validation([{ field, message: "must be {path, value}" }]);
    }
    const { path, value: editValue } = item as { path: unknown; value: unknown };
    if (typeof path !== "string") {
      throw OktaApiError.validation([{ field: `${field}.path`, message: "must be a string" }]);
    }
    try {
      parseJsonPath(path);
      if (path === "eventType" || path === "uuid")
        throw new SyntaxError(`'${path}' cannot be edited`);
      // A trial run on an empty object catches paths that could never apply.
    } catch (error) {
      throw OktaApiError.validation([
        { field: `${field}.path`, message: error instanceof Error ? error.message : String(error) },
      ]);
    }
    return { path, value: editValue };
  });
}

function parseCount(value: unknown): number {
  if (value === undefined) return 1;
  if (
    typeof value !== "number" ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > MAX_TRIGGER_COUNT
  ) {
    throw OktaApiError.validation([
      { field: "count", message: `must be an integer from 1 to ${MAX_TRIGGER_COUNT}` },
    ]);
  }
  return value;
}
