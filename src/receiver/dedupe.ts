import type { Logger } from "../log/index.js";
import type { Delivery } from "../okta/index.js";
import { errorMessage } from "./error-message.js";
import type { DedupeStore } from "./types.js";

// Prefixes keep a delivery id and an event uuid from ever colliding in a shared store.

/**
 * The dedupe key of a delivery envelope.
 *
 * @example
 * deliveryKey("6e08cca5-9488-4367-b75b-e0bb1c973c58"); // "delivery:6e08cca5-…"
 */
export function deliveryKey(eventId: string): string {
  return `delivery:${eventId}`;
}

/**
 * The dedupe key of one LogEvent.
 *
 * @example
 * eventKey("9191ef7a-f669-11e9-b9b3-fd3a55cb1b10"); // "event:9191ef7a-…"
 */
export function eventKey(uuid: string): string {
  return `event:${uuid}`;
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

/** What {@link claimDelivery} decided. */
export type DeliveryClaim =
  | { duplicate: true }
  | {
      duplicate: false;
      /** Indexes in `data.events` of the events not seen before, in order. */
      fresh: number[];
      /** Indexes of events skipped because their `uuid` was seen before. */
      skipped: number[];
    };

/**
 * Claims the delivery's `eventId`, then each event's `uuid`. A delivery seen before is a
 * duplicate as a whole; otherwise only events seen before (in another envelope, or twice in
 * this one) are skipped. If the store fails half-way, the keys claimed so far are released
 * before the error propagates, so Okta's retry is not mistaken for a duplicate.
 */
export async function claimDelivery(
  store: DedupeStore | false,
  delivery: Delivery,
  logger: Logger,
): Promise<DeliveryClaim> {
  const events = delivery.data.events;
  if (store === false) return { duplicate: false, fresh: events.map((_, i) => i), skipped: [] };
  const claimed: string[] = [];
  try {
    const key = deliveryKey(delivery.eventId);
    // Await only a promise: with a synchronous store (the in-memory default) an `await` per
    // key costs a microtask turn each, a measurable share of handling a delivery.
    const deliveryClaim = store.claim(key);
    if (!(isPromise(deliveryClaim) ? await deliveryClaim : deliveryClaim)) {
      return { duplicate: true };
    }
    claimed.push(key);
    const fresh: number[] = [];
    const skipped: number[] = [];
    for (const [index, event] of events.entries()) {
      const eventUuidKey = eventKey(event.uuid);
      const eventClaim = store.claim(eventUuidKey);
      if (isPromise(eventClaim) ? await eventClaim : eventClaim) {
        claimed.push(eventUuidKey);
        fresh.push(index);
      } else {
        skipped.push(index);
      }
    }
    return { duplicate: false, fresh, skipped };
  } catch (error) {
    await releaseKeys(store, claimed, logger);
    throw error;
  }
}

/** Releases keys one by one; a failing release is logged, never thrown. */
export async function releaseKeys(
  store: DedupeStore | false,
  keys: readonly string[],
  logger: Logger,
): Promise<void> {
  if (store === false) return;
  for (const key of keys) {
    try {
      await store.release(key);
    } catch (error) {
      logger.error("dedupe store failed to release a key", { key, error: errorMessage(error) });
    }
  }
}
