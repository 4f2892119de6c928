/**
 * What both stores share besides the contract: their options with defaults applied in one place
 * and the retention rule (which exchanges to evict).
 */
import { type Logger, silentLogger } from "../log/index.js";
import { checkBodyLimit, DEFAULT_CAPTURE_BODY_LIMIT_BYTES } from "./body-capture.js";
import { CaptureError } from "./errors.js";
import {
  type CaptureStats,
  type CaptureStoreOptions,
  DEFAULT_RETENTION_MAX_BYTES,
  DEFAULT_RETENTION_MAX_EXCHANGES,
} from "./store.js";

/** {@link CaptureStoreOptions} with every default applied. */
export interface ResolvedStoreOptions {
  bodyLimitBytes: number;
  maxExchanges: number;
  maxBytes: number;
  logger: Logger;
}

function checkRetentionLimit(value: unknown, name: string): number {
  if (value === Number.POSITIVE_INFINITY) return value;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new CaptureError(
      "invalid_argument",
      `${name} must be a non-negative integer or Infinity`,
      {
        field: name,
      },
    );
  }
  return value;
}

/** Applies the defaults of {@link CaptureStoreOptions}; throws `invalid_argument` on a bad value. */
export function resolveStoreOptions(options: CaptureStoreOptions = {}): ResolvedStoreOptions {
  const retention = options.retention ?? {};
  return {
    bodyLimitBytes: checkBodyLimit(
      options.bodyLimitBytes ?? DEFAULT_CAPTURE_BODY_LIMIT_BYTES,
      "bodyLimitBytes",
    ),
    maxExchanges: checkRetentionLimit(
      retention.maxExchanges ?? DEFAULT_RETENTION_MAX_EXCHANGES,
      "retention.maxExchanges",
    ),
    maxBytes: checkRetentionLimit(
      retention.maxBytes ?? DEFAULT_RETENTION_MAX_BYTES,
      "retention.maxBytes",
    ),
    logger: options.logger ?? silentLogger,
  };
}

/** An exchange as the retention rule sees it. */
export interface RetentionEntry {
  id: string;
  bytes: number;
}

/**
 * The ids to evict so that `totals` fit the limits: oldest first, skipping `spareId` (the
 * exchange just written). `oldestFirst` is consumed lazily and only as far as needed.
 */
export function pickEvictions(
  oldestFirst: Iterable<RetentionEntry>,
  totals: CaptureStats,
  limits: Pick<ResolvedStoreOptions, "maxExchanges" | "maxBytes">,
  spareId: string,
): string[] {
  let count = totals.count;
  let bytes = totals.bytes;
  const ids: string[] = [];
  if (count <= limits.maxExchanges && bytes <= limits.maxBytes) return ids;
  for (const entry of oldestFirst) {
    if (count <= limits.maxExchanges && bytes <= limits.maxBytes) break;
    if (entry.id === spareId) continue;
    ids.push(entry.id);
    count -= 1;
    bytes -= entry.bytes;
  }
  return ids;
}
