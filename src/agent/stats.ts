/**
 * The agent's counters: totals by outcome, latency percentiles over a bounded window, and
 * request rates over 1, 5 and 15 minutes from a ring of 5-second buckets. Memory is constant
 * however long the agent runs; everything is computed on read.
 */
import type { AgentStats, StatusClass } from "./types.js";

/** Finished requests whose latency feeds the percentiles. */
export const LATENCY_WINDOW = 1000;
const BUCKET_MS = 5000;
const BUCKETS = (15 * 60_000) / BUCKET_MS;

/**
 * Mutable counters behind `agent.stats`.
 *
 * @example
 * const stats = new StatsRecorder(() => Date.now());
 * stats.started();
 * stats.finished(200, 12.5);
 * stats.snapshot().p50Ms; // 12.5
 */
export class StatsRecorder {
  readonly #clock: () => number;
  readonly #latencies: number[] = [];
  #next = 0;
  #total = 0;
  #open = 0;
  readonly #byStatus: Record<StatusClass, number> = {
    "2xx": 0,
    "3xx": 0,
    "4xx": 0,
    "5xx": 0,
    error: 0,
  };
  /** Counts per bucket; `#bucketIndex[i]` is the absolute bucket number it holds. */
  readonly #buckets = new Array<number>(BUCKETS).fill(0);
  readonly #bucketIndex = new Array<number>(BUCKETS).fill(-1);

  constructor(clock: () => number) {
    this.#clock = clock;
  }

  /** A request was handed to the upstream. */
  started(): void {
    this.#total++;
    this.#open++;
  }

  /** A request ended: `status` null (or an error) counts as `error`. */
  finished(status: number | null, durationMs: number, failed = false): void {
    this.#open = Math.max(0, this.#open - 1);
    this.#byStatus[classOf(status, failed)]++;
    if (this.#latencies.length < LATENCY_WINDOW) this.#latencies.push(durationMs);
    else this.#latencies[this.#next] = durationMs;
    this.#next = (this.#next + 1) % LATENCY_WINDOW;
    const bucket = Math.floor(this.#clock() / BUCKET_MS);
    const slot = bucket % BUCKETS;
    if (this.#bucketIndex[slot] !== bucket) {
      this.#bucketIndex[slot] = bucket;
      this.#buckets[slot] = 0;
    }
    this.#buckets[slot] = (this.#buckets[slot] ?? 0) + 1;
  }

  snapshot(): AgentStats {
    const sorted = [...this.#latencies].sort((a, b) => a - b);
    const now = Math.floor(this.#clock() / BUCKET_MS);
    return {
      total: this.#total,
      open: this.#open,
      byStatus: { ...this.#byStatus },
      p50Ms: percentile(sorted, 0.5),
      p90Ms: percentile(sorted, 0.9),
      p95Ms: percentile(sorted, 0.95),
      p99Ms: percentile(sorted, 0.99),
      rate1: this.#rate(now, 60_000),
      rate5: this.#rate(now, 5 * 60_000),
      rate15: this.#rate(now, 15 * 60_000),
    };
  }

  /** Requests per second over the last `spanMs` (the current, partial bucket included). */
  #rate(nowBucket: number, spanMs: number): number {
    const span = spanMs / BUCKET_MS;
    let count = 0;
    for (let i = 0; i < BUCKETS; i++) {
      const index = this.#bucketIndex[i] ?? -1;
      if (index > nowBucket - span && index <= nowBucket) count += this.#buckets[i] ?? 0;
    }
    return count / (spanMs / 1000);
  }
}

/**
 * The status class of an outcome.
 *
 * @example
 * classOf(204, false); // "2xx"
 * classOf(502, true); // "error": the agent answered, the app did not
 */
export function classOf(status: number | null, failed: boolean): StatusClass {
  if (failed || status === null) return "error";
  if (status < 300) return "2xx";
  if (status < 400) return "3xx";
  if (status < 500) return "4xx";
  return "5xx";
}

/**
 * The nearest-rank percentile of ascending `sorted` values; 0 for none.
 *
 * @example
 * percentile([1, 2, 3, 4], 0.5); // 2
 */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? 0;
}
