import type { Logger } from "../log/index.js";
import type { Delivery, DeliveryLogEvent } from "../okta/index.js";
import { deliveryKey, eventKey, releaseKeys } from "./dedupe.js";
import { errorMessage } from "./error-message.js";
import type { AnyEventHandler, DedupeStore, ReceiverRequest } from "./types.js";

/** What {@link dispatchEvents} needs besides the events. */
export interface DispatchContext {
  delivery: Delivery;
  request: ReceiverRequest;
  /** The handlers of one event: the type's own in registration order, then the catch-alls. */
  handlersFor(eventType: string): readonly AnyEventHandler[];
  dedupe: DedupeStore | false;
  logger: Logger;
}

/**
 * Runs the handlers of the given events, one event after the other and, per event, one
 * handler after the other. A handler that throws (sync or async) is logged and does not stop
 * the others. The dedupe keys of every failed event, and of the delivery if any event failed,
 * are released, so that a redelivery (Okta's retry) runs them again.
 *
 * Resolves (never rejects) with the number of events that had a failing handler.
 */
export async function dispatchEvents(
  context: DispatchContext,
  indexes: readonly number[],
): Promise<number> {
  const { delivery, logger } = context;
  const failedUuids: string[] = [];
  for (const index of indexes) {
    const event = delivery.data.events[index];
    if (event === undefined) continue;
    if (!(await runHandlers(context, event, index))) failedUuids.push(event.uuid);
  }
  if (failedUuids.length > 0) {
    const keys = [...failedUuids.map(eventKey), deliveryKey(delivery.eventId)];
    await releaseKeys(context.dedupe, keys, logger);
  }
  return failedUuids.length;
}

async function runHandlers(
  context: DispatchContext,
  event: DeliveryLogEvent,
  index: number,
): Promise<boolean> {
  let ok = true;
  const eventContext = { delivery: context.delivery, index, request: context.request };
  for (const handler of context.handlersFor(event.eventType)) {
    try {
      await handler(event, eventContext);
    } catch (error) {
      ok = false;
      context.logger.error("event handler failed", {
        eventType: event.eventType,
        uuid: event.uuid,
        eventId: context.delivery.eventId,
        error: errorMessage(error),
      });
    }
  }
  return ok;
}
