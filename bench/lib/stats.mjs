/** Order statistics of the benchmarks' samples. */

/** The `p`th percentile (0–100) of ascending `sorted` samples (nearest rank). */
export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The median of `values` (any order; the upper one of an even count). */
export function median(values) {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}
