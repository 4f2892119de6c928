/**
 * When the SQLite store writes its pending derived index (sqlite-index-queue.ts): not on the
 * capture's hot path. Idle (no capture write for {@link IDLE_MS}), it indexes in slices of
 * {@link IDLE_SLICE_MS}, one per event-loop turn, until nothing is pending. Busy with a backlog
 * of {@link BACKLOG} or more, it indexes one slice of {@link BUSY_SLICE_MS} every
 * {@link BUSY_INTERVAL_MS} (a 5 % duty cycle), so a sustained load cannot grow the backlog
 * without bound and a filter never has many pending exchanges to match on their bytes.
 * Timers are unref'd: a pending index never keeps a process alive (the next open finishes it).
 */

/** No capture write for this long: the store is idle. */
export const IDLE_MS = 50;
/** One idle slice's budget. */
export const IDLE_SLICE_MS = 10;
/** Pending exchanges above which the index is written under load too. */
export const BACKLOG = 1000;
/** One busy slice's budget. */
export const BUSY_SLICE_MS = 5;
/** Time between busy slices. */
export const BUSY_INTERVAL_MS = 100;

/** What the schedule drives. */
export interface IndexWork {
  /** Indexes for about `budgetMs` and commits; returns how many exchanges are still pending. */
  slice(budgetMs: number): number;
  /** How many exchanges are pending now. */
  pending(): number;
  /** A slice failed: nothing more is tried until the next write. */
  onError(error: unknown): void;
}

/** The schedule of one store. */
export interface IndexSchedule {
  /** A capture write marked an exchange pending. */
  wrote(): void;
  /** Stops every timer. */
  stop(): void;
}

/**
 * Starts the schedule; `pendingAtStart` is what an earlier store left (indexed once idle).
 *
 * @example
 * const schedule = startIndexSchedule({ slice, pending, onError }, queue.pending());
 * schedule.wrote(); // after each capture write
 * schedule.stop();  // at close
 */
export function startIndexSchedule(
  work: IndexWork,
  pendingAtStart: number,
  now: () => number = () => performance.now(),
): IndexSchedule {
  let lastWriteAt = now();
  /** Pending exchanges: counted after each slice, counted up by writes in between. */
  let estimate = pendingAtStart;
  let timer: NodeJS.Timeout | null = null;
  let turn: NodeJS.Immediate | null = null;
  let stopped = false;

  function clear(): void {
    if (timer !== null) clearTimeout(timer);
    if (turn !== null) clearImmediate(turn);
    timer = null;
    turn = null;
  }

  function after(ms: number): void {
    clear();
    if (stopped || estimate === 0) return;
    if (ms <= 0) {
      turn = setImmediate(tick);
      turn.unref();
    } else {
      timer = setTimeout(tick, ms);
      timer.unref();
    }
  }

  function run(budgetMs: number): boolean {
    try {
      estimate = work.slice(budgetMs);
      return true;
    } catch (error) {
      estimate = 0;
      work.onError(error);
      return false;
    }
  }

  function tick(): void {
    timer = null;
    turn = null;
    const quiet = now() - lastWriteAt;
    if (quiet >= IDLE_MS) {
      if (run(IDLE_SLICE_MS)) after(0);
      return;
    }
    if (estimate >= BACKLOG) {
      estimate = work.pending();
      if (estimate >= BACKLOG && !run(BUSY_SLICE_MS)) return;
      after(BUSY_INTERVAL_MS);
      return;
    }
    after(IDLE_MS - quiet);
  }

  after(IDLE_MS);
  return {
    wrote() {
      lastWriteAt = now();
      estimate++;
      if (timer === null && turn === null) after(IDLE_MS);
    },
    stop() {
      stopped = true;
      clear();
    },
  };
}
