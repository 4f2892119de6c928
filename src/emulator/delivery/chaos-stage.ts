/**
 * Where the chaos knobs act on deliveries ready to send: a random delay each, then a reorder
 * buffer released in random order once its window ends. Without knobs, deliveries pass
 * straight through.
 */
import type { PreparedDelivery } from "./attempts.js";
import type { Clock, TimerHandle } from "./clock.js";

/** The stage between a built delivery and its hook's lane. */
export interface ChaosStage {
  /** Takes a delivery; `ready` gets it now, or after its delay and the reorder window. */
  stage(prepared: PreparedDelivery): void;
  /** Releases the reorder buffer now (delayed deliveries keep their delay). */
  releaseBuffer(): void;
  /** Deliveries held (delayed or buffered). */
  held(): number;
  /** Drops everything held and cancels the timers; returns how many were dropped. */
  clear(): number;
}

/**
 * Creates the stage.
 *
 * @example
 * const stage = createChaosStage({ clock, random, delayMs: [0, 500], reorderWindowMs: 2000, ready: toLane });
 */
export function createChaosStage(settings: {
  clock: Clock;
  random: () => number;
  delayMs: readonly [number, number] | null;
  reorderWindowMs: number;
  ready: (prepared: PreparedDelivery) => void;
}): ChaosStage {
  const { clock, random, delayMs, reorderWindowMs, ready } = settings;
  const delayed = new Map<TimerHandle, PreparedDelivery>();
  let buffer: PreparedDelivery[] = [];
  let bufferTimer: TimerHandle | null = null;

  const releaseBuffer = (): void => {
    if (bufferTimer !== null) clock.clearTimeout(bufferTimer);
    bufferTimer = null;
    const released = shuffled(buffer, random);
    buffer = [];
    for (const prepared of released) ready(prepared);
  };

  const toBuffer = (prepared: PreparedDelivery): void => {
    if (reorderWindowMs === 0) {
      ready(prepared);
      return;
    }
    buffer.push(prepared);
    bufferTimer ??= clock.setTimeout(releaseBuffer, reorderWindowMs);
  };

  return {
    stage(prepared) {
      if (delayMs === null) {
        toBuffer(prepared);
        return;
      }
      const [min, max] = delayMs;
      const handle = clock.setTimeout(
        () => {
          delayed.delete(handle);
          toBuffer(prepared);
        },
        min + random() * (max - min),
      );
      delayed.set(handle, prepared);
    },
    releaseBuffer,
    held: () => delayed.size + buffer.length,
    clear() {
      const dropped = delayed.size + buffer.length;
      for (const handle of delayed.keys()) clock.clearTimeout(handle);
      delayed.clear();
      if (bufferTimer !== null) clock.clearTimeout(bufferTimer);
      bufferTimer = null;
      buffer = [];
      return dropped;
    },
  };
}

/**
 * A shuffled copy (Fisher–Yates).
 *
 * @example
 * shuffled([1, 2, 3], Math.random); // [3, 1, 2]
 */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
