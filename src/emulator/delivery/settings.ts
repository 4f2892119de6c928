/**
 * The delivery engine's settings with their defaults applied and checked, in one place.
 */
import { OKTA_TIMEOUT_MS } from "../../okta/index.js";
import type { DeliverySettings } from "./engine-types.js";
import type { OutboundTlsOptions } from "./outbound.js";
import { RESPONSE_BODY_LIMIT_BYTES } from "./outbound.js";
import { OKTA_DAILY_EVENT_QUOTA, QUOTA_WARNING_RATIO } from "./quota.js";

/** Default batching window: events of one hook within a second share a request. */
export const DEFAULT_BATCH_WINDOW_MS = 1_000;
/** Default largest batch. */
export const DEFAULT_MAX_BATCH_EVENTS = 50;
/** Default pause before the one retry. */
export const DEFAULT_RETRY_DELAY_MS = 1_000;
/** Default requests in flight per hook. */
export const DEFAULT_MAX_IN_FLIGHT_PER_HOOK = 8;
/** The reorder window `chaos.reorder: true` stands for. */
export const DEFAULT_REORDER_WINDOW_MS = 2_000;

/** {@link DeliverySettings} with every default applied. */
export interface ResolvedSettings {
  orgUrl: () => string;
  batchWindowMs: number;
  maxBatchEvents: number;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  maxInFlightPerHook: number;
  dailyQuota: number;
  quotaWarningAt: number;
  responseBodyLimitBytes: number;
  tls: OutboundTlsOptions;
  duplicateRate: number;
  duplicateEnvelope: "same" | "new";
  /** 0 = no reordering. */
  reorderWindowMs: number;
  delayMs: readonly [number, number] | null;
}

/**
 * Applies defaults and checks every field.
 *
 * @throws {TypeError | RangeError} naming the first bad field.
 * @example
 * resolveSettings({ orgUrl: "http://127.0.0.1:7070", batchWindowMs: 0 }).retries; // 1
 */
export function resolveSettings(settings: DeliverySettings): ResolvedSettings {
  if (typeof settings !== "object" || settings === null) {
    throw new TypeError("delivery options must be an object");
  }
  const chaos = settings.chaos ?? {};
  const dailyQuota = integer("dailyQuota", settings.dailyQuota, OKTA_DAILY_EVENT_QUOTA, 0);
  const reorder = chaos.reorder ?? false;
  if (typeof reorder !== "boolean") number("chaos.reorder", reorder, 0, 0);
  const duplicateEnvelope = chaos.duplicateEnvelope ?? "same";
  if (duplicateEnvelope !== "same" && duplicateEnvelope !== "new") {
    throw new TypeError(
      `chaos.duplicateEnvelope must be "same" or "new", got ${JSON.stringify(duplicateEnvelope)}`,
    );
  }
  return {
    orgUrl: orgUrlOf(settings.orgUrl),
    batchWindowMs: number("batchWindowMs", settings.batchWindowMs, DEFAULT_BATCH_WINDOW_MS, 0),
    maxBatchEvents: integer("maxBatchEvents", settings.maxBatchEvents, DEFAULT_MAX_BATCH_EVENTS, 1),
    timeoutMs: number("timeoutMs", settings.timeoutMs, OKTA_TIMEOUT_MS, 1),
    retries: integer("retries", settings.retries, 1, 0),
    retryDelayMs: number("retryDelayMs", settings.retryDelayMs, DEFAULT_RETRY_DELAY_MS, 0),
    maxInFlightPerHook: integer(
      "maxInFlightPerHook",
      settings.maxInFlightPerHook,
      DEFAULT_MAX_IN_FLIGHT_PER_HOOK,
      1,
    ),
    dailyQuota,
    quotaWarningAt: integer(
      "quotaWarningAt",
      settings.quotaWarningAt,
      Math.floor(dailyQuota * QUOTA_WARNING_RATIO),
      0,
    ),
    responseBodyLimitBytes: integer(
      "responseBodyLimitBytes",
      settings.responseBodyLimitBytes,
      RESPONSE_BODY_LIMIT_BYTES,
      0,
    ),
    tls: settings.tls ?? {},
    duplicateRate: rate(chaos.duplicateRate),
    duplicateEnvelope,
    reorderWindowMs: reorder === true ? DEFAULT_REORDER_WINDOW_MS : reorder === false ? 0 : reorder,
    delayMs: delayRange(chaos.delayMs),
  };
}

function number(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new RangeError(`${name} must be a number ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

function integer(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

function rate(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
    throw new RangeError(`chaos.duplicateRate must be between 0 and 1, got ${String(value)}`);
  }
  return value;
}

function delayRange(value: unknown): readonly [number, number] | null {
  if (value === undefined) return null;
  const [min, max] = Array.isArray(value) ? (value as unknown[]) : [];
  const ok =
    Array.isArray(value) &&
    value.length === 2 &&
    typeof min === "number" &&
    typeof max === "number" &&
    Number.isFinite(min) &&
    Number.isFinite(max) &&
    min >= 0 &&
    min <= max;
  if (!ok) {
    throw new RangeError(
      `chaos.delayMs must be [min, max] with 0 ≤ min ≤ max, got ${JSON.stringify(value)}`,
    );
  }
  return [min as number, max as number];
}

function orgUrlOf(value: unknown): () => string {
  if (typeof value === "function") return value as () => string;
  if (typeof value !== "string" || !/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(value)) {
    throw new TypeError(
      `orgUrl must be an http(s) URL such as http://127.0.0.1:7070, got ${JSON.stringify(value)}`,
    );
  }
  return () => value;
}
