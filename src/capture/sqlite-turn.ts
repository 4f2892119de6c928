/**
 * Group commit for the SQLite store: the writes of one event-loop turn share one transaction,
 * and under load so do those of several turns.
 *
 * The first write of a turn opens `BEGIN IMMEDIATE` (taking the write lock then, so a busy
 * database fails that write at its caller) and schedules the commit with `setImmediate`, which
 * runs once the turn's I/O callbacks are done — unless the last scheduled commit was less than
 * the commit interval ({@link COMMIT_INTERVAL_MS} by default) ago: then the commit waits for the rest of that interval, and the
 * turns in between join the open transaction. A lone write commits at the end of its turn; a
 * sustained load commits at most 100 times a second, each commit holding dozens of exchanges
 * (a WAL commit costs a write of every page it changed: the pages an index shares between
 * exchanges are written once per commit instead of once per exchange). Reads on the same
 * connection see the uncommitted rows; other connections see them after the commit, at most
 * about 10 ms later.
 *
 * Writes run without savepoints: FTS5 flushes its pending index data to a new segment at every
 * savepoint, which made a 2 KB body cost 2.6× as much to index. Instead a write comes in two
 * phases: `plan` checks and computes everything (duplicate id, derived index entries) and may
 * throw without having written; the function it returns only runs statements. If a statement
 * throws anyway, or the commit fails (disk full, I/O error), or SQLite rolls the transaction
 * back on its own, the whole turn is rolled back: `onRollback` gets the ids the store announced
 * in it, to log the loss and tell listeners (sqlite-store.ts).
 */
import type Database from "better-sqlite3";

/** Least time between two scheduled commits by default (see the file comment). */
export const COMMIT_INTERVAL_MS = 10;

/** What listeners were last told about an exchange written in the open turn. */
export type Announced = "present" | "absent";

/** The open turn of a SQLite store; see the file comment. */
export interface WriteTurn {
  /**
   * Runs a write in the turn's transaction, opening it first when none is open: `plan` may
   * read and throw; the function it returns (if any) writes. Returns what that returns, or
   * null when `plan` returned null (nothing to write).
   */
  write<R>(plan: () => (() => R) | null): R | null;
  /** Records what listeners were told about `id` in this turn (the last call wins). */
  announce(id: string, state: Announced): void;
  /** Commits the open transaction now, if there is one. Never throws: a failure goes to `onRollback`. */
  flush(): void;
}

/** Called after a turn was lost, with the error and the ids announced in it. */
export type RollbackHandler = (error: unknown, announced: ReadonlyMap<string, Announced>) => void;

/** What the store does around a turn's end. */
export interface TurnHooks {
  /** Last statements of the turn, run just before COMMIT (the queued full-text rows). */
  beforeCommit(): void;
  /** After the turn was rolled back: see {@link RollbackHandler}. */
  onRollback: RollbackHandler;
  /** After a successful commit. */
  afterCommit?: () => void;
}

/**
 * A write turn on `db`, which must not be in a transaction.
 *
 * @example
 * const turn = createWriteTurn(db, {
 *   beforeCommit: () => {},
 *   onRollback: (error, announced) => logger.error("lost", { count: announced.size }),
 * });
 * turn.write(() => () => insertRow(x));
 * turn.announce(x.id, "present");
 */
export function createWriteTurn(
  db: Database.Database,
  hooks: TurnHooks,
  commitIntervalMs: number = COMMIT_INTERVAL_MS,
): WriteTurn {
  const begin = db.prepare("BEGIN IMMEDIATE");
  const commit = db.prepare("COMMIT");
  const rollback = db.prepare("ROLLBACK");
  let announced = new Map<string, Announced>();
  let timer: NodeJS.Immediate | null = null;
  let delay: NodeJS.Timeout | null = null;
  /** When the last scheduled commit ran (explicit flushes do not pace the next one). */
  let lastCommitAt = Number.NEGATIVE_INFINITY;
  /** True from our BEGIN until our COMMIT or ROLLBACK. */
  let open = false;

  function end(): ReadonlyMap<string, Announced> {
    if (timer !== null) clearImmediate(timer);
    if (delay !== null) clearTimeout(delay);
    timer = null;
    delay = null;
    open = false;
    const lost = announced;
    announced = new Map();
    return lost;
  }

  function lose(error: unknown): void {
    if (db.inTransaction) {
      try {
        rollback.run();
      } catch {
        // Nothing more to undo: SQLite already ended the transaction.
      }
    }
    hooks.onRollback(error, end());
  }

  function flush(): void {
    if (!open) return;
    if (!db.inTransaction) {
      lose(new Error("SQLite rolled the transaction back"));
      return;
    }
    try {
      hooks.beforeCommit();
      commit.run();
      end();
      hooks.afterCommit?.();
    } catch (error) {
      lose(error);
    }
  }

  function scheduledFlush(): void {
    lastCommitAt = performance.now();
    flush();
  }

  return {
    write(plan) {
      if (!open) {
        begin.run();
        open = true;
        const wait = lastCommitAt + commitIntervalMs - performance.now();
        if (wait <= 0) timer = setImmediate(scheduledFlush);
        else delay = setTimeout(scheduledFlush, wait);
      }
      const apply = plan();
      if (apply === null) return null;
      try {
        return apply();
      } catch (error) {
        // Statements of this write may have run: only undoing the turn undoes them.
        lose(error);
        throw error;
      }
    },
    announce(id, state) {
      if (open) announced.set(id, state);
    },
    flush,
  };
}
