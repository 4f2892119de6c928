/**
 * Routing System Log events to event hooks (shared spec §4): every new event goes to each
 * ACTIVE and VERIFIED hook subscribed to its type whose filter passes (`hookMatchesEvent`),
 * through the delivery engine. Every request is written to the delivery log; a delivery given
 * up is logged as `event_hook.delivery` (FAILURE), a quota warning as
 * `system.operation.rate_limit.warning`. Changing the knobs swaps the engine: the old one
 * finishes what it holds, new events go to the new one.
 */
import type { Logger } from "../../log/index.js";
import {
  type AnyLogEvent,
  buildLogEvent,
  type DeliveryLogEvent,
  OKTA_TIMEOUT_MS,
  type SystemLogEvent,
} from "../../okta/index.js";
import type { DeliveryChannel } from "../delivery/channel.js";
import { createDeliveryEngine } from "../delivery/engine.js";
import type { DeliveryEngine, DeliveryHook } from "../delivery/engine-types.js";
import type { QuotaUsage } from "../delivery/quota.js";
import { deliveryFailureEvent } from "../logic/delivery-failure-event.js";
import { hookMatchesEvent } from "../logic/hook-match.js";
import type { EmulatorStore } from "../store/open-store.js";
import type { StoredEventHook } from "../store/types.js";
import { type SentDelivery, sendOnce } from "./send-once.js";
import { checkKnobs, DELIVERY_KNOBS_KEY, type DeliveryKnobs } from "./settings.js";

/** The org's deliveries. */
export interface HookDispatch {
  /** The knobs in force. */
  knobs(): DeliveryKnobs;
  /** Replaces the knobs (checked first; throws `RangeError`/`TypeError`), kept in the store. */
  setKnobs(knobs: DeliveryKnobs): void;
  /**
   * One request now, no retry, batching or chaos (Preview, trigger), written to the delivery
   * log. Network failures are in the result, never thrown.
   */
  sendNow(hook: StoredEventHook, events: readonly AnyLogEvent[]): Promise<SentDelivery>;
  /**
   * Runs `action` (synchronous) with routing held: the System Log events it appends are not
   * routed but returned, for the caller to deliver itself (`trigger`).
   */
  withRoutingHeld<T>(action: () => T): { value: T; held: SystemLogEvent[] };
  /** Ends open batches and waits until everything queued so far is settled. */
  flush(): Promise<void>;
  /** Stops routing and aborts deliveries in flight. Idempotent. */
  close(): Promise<void>;
}

/** What the dispatch needs of the org. */
export interface HookDispatchOptions {
  store: EmulatorStore;
  orgUrl: string;
  logger: Logger;
  now: () => number;
  /** Knobs given at start (`hooktap okta` flags): override the stored ones field by field. */
  knobs?: DeliveryKnobs;
  /** Deadline of each request (Okta's 3 s; tests lower it). */
  timeoutMs?: number;
}

/** The hook as the engine needs it: id and channel, secret included. */
export function deliveryHookOf(hook: StoredEventHook): DeliveryHook {
  const { config } = hook.channel;
  const channel: DeliveryChannel = {
    uri: config.uri,
    headers: config.headers,
    authScheme: config.authScheme,
  };
  return { id: hook.id, channel };
}

/**
 * Starts routing the store's new System Log events to its hooks.
 *
 * @example
 * const dispatch = startHookDispatch({ store, orgUrl, logger, now: Date.now });
 * await dispatch.close();
 */
export function startHookDispatch(options: HookDispatchOptions): HookDispatch {
  const { store, logger } = options;
  const stored = store.settings.get(DELIVERY_KNOBS_KEY);
  let knobs = checkKnobs({ ...(stored as DeliveryKnobs | undefined), ...options.knobs });
  let closed = false;
  const retiring = new Set<Promise<void>>();

  const log = (events: AnyLogEvent[]): void => {
    if (closed) return;
    try {
      store.appendLogEvents(events);
    } catch (error) {
      logger.error("cannot write to the System Log", { error: String(error) });
    }
  };
  const makeEngine = (): DeliveryEngine =>
    createDeliveryEngine({
      options: {
        orgUrl: options.orgUrl,
        ...knobs,
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      },
      logger,
      onAttempt: (record) => {
        if (closed) return;
        store.deliveries.add(record);
      },
      onFailure: (hook, events, cause) => {
        const name = store.eventHooks.get(hook.id)?.name ?? hook.id;
        log([
          deliveryFailureEvent({ hook: { id: hook.id, name }, events, cause, now: options.now() }),
        ]);
      },
      onQuotaWarning: (usage) => log([quotaEvent("WARNING", usage, options)]),
      onQuotaExceeded: (usage) => log([quotaEvent("FAILURE", usage, options)]),
    });
  let engine = makeEngine();
  const shutdown = new AbortController();
  let held: SystemLogEvent[] | null = null;

  const unsubscribe = store.subscribeLogEvents((appended) => {
    if (held !== null) {
      for (const { event } of appended) held.push(event);
      return;
    }
    const hooks = store.eventHooks.list();
    for (const { event } of appended) {
      for (const hook of hooks) {
        if (!hookMatchesEvent(hook, event)) continue;
        const result = engine.enqueue(deliveryHookOf(hook), event);
        if (!result.accepted) {
          logger.warn("event not delivered", { hookId: hook.id, reason: result.reason });
        }
      }
    }
  });

  return {
    knobs: () => knobs,
    setKnobs(next) {
      knobs = checkKnobs(next);
      store.settings.set(DELIVERY_KNOBS_KEY, knobs);
      const old = engine;
      engine = makeEngine();
      const done = old
        .flush()
        .then(() => old.close())
        .catch((error: unknown) =>
          logger.error("delivery engine close failed", { error: String(error) }),
        );
      retiring.add(done);
      void done.finally(() => retiring.delete(done));
    },
    async sendNow(hook, events) {
      const sent = await sendOnce(deliveryHookOf(hook), events, {
        orgUrl: options.orgUrl,
        timeoutMs: options.timeoutMs ?? OKTA_TIMEOUT_MS,
        signal: shutdown.signal,
        now: options.now,
      });
      if (!closed) store.deliveries.add(sent.record);
      return sent;
    },
    withRoutingHeld(action) {
      const outer = held;
      const mine: SystemLogEvent[] = [];
      held = mine;
      try {
        return { value: action(), held: mine };
      } finally {
        held = outer;
      }
    },
    async flush() {
      await Promise.all([...retiring]);
      await engine.flush();
    },
    async close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      shutdown.abort();
      await Promise.all([engine.close(), ...retiring]);
    },
  };
}

function quotaEvent(
  result: "WARNING" | "FAILURE",
  usage: QuotaUsage,
  options: HookDispatchOptions,
): DeliveryLogEvent {
  const message =
    result === "WARNING"
      ? "Event hooks daily quota warning threshold reached"
      : "Event hooks daily quota reached: events are not delivered until the period ends";
  return buildLogEvent(
    "system.operation.rate_limit.warning",
    {
      displayMessage: message,
      severity: "WARN",
      outcome: { result: result === "WARNING" ? "SUCCESS" : "FAILURE", reason: message },
      target: [],
      debugContext: { debugData: { quota: JSON.stringify(usage) } },
    },
    { now: options.now },
  );
}
