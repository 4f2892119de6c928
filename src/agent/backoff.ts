/**
 * Reconnection delays: exponential backoff with full jitter (a uniform draw between 0 and the
 * exponential cap), so that many agents cut off by one relay restart do not all redial at once.
 * See "Exponential Backoff And Jitter", AWS Architecture Blog, 2015.
 */

/**
 * The delay before retry number `attempt` (0 for the first retry after a loss): a uniform
 * draw in `[0, min(maxDelayMs, minDelayMs · 2^attempt))`, never below 0.
 *
 * @example
 * backoffDelayMs(0, { minDelayMs: 250, maxDelayMs: 30_000 }, Math.random); // 0..250
 * backoffDelayMs(10, { minDelayMs: 250, maxDelayMs: 30_000 }, () => 0.5); // 15000
 */
export function backoffDelayMs(
  attempt: number,
  bounds: { minDelayMs: number; maxDelayMs: number },
  random: () => number,
): number {
  // 2^31 already exceeds any sane cap; capping the exponent keeps the number finite.
  const exponent = Math.min(Math.max(attempt, 0), 31);
  const cap = Math.min(bounds.maxDelayMs, bounds.minDelayMs * 2 ** exponent);
  const draw = random();
  const unit = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1) : 0;
  return Math.floor(unit * cap);
}
