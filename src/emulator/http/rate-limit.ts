/**
 * `X-Rate-Limit-Limit`, `-Remaining` and `-Reset` on every answer, as Okta sends them (shared
 * spec §5.6): a one-minute window per endpoint family. The emulator counts but never refuses
 * (no 429): a local org is for building, and a surprise 429 in a test loop helps no one.
 */

/** One family of paths sharing a budget. */
export interface RateLimitBucket {
  /** Path prefix, e.g. `/api/v1/logs`. The longest matching prefix wins. */
  prefix: string;
  /** Requests per minute. */
  limit: number;
}

/**
 * Okta's documented example for `/api/v1/logs` is 120 per minute; the other numbers are
 * plausible defaults (Okta's per-org values vary by plan and are not documented for hooks).
 */
export const DEFAULT_RATE_LIMIT_BUCKETS: readonly RateLimitBucket[] = [
  { prefix: "/api/v1/logs", limit: 120 },
  { prefix: "/api/v1/eventHooks", limit: 100 },
  { prefix: "/api/v1/users", limit: 600 },
  { prefix: "/api/v1/groups", limit: 500 },
  { prefix: "/", limit: 600 },
];

/** Counts requests per bucket and minute; returns the headers for each. */
export class RateLimitCounter {
  readonly #buckets: readonly RateLimitBucket[];
  readonly #windows = new Map<string, { minute: number; count: number }>();

  constructor(buckets: readonly RateLimitBucket[] = DEFAULT_RATE_LIMIT_BUCKETS) {
    this.#buckets = [...buckets].sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** Counts one request to `pathname` at `nowMs`, returns its three headers. */
  take(pathname: string, nowMs: number): Record<string, string> {
    const bucket = this.#buckets.find((b) => pathname.startsWith(b.prefix)) ?? {
      prefix: "/",
      limit: 600,
    };
    const minute = Math.floor(nowMs / 60_000);
    const window = this.#windows.get(bucket.prefix);
    const count = window !== undefined && window.minute === minute ? window.count + 1 : 1;
    this.#windows.set(bucket.prefix, { minute, count });
    return {
      "X-Rate-Limit-Limit": String(bucket.limit),
      "X-Rate-Limit-Remaining": String(Math.max(0, bucket.limit - count)),
      "X-Rate-Limit-Reset": String((minute + 1) * 60),
    };
  }
}
