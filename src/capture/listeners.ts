/**
 * The subscriber list of a store. Events go out synchronously, after the change is committed,
 * to a snapshot of the listeners; one that throws is logged, and neither the write nor the other
 * listeners notice.
 */
import type { Logger } from "../log/index.js";
import type { CaptureEvent, CaptureListener } from "./store.js";

/** A store's subscribers. */
export interface ListenerSet {
  subscribe(listener: CaptureListener): () => void;
  emit(event: CaptureEvent): void;
  /** True when someone listens: lets a store skip building events nobody reads. */
  readonly active: boolean;
  clear(): void;
}

/** A new, empty {@link ListenerSet}. */
export function createListenerSet(logger: Logger): ListenerSet {
  const listeners = new Set<CaptureListener>();
  return {
    subscribe(listener) {
      // A wrapper per subscription, so one function subscribed twice is two subscriptions.
      const entry: CaptureListener = (event) => listener(event);
      listeners.add(entry);
      return function unsubscribe() {
        listeners.delete(entry);
      };
    },
    emit(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          logger.error("capture listener failed", {
            event: event.type,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
    },
    get active() {
      return listeners.size > 0;
    },
    clear() {
      listeners.clear();
    },
  };
}
