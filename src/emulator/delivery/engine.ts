/**
 * The delivery engine: Okta's delivery rules for the emulated org (shared spec §4).
 *
 * Path of an event: `enqueue` → quota → the hook's open batch (batcher.ts) → envelope
 * (attempts.ts) → chaos delay and reorder buffer (chaos-stage.ts) → the hook's lane (at most
 * `maxInFlightPerHook` in flight, the rest wait in order) → attempts with Okta's timeout and
 * retry → `onAttempt` per request, `onFailure` when given up.
 */
import { setMaxListeners } from "node:events";
import http from "node:http";
import https from "node:https";
import { silentLogger } from "../../log/index.js";
import type { DeliveryLogEvent } from "../../okta/index.js";
import { toDeliveryLogEvent } from "../logic/log-event-shape.js";
import {
  type AttemptContext,
  type PreparedDelivery,
  prepareDelivery,
  runAttempts,
} from "./attempts.js";
import { createBatcher } from "./batcher.js";
import { createChaosStage, shuffled } from "./chaos-stage.js";
import { type Clock, systemClock, type TimerHandle } from "./clock.js";
import { checkEvent, checkHook } from "./engine-input.js";
import type {
  DeliveryEngine,
  DeliveryEngineOptions,
  DeliveryHook,
  DeliveryResult,
  EnqueueResult,
} from "./engine-types.js";
import { createDailyQuota, type QuotaDecision } from "./quota.js";
import { resolveSettings } from "./settings.js";

interface Lane {
  inFlight: number;
  waiting: PreparedDelivery[];
}

/** Idle keep-alive sockets close after this, below Node's 5 s server default. */
const IDLE_SOCKET_MS = 2_000;

/**
 * Creates an engine. Settings are checked at once.
 *
 * @throws {TypeError | RangeError} on a bad setting, naming it.
 * @example
 * const engine = createDeliveryEngine({
 *   options: { orgUrl: "http://127.0.0.1:7070" },
 *   onAttempt: (record) => store.addAttempt(record),
 *   onFailure: (hook, events, cause) => systemLog.append(deliveryFailedEvent(hook, events, cause)),
 * });
 * engine.enqueue(hook, event);
 * await engine.close();
 */
export function createDeliveryEngine(engineOptions: DeliveryEngineOptions): DeliveryEngine {
  const settings = resolveSettings(engineOptions.options);
  const logger = engineOptions.logger ?? silentLogger;
  const clock: Clock = engineOptions.clock ?? systemClock;
  const random = engineOptions.random ?? Math.random;
  const quota = createDailyQuota({
    limit: settings.dailyQuota,
    warningAt: settings.quotaWarningAt,
  });
  const abort = new AbortController();
  // Every request in flight and every retry wait listens to it: no fixed ceiling applies.
  setMaxListeners(0, abort.signal);
  const httpAgent = new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
  const httpsAgent = new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
  const lanes = new Map<string, Lane>();
  const retryTimers = new Set<TimerHandle>();
  const running = new Set<Promise<unknown>>();
  let closed = false;
  /** Deliveries made and not yet settled (held, waiting or in flight). */
  let pending = 0;
  const idleWaiters: (() => void)[] = [];
  const counts = {
    enqueued: 0,
    refused: 0,
    laneWaiting: 0,
    inFlight: 0,
    attempts: 0,
    retries: 0,
    duplicates: 0,
    delivered: 0,
    failed: 0,
  };

  /** Calls a user callback; a throwing callback is logged, never breaks the engine. */
  const notify = <A extends unknown[]>(
    name: string,
    fn: ((...args: A) => void) | undefined,
    ...args: A
  ): void => {
    if (fn === undefined) return;
    try {
      fn(...args);
    } catch (error) {
      logger.error(`delivery engine: ${name} threw`, { error: String(error) });
    }
  };

  const context: AttemptContext = {
    timeoutMs: settings.timeoutMs,
    retries: settings.retries,
    retryDelayMs: settings.retryDelayMs,
    responseBodyLimitBytes: settings.responseBodyLimitBytes,
    tls: settings.tls,
    agentFor: (url) => (url.startsWith("https:") ? httpsAgent : httpAgent),
    clock,
    signal: abort.signal,
    wait: (ms) =>
      new Promise((resolve) => {
        if (abort.signal.aborted) return resolve(false);
        const onAbort = (): void => resolve(false);
        abort.signal.addEventListener("abort", onAbort, { once: true });
        const handle = clock.setTimeout(() => {
          retryTimers.delete(handle);
          abort.signal.removeEventListener("abort", onAbort);
          resolve(true);
        }, ms);
        retryTimers.add(handle);
      }),
    report: (record) => {
      counts.attempts += 1;
      if (record.attempt > 1) counts.retries += 1;
      notify("onAttempt", engineOptions.onAttempt, record);
    },
  };

  const settleOne = (): void => {
    pending -= 1;
    if (pending === 0) for (const resolve of idleWaiters.splice(0)) resolve();
  };

  const finish = (prepared: PreparedDelivery, result: DeliveryResult): void => {
    if (!prepared.duplicate) {
      if (result.ok) counts.delivered += prepared.events.length;
      else counts.failed += prepared.events.length;
    }
    if (result.ok || result.cause === undefined) return;
    logger.warn("event hook delivery failed", {
      hookId: prepared.hook.id,
      deliveryId: prepared.deliveryId,
      cause: result.cause.message,
    });
    notify("onFailure", engineOptions.onFailure, prepared.hook, prepared.events, result.cause);
  };

  const run = (prepared: PreparedDelivery, lane: Lane): void => {
    lane.inFlight += 1;
    counts.inFlight += 1;
    const task = runAttempts(prepared, context).then((result) => {
      lane.inFlight -= 1;
      counts.inFlight -= 1;
      if (result !== null) finish(prepared, result);
      settleOne();
      const next = closed ? undefined : lane.waiting.shift();
      if (next !== undefined) {
        counts.laneWaiting -= 1;
        run(next, lane);
      }
    });
    running.add(task);
    void task.finally(() => running.delete(task));
  };

  const toLane = (prepared: PreparedDelivery): void => {
    if (closed) return;
    let lane = lanes.get(prepared.hook.id);
    if (lane === undefined) {
      lane = { inFlight: 0, waiting: [] };
      lanes.set(prepared.hook.id, lane);
    }
    if (lane.inFlight < settings.maxInFlightPerHook) {
      run(prepared, lane);
    } else {
      lane.waiting.push(prepared);
      counts.laneWaiting += 1;
    }
  };

  const chaos = createChaosStage({
    clock,
    random,
    delayMs: settings.delayMs,
    reorderWindowMs: settings.reorderWindowMs,
    ready: toLane,
  });

  const route = (prepared: PreparedDelivery): void => {
    pending += 1;
    chaos.stage(prepared);
  };

  const build = (
    hook: DeliveryHook,
    events: DeliveryLogEvent[],
    duplicate = false,
  ): PreparedDelivery | null => {
    try {
      return prepareDelivery(hook, events, {
        orgUrl: settings.orgUrl(),
        now: clock.now(),
        duplicate,
      });
    } catch (error) {
      logger.error("event hook delivery could not be built", {
        hookId: hook.id,
        error: String(error),
      });
      return null;
    }
  };

  const batcher = createBatcher({
    clock,
    windowMs: settings.batchWindowMs,
    maxEvents: settings.maxBatchEvents,
    ready: (hook, batch) => {
      const events = settings.reorderWindowMs > 0 ? shuffled(batch, random) : batch;
      const prepared = build(hook, events);
      if (prepared === null) {
        counts.failed += events.length;
        return;
      }
      route(prepared);
      if (settings.duplicateRate > 0 && random() < settings.duplicateRate) {
        const copy =
          settings.duplicateEnvelope === "same"
            ? { ...prepared, duplicate: true }
            : build(hook, events, true);
        if (copy !== null) {
          counts.duplicates += 1;
          route(copy);
        }
      }
    },
  });

  const reportQuota = (decision: QuotaDecision): void => {
    if (decision !== "accepted_warning" && decision !== "refused_first") return;
    const usage = quota.usage(clock.now());
    if (decision === "accepted_warning") {
      logger.warn("event hook daily quota warning", { used: usage.used, limit: usage.limit });
      notify("onQuotaWarning", engineOptions.onQuotaWarning, usage);
    } else {
      logger.warn("event hook daily quota used up: events are refused", { limit: usage.limit });
      notify("onQuotaExceeded", engineOptions.onQuotaExceeded, usage);
    }
  };

  const closedResult = (deliveryId: string): DeliveryResult => ({
    ok: false,
    deliveryId,
    attempts: [],
    cause: {
      kind: "aborted",
      message: "the delivery engine was closed",
      status: null,
      deliveryId,
      attempts: 0,
    },
  });

  return {
    enqueue(hook, event): EnqueueResult {
      checkHook(hook);
      checkEvent(event);
      if (closed) {
        counts.refused += 1;
        return { accepted: false, reason: "closed" };
      }
      const decision = quota.take(clock.now());
      reportQuota(decision);
      if (decision === "refused" || decision === "refused_first") {
        counts.refused += 1;
        return { accepted: false, reason: "quota_exceeded" };
      }
      counts.enqueued += 1;
      batcher.add(hook, toDeliveryLogEvent(event));
      return { accepted: true };
    },

    async deliverNow(hook, events, options = {}): Promise<DeliveryResult> {
      checkHook(hook);
      if (!Array.isArray(events) || events.length === 0) {
        throw new TypeError("deliverNow: events must be a non-empty array");
      }
      for (const event of events) checkEvent(event);
      if (closed) return closedResult("");
      const prepared = build(hook, events.map(toDeliveryLogEvent));
      if (prepared === null) {
        const message = "the delivery could not be built (see the log)";
        const cause = {
          kind: "invalid_request",
          message,
          status: null,
          deliveryId: "",
          attempts: 0,
        } as const;
        return { ok: false, deliveryId: "", attempts: [], cause };
      }
      pending += 1;
      const task = runAttempts(prepared, {
        ...context,
        retries: options.retries ?? settings.retries,
      });
      running.add(task);
      try {
        return (await task) ?? closedResult(prepared.deliveryId);
      } finally {
        running.delete(task);
        settleOne();
      }
    },

    async flush(): Promise<void> {
      batcher.releaseAll();
      chaos.releaseBuffer();
      if (pending === 0) return;
      await new Promise<void>((resolve) => idleWaiters.push(resolve));
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      let dropped = batcher.clear() + chaos.clear();
      for (const lane of lanes.values()) dropped += lane.waiting.splice(0).length;
      counts.laneWaiting = 0;
      if (dropped > 0) logger.warn("delivery engine closed with work left", { dropped });
      for (const handle of retryTimers) clock.clearTimeout(handle);
      retryTimers.clear();
      abort.abort();
      await Promise.allSettled([...running]);
      httpAgent.destroy();
      httpsAgent.destroy();
      pending = 0;
      for (const resolve of idleWaiters.splice(0)) resolve();
    },

    stats() {
      const { laneWaiting, ...rest } = counts;
      return {
        ...rest,
        batched: batcher.size(),
        waiting: laneWaiting + chaos.held(),
        quota: quota.usage(clock.now()),
      };
    },
  };
}
