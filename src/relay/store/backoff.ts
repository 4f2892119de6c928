/**
 * When to retry a queued delivery: a pure function of the attempt count, so the relay's
 * scheduler and its tests agree without a clock. Also how long the queue keeps what it holds.
 */
import { StoreError } from "./errors.js";

/** How long an accepted request is retried before it becomes failed: 24 hours. */
export const QUEUE_TTL_MS = 24 * 60 * 60 * 1000;

/** How long a delivered request stays in the queue's history before it is deleted: 7 days. */
export const KEEP_DELIVERED_MS = 7 * 24 * 60 * 60 * 1000;

/** The delay after the first failed attempt. */
export const FIRST_RETRY_DELAY_MS = 1000;

/** The ceiling of the base delay (before jitter): 5 minutes. */
export const MAX_RETRY_DELAY_MS = 5 * 60 * 1000;

/** Jitter spreads each delay uniformly over ±20% of its base. */
export const RETRY_JITTER_RATIO = 0.2;

/**
 * Milliseconds to wait after `attempt` failed attempts (1 for the first): 1 s, 2 s, 4 s, …
 * doubling up to 5 min, then ±20% jitter. The cap applies before the jitter so that items
 * that reached it keep spreading out instead of all retrying on the same 5-minute beat after
 * an outage. `random` must return a number in [0, 1), like `Math.random`.
 *
 * @example
 * const delay = nextRetryDelayMs(item.attempts + 1); // 800–1200 ms after a first failure
 * await store.recordAttempt(item.id, { status: 503, nextAttemptAt: now + delay });
 */
export function nextRetryDelayMs(attempt: number, random: () => number = Math.random): number {
  if (!Number.isSafeInteger(attempt) || attempt < 1) {
    throw new StoreError("invalid_argument", "attempt must be an integer ≥ 1", {
      field: "attempt",
    });
  }
  const draw = random();
  if (!(draw >= 0 && draw < 1)) {
    throw new StoreError("invalid_argument", "random() must return a number in [0, 1)", {
      field: "random",
    });
  }
  // 2 ** 1023 is still finite, so Math.min sees the cap even for absurd attempt counts.
  const base = Math.min(
    FIRST_RETRY_DELAY_MS * 2 ** Math.min(attempt - 1, 1023),
    MAX_RETRY_DELAY_MS,
  );
  const factor = 1 - RETRY_JITTER_RATIO + 2 * RETRY_JITTER_RATIO * draw;
  // Whole milliseconds: the SQLite schema stores times as INTEGER.
  return Math.round(base * factor);
}
