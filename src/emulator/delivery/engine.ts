/**
 * The delivery engine: Okta's delivery rules for the emulated org (shared spec §4). Events
 * queued for a hook within a window share one request; each request goes through
 * {@link runAttempts} (3 s, one retry on timeout/5xx/connection error); the daily quota refuses
 * events beyond it; chaos knobs duplicate, reorder and delay deliveries.
 *
 * Path of an event: `enqueue` → the hook's open batch → (window ends or batch full) envelope →
 * chaos delay → reorder buffer → the hook's lane (at most `maxInFlightPerHook` in flight) →
 * attempts → `onAttempt` per request, `onFailure` when given up.
 */
import http from "node:http";
import https from "node:https";
import { silentLogger } from "../../log/index.js";
import type { AnyLogEvent, DeliveryLogEvent } from "../../okta/index.js";
import { toDeliveryLogEvent } from "../logic/log-event-shape.js";
import {
  type AttemptContext,
  type PreparedDelivery,
  prepareDelivery,
  runAttempts,
} from "./attempts.js";
import { type Clock, systemClock, type TimerHandle } from "./clock.js";
import type {
  DeliveryEngine,
  DeliveryEngineOptions,
  DeliveryHook,
  DeliveryResult,
  DeliveryStats,
  EnqueueResult,
} from "./engine-types.js";
import { createDailyQuota } from "./quota.js";
import { resolveSettings } from "./settings.js";

interface OpenBatch {
  hook: DeliveryHook;
  events: DeliveryLogEvent[];
  timer: TimerHandle | null;
}

interface Lane {
  inFlight: number;
  waiting: PreparedDelivery[];
}

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
  const httpAgent = new http.Agent({ keepAlive: true, timeout: 2_000 });
  const httpsAgent = new https.Agent({ keepAlive: true, timeout: 2_000 });

  const batches = new Map<string, OpenBatch>();
  const lanes = new Map<string, Lane>();
  const timers = new Set<TimerHandle>();
  const running = new Set<Promise<unknown>>();
  let reorderBuffer: PreparedDelivery[] = [];
  let reorderTimer: TimerHandle | null = null;
  let closed = false;
  /** Deliveries made and not yet settled (waiting, delayed, buffered or in flight). */
  let pending = 0;
  let idleWaiters: (() => void)[] = [];
  const counts = {
    enqueued: 0,
    refused: 0,
    waiting: 0,
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

  const later = (ms: number, run: () => void): TimerHandle => {
    const handle = clock.setTimeout(() => {
      timers.delete(handle);
      run();
    }, ms);
    timers.add(handle);
    return handle;
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
        later(ms, () => {
          abort.signal.removeEventListener("abort", onAbort);
          resolve(true);
        });
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

  const run = (prepared: PreparedDelivery, lane: Lane): void => {
    lane.inFlight += 1;
    counts.inFlight += 1;
    const task = runAttempts(prepared, context).then((result) => {
      lane.inFlight -= 1;
      counts.inFlight -= 1;
      if (result !== null) finish(prepared, result);
      settleOne();
      const next = lane.waiting.shift();
      if (next !== undefined && !closed) {
        counts.waiting -= 1;
        run(next, lane);
      }
    });
    running.add(task);
    void task.finally(() => running.delete(task));
  };

  const finish = (prepared: PreparedDelivery, result: DeliveryResult): void => {
    if (!prepared.duplicate) {
      if (result.ok) counts.delivered += prepared.events.length;
      else counts.failed += prepared.events.length;
    }
    if (!result.ok && result.cause !== undefined) {
      logger.warn("event hook delivery failed", {
        hookId: prepared.hook.id,
        deliveryId: prepared.deliveryId,
        cause: result.cause.message,
      });
      notify("onFailure", engineOptions.onFailure, prepared.hook, prepared.events, result.cause);
    }
  };

  const toLane = (prepared: PreparedDelivery): void => {
    if (closed) return;
    let lane = lanes.get(prepared.hook.id);
    if (lane === undefined) {
      lane = { inFlight: 0, waiting: [] };
      lanes.set(prepared.hook.id, lane);
    }
    if (lane.inFlight < settings.maxInFlightPerHook) run(prepared, lane);
    else {
      lane.waiting.push(prepared);
      counts.waiting += 1;
    }
  };

  const releaseReorderBuffer = (): void => {
    if (reorderTimer !== null) {
      clock.clearTimeout(reorderTimer);
      timers.delete(reorderTimer);
      reorderTimer = null;
    }
    const released = shuffled(reorderBuffer, random);
    reorderBuffer = [];
    counts.waiting -= released.length;
    for (const prepared of released) toLane(prepared);
  };

  const stage = (prepared: PreparedDelivery): void => {
    if (settings.reorderWindowMs === 0) {
      toLane(prepared);
      return;
    }
    reorderBuffer.push(prepared);
    counts.waiting += 1;
    reorderTimer ??= later(settings.reorderWindowMs, () => {
      reorderTimer = null;
      releaseReorderBuffer();
    });
  };

  const route = (prepared: PreparedDelivery): void => {
    pending += 1;
    const delay = settings.delayMs;
    if (delay === null) {
      stage(prepared);
      return;
    }
    counts.waiting += 1;
    later(delay[0] + random() * (delay[1] - delay[0]), () => {
      counts.waiting -= 1;
      stage(prepared);
    });
  };

  const dispatch = (hookId: string): void => {
    const batch = batches.get(hookId);
    if (batch === undefined) return;
    batches.delete(hookId);
    if (batch.timer !== null) {
      clock.clearTimeout(batch.timer);
      timers.delete(batch.timer);
    }
    const events = settings.reorderWindowMs > 0 ? shuffled(batch.events, random) : batch.events;
    let prepared: PreparedDelivery;
    try {
      prepared = prepareDelivery(batch.hook, events, {
        orgUrl: settings.orgUrl(),
        now: clock.now(),
      });
    } catch (error) {
      counts.failed += events.length;
      logger.error("event hook delivery could not be built", { hookId, error: String(error) });
      return;
    }
    route(prepared);
    if (settings.duplicateRate > 0 && random() < settings.duplicateRate) {
      counts.duplicates += 1;
      const copy =
        settings.duplicateEnvelope === "same"
          ? { ...prepared, duplicate: true }
          : prepareDelivery(batch.hook, events, {
              orgUrl: settings.orgUrl(),
              now: clock.now(),
              duplicate: true,
            });
      route(copy);
    }
  };

  const reportQuota = (decision: ReturnType<typeof quota.take>): void => {
    if (decision === "accepted_warning") {
      const usage = quota.usage(clock.now());
      logger.warn("event hook daily quota warning", { used: usage.used, limit: usage.limit });
      notify("onQuotaWarning", engineOptions.onQuotaWarning, usage);
    } else if (decision === "refused_first") {
      const usage = quota.usage(clock.now());
      logger.warn("event hook daily quota used up: events are refused", { limit: usage.limit });
      notify("onQuotaExceeded", engineOptions.onQuotaExceeded, usage);
    }
  };

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
      const delivered = toDeliveryLogEvent(event);
      let batch = batches.get(hook.id);
      if (batch === undefined) {
        batch = { hook, events: [], timer: null };
        batches.set(hook.id, batch);
      }
      batch.hook = hook;
      batch.events.push(delivered);
      if (settings.batchWindowMs === 0 || batch.events.length >= settings.maxBatchEvents) {
        dispatch(hook.id);
      } else if (batch.timer === null) {
        batch.timer = later(settings.batchWindowMs, () => {
          const open = batches.get(hook.id);
          if (open !== undefined) open.timer = null;
          dispatch(hook.id);
        });
      }
      return { accepted: true };
    },

    async deliverNow(hook, events, options = {}): Promise<DeliveryResult> {
      checkHook(hook);
      if (!Array.isArray(events) || events.length === 0) {
        throw new TypeError("deliverNow: events must be a non-empty array");
      }
      for (const event of events) checkEvent(event);
      let prepared: PreparedDelivery;
      try {
        prepared = prepareDelivery(hook, events.map(toDeliveryLogEvent), {
          orgUrl: settings.orgUrl(),
          now: clock.now(),
        });
      } catch (error) {
        const message = `the delivery could not be built: ${String(error)}`;
        const cause = {
          kind: "invalid_request",
          message,
          status: null,
          deliveryId: "",
          attempts: 0,
        } as const;
        return { ok: false, deliveryId: "", attempts: [], cause };
      }
      const aborted = (): DeliveryResult => ({
        ok: false,
        deliveryId: prepared.deliveryId,
        attempts: [],
        cause: {
          kind: "aborted",
          message: "the delivery engine was closed",
          status: null,
          deliveryId: prepared.deliveryId,
          attempts: 0,
        },
      });
      if (closed) return aborted();
      pending += 1;
      const task = runAttempts(prepared, {
        ...context,
        retries: options.retries ?? settings.retries,
      });
      running.add(task);
      try {
        return (await task) ?? aborted();
      } finally {
        running.delete(task);
        settleOne();
      }
    },

    async flush(): Promise<void> {
      for (const hookId of [...batches.keys()]) dispatch(hookId);
      if (reorderBuffer.length > 0) releaseReorderBuffer();
      if (pending === 0) return;
      await new Promise<void>((resolve) => idleWaiters.push(resolve));
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      const dropped =
        [...batches.values()].reduce((n, batch) => n + batch.events.length, 0) + counts.waiting;
      if (dropped > 0) logger.warn("delivery engine closed with work left", { dropped });
      for (const handle of timers) clock.clearTimeout(handle);
      timers.clear();
      batches.clear();
      reorderBuffer = [];
      for (const lane of lanes.values()) lane.waiting = [];
      counts.waiting = 0;
      abort.abort();
      await Promise.allSettled([...running]);
      httpAgent.destroy();
      httpsAgent.destroy();
      pending = 0;
      for (const resolve of idleWaiters.splice(0)) resolve();
      idleWaiters = [];
    },

    stats(): DeliveryStats {
      let batched = 0;
      for (const batch of batches.values()) batched += batch.events.length;
      return { ...counts, batched, quota: quota.usage(clock.now()) };
    },
  };
}

const HOOK_ID = /^[A-Za-z0-9_-]+$/;

function checkHook(hook: DeliveryHook): void {
  if (
    typeof hook !== "object" ||
    hook === null ||
    typeof hook.id !== "string" ||
    !HOOK_ID.test(hook.id)
  ) {
    throw new TypeError(
      `delivery: hook.id must be an event hook id, got ${JSON.stringify(hook?.id)}`,
    );
  }
  if (
    typeof hook.channel !== "object" ||
    hook.channel === null ||
    typeof hook.channel.uri !== "string"
  ) {
    throw new TypeError(`delivery: hook ${hook.id} has no channel.uri`);
  }
}

function checkEvent(event: AnyLogEvent): void {
  const e = event as unknown as Record<string, unknown> | null;
  if (
    typeof e !== "object" ||
    e === null ||
    typeof e.uuid !== "string" ||
    typeof e.eventType !== "string"
  ) {
    throw new TypeError("delivery: an event must be a LogEvent with a string uuid and eventType");
  }
}

/** A shuffled copy (Fisher–Yates). */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
