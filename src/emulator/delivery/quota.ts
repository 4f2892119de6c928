/**
 * Okta's daily event hook quota per org (shared spec §4): 400,000 events in 24 hours, a warning
 * at 280,000; the period starts with its first event and ends 24 hours later. Retries do not
 * count.
 */

/** Okta's number of events per org per 24 hours. */
export const OKTA_DAILY_EVENT_QUOTA = 400_000;

/** Okta's warning threshold, as a share of the quota (280,000 of 400,000). */
export const QUOTA_WARNING_RATIO = 0.7;

const PERIOD_MS = 24 * 60 * 60 * 1000;

/** Where the quota stands. */
export interface QuotaUsage {
  /** Events counted in the current period. */
  used: number;
  limit: number;
  warningAt: number;
  /** Epoch ms the period started, `null` before the first event. */
  periodStartedAt: number | null;
  /** Epoch ms the count goes back to 0, `null` before the first event. */
  resetsAt: number | null;
  /** Events refused because the quota was used up, this period. */
  refused: number;
}

/** What {@link DailyQuota.take} decided. */
export type QuotaDecision = "accepted" | "accepted_warning" | "refused" | "refused_first";

/** A counter of events against the daily quota. */
export interface DailyQuota {
  /** Counts one event at `now` if the quota allows it. */
  take(now: number): QuotaDecision;
  usage(now: number): QuotaUsage;
}

/**
 * Creates the counter. `warningAt` defaults to 70 % of `limit`, Okta's ratio.
 *
 * @throws {RangeError} on a limit or warning threshold that is not a non-negative integer.
 * @example
 * const quota = createDailyQuota({ limit: 10 });
 * quota.take(Date.now()); // "accepted"
 */
export function createDailyQuota(settings: { limit: number; warningAt?: number }): DailyQuota {
  const { limit } = settings;
  const warningAt = settings.warningAt ?? Math.floor(limit * QUOTA_WARNING_RATIO);
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new RangeError(`dailyQuota must be a non-negative integer, got ${limit}`);
  }
  if (!Number.isSafeInteger(warningAt) || warningAt < 0) {
    throw new RangeError(`quotaWarningAt must be a non-negative integer, got ${warningAt}`);
  }
  let used = 0;
  let refused = 0;
  let periodStartedAt: number | null = null;

  const roll = (now: number): void => {
    if (periodStartedAt !== null && now >= periodStartedAt + PERIOD_MS) {
      used = 0;
      refused = 0;
      periodStartedAt = null;
    }
  };

  return {
    take(now) {
      roll(now);
      periodStartedAt ??= now;
      if (used >= limit) {
        refused += 1;
        return refused === 1 ? "refused_first" : "refused";
      }
      used += 1;
      return used === warningAt ? "accepted_warning" : "accepted";
    },
    usage(now) {
      roll(now);
      return {
        used,
        limit,
        warningAt,
        periodStartedAt,
        resetsAt: periodStartedAt === null ? null : periodStartedAt + PERIOD_MS,
        refused,
      };
    },
  };
}
