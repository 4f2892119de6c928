/**
 * The delivery knobs a user may turn on a running org (`hooktap okta` flags, the
 * `/api/v1/hooktap/settings` API): batching, retry delay, the daily quota and chaos. Checked
 * once here; kept in the store so they survive a restart.
 */
import type { ChaosOptions } from "../delivery/engine-types.js";
import { resolveSettings } from "../delivery/settings.js";
import { OktaApiError } from "../http/okta-api-error.js";

/** What can be changed about deliveries. Absent fields keep Okta's (or the emulator's) default. */
export interface DeliveryKnobs {
  /** Events for one hook within this many ms share a request; 0 sends each at once. */
  batchWindowMs?: number;
  /** The most events in one request. */
  maxBatchEvents?: number;
  /** Pause before the one retry. */
  retryDelayMs?: number;
  /** Events per 24 h (Okta's is 400,000); 0 refuses every event. */
  dailyQuota?: number;
  chaos?: ChaosOptions;
}

const KNOBS = ["batchWindowMs", "maxBatchEvents", "retryDelayMs", "dailyQuota", "chaos"];
const CHAOS = ["duplicateRate", "duplicateEnvelope", "reorder", "delayMs"];

/** The store key of the knobs. */
export const DELIVERY_KNOBS_KEY = "delivery";

/**
 * Checks knobs (unknown fields included); throws `RangeError`/`TypeError` naming the field.
 *
 * @example
 * checkKnobs({ batchWindowMs: 0, chaos: { duplicateRate: 0.5 } });
 */
export function checkKnobs(value: unknown): DeliveryKnobs {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError("delivery settings must be an object");
  }
  for (const key of Object.keys(value)) {
    if (!KNOBS.includes(key)) {
      throw new TypeError(`unknown delivery setting '${key}'; known: ${KNOBS.join(", ")}`);
    }
  }
  const chaos = (value as DeliveryKnobs).chaos;
  if (chaos !== undefined) {
    if (typeof chaos !== "object" || chaos === null || Array.isArray(chaos)) {
      throw new TypeError("chaos must be an object");
    }
    for (const key of Object.keys(chaos)) {
      if (!CHAOS.includes(key)) {
        throw new TypeError(`unknown chaos setting 'chaos.${key}'; known: ${CHAOS.join(", ")}`);
      }
    }
  }
  resolveSettings({ orgUrl: "http://127.0.0.1", ...(value as DeliveryKnobs) });
  return value as DeliveryKnobs;
}

/**
 * `base` with `change` applied: each given field replaces the old one (`chaos` is merged field
 * by field); `null` removes a field, back to its default.
 */
export function mergeKnobs(base: DeliveryKnobs, change: Record<string, unknown>): unknown {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(change)) {
    if (value === null) delete merged[key];
    else if (key === "chaos" && typeof value === "object" && !Array.isArray(value)) {
      const chaos: Record<string, unknown> = { ...base.chaos };
      for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === null) delete chaos[name];
        else chaos[name] = v;
      }
      merged.chaos = chaos;
    } else merged[key] = value;
  }
  return merged;
}

/** An invalid knob as Okta's validation error (400 E0000001). */
export function knobError(error: unknown): OktaApiError {
  const message = error instanceof Error ? error.message : String(error);
  const field =
    /^(?:unknown (?:chaos |delivery )?setting ')?([\w.]+)/.exec(message)?.[1] ?? "delivery";
  return OktaApiError.validation([{ field, message }]);
}
