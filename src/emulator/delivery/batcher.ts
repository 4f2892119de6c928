/**
 * Per-hook batching (shared spec §4: events "close in time" share one request): the first
 * event of a hook opens a window; the batch leaves when the window ends or when it is full.
 */
import type { DeliveryLogEvent } from "../../okta/index.js";
import type { Clock, TimerHandle } from "./clock.js";
import type { DeliveryHook } from "./engine-types.js";

/** Open batches of all hooks. */
export interface Batcher {
  /** Adds an event to its hook's batch; `ready` is called at once when that fills it (or the window is 0). */
  add(hook: DeliveryHook, event: DeliveryLogEvent): void;
  /** Ends every open batch now. */
  releaseAll(): void;
  /** Events in open batches. */
  size(): number;
  /** Drops every open batch and its timer; returns how many events were dropped. */
  clear(): number;
}

interface OpenBatch {
  hook: DeliveryHook;
  events: DeliveryLogEvent[];
  timer: TimerHandle | null;
}

/**
 * Creates the batcher. A batch keeps the hook object of its latest event (a hook changed in
 * the meantime is delivered to as it is now).
 *
 * @example
 * const batcher = createBatcher({ clock, windowMs: 1000, maxEvents: 50, ready: (hook, events) => send(hook, events) });
 */
export function createBatcher(settings: {
  clock: Clock;
  windowMs: number;
  maxEvents: number;
  ready: (hook: DeliveryHook, events: DeliveryLogEvent[]) => void;
}): Batcher {
  const { clock, windowMs, maxEvents, ready } = settings;
  const open = new Map<string, OpenBatch>();

  const release = (hookId: string): void => {
    const batch = open.get(hookId);
    if (batch === undefined) return;
    open.delete(hookId);
    if (batch.timer !== null) clock.clearTimeout(batch.timer);
    ready(batch.hook, batch.events);
  };

  return {
    add(hook, event) {
      let batch = open.get(hook.id);
      if (batch === undefined) {
        batch = { hook, events: [], timer: null };
        open.set(hook.id, batch);
      }
      batch.hook = hook;
      batch.events.push(event);
      if (windowMs === 0 || batch.events.length >= maxEvents) {
        release(hook.id);
      } else if (batch.timer === null) {
        const started = batch;
        started.timer = clock.setTimeout(() => {
          started.timer = null;
          if (open.get(hook.id) === started) release(hook.id);
        }, windowMs);
      }
    },
    releaseAll() {
      for (const hookId of [...open.keys()]) release(hookId);
    },
    size() {
      let events = 0;
      for (const batch of open.values()) events += batch.events.length;
      return events;
    },
    clear() {
      let dropped = 0;
      for (const batch of open.values()) {
        if (batch.timer !== null) clock.clearTimeout(batch.timer);
        dropped += batch.events.length;
      }
      open.clear();
      return dropped;
    },
  };
}
