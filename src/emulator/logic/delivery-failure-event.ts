/**
 * The System Log event Okta writes when it gives up on a delivery: `event_hook.delivery`
 * (shared spec §4, "fired only on failure"). Okta does not document its payload; ours is a
 * system event (Okta System actor, no client, a `JOB` transaction) targeting the hook, with the
 * cause as `outcome.reason` and the details in `debugData`.
 */
import {
  buildLogEvent,
  type DeliveryLogEvent,
  type LogActor,
  type SystemLogEvent,
} from "../../okta/index.js";
import type { DeliveryFailureCause } from "../delivery/engine-types.js";
import { toSystemLogEvent } from "./log-event-shape.js";

/** Okta caps `outcome.reason` at 255 characters. */
const MAX_REASON = 255;

/** The actor of events Okta causes itself (OBS-CAP: `SystemPrincipal`, `system@okta.com`). */
export const OKTA_SYSTEM_ACTOR: Readonly<LogActor> = Object.freeze({
  id: "spr1hooktapSystem001",
  type: "SystemPrincipal",
  alternateId: "system@okta.com",
  displayName: "Okta System",
  detailEntry: null,
});

/** What {@link deliveryFailureEvent} describes. */
export interface DeliveryFailureInput {
  hook: { id: string; name: string };
  /** The events that were not delivered. */
  events: readonly { uuid: string; eventType: string }[];
  cause: DeliveryFailureCause;
  /** Epoch ms. @default Date.now() */
  now?: number;
}

/**
 * The `event_hook.delivery` event for a delivery given up, in System Log shape: outcome
 * `FAILURE` with the cause, severity `WARN`, `debugData` naming the delivery (`deliveryId`, the
 * envelope's `eventId`), the undelivered events, the attempts and the last status.
 *
 * @example
 * onFailure: (hook, events, cause) =>
 *   store.appendLogEvents([deliveryFailureEvent({ hook: stored, events, cause })]),
 */
export function deliveryFailureEvent(input: DeliveryFailureInput): SystemLogEvent {
  const { hook, events, cause } = input;
  const event: DeliveryLogEvent = buildLogEvent(
    "event_hook.delivery",
    {
      severity: "WARN",
      actor: { ...OKTA_SYSTEM_ACTOR },
      outcome: { result: "FAILURE", reason: cause.message.slice(0, MAX_REASON) },
      target: [
        {
          id: hook.id,
          type: "EventHook",
          alternateId: hook.name,
          displayName: hook.name,
          detailEntry: null,
        },
      ],
      transaction: { type: "JOB", id: "unknown", detail: {} },
      authenticationContext: { externalSessionId: null },
    },
    input.now === undefined ? {} : { now: () => input.now as number },
  );
  event.client = {
    userAgent: null,
    zone: "null",
    device: null,
    id: null,
    ipAddress: null,
    geographicalContext: null,
    ipChain: [],
  };
  event.debugContext = {
    debugData: {
      deliveryId: cause.deliveryId,
      eventIds: events.map((e) => e.uuid).join(","),
      eventTypes: [...new Set(events.map((e) => e.eventType))].join(","),
      attempts: String(cause.attempts),
      failure: cause.kind,
      ...(cause.status === null ? {} : { status: String(cause.status) }),
      errorMessage: cause.message,
    },
  };
  return toSystemLogEvent(event);
}
