/**
 * Time as the delivery engine sees it: the current time and timers, injectable so tests can
 * drive batching windows, retry delays and the daily quota without waiting.
 */

/** A timer handle of a {@link Clock}. */
export type TimerHandle = unknown;

/** The engine's source of time. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock: `Date.now` and Node's timers (unref'd: pending windows never hold the process). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
