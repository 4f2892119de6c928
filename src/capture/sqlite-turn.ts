/**
 * Group commit for the SQLite store: the writes of one event-loop turn share one transaction.
 *
 * The first write of a turn opens `BEGIN IMMEDIATE` (taking the write lock then, so a busy
 * database fails that write at its caller) and schedules the commit with `setImmediate`, which
 * runs once the turn's I/O callbacks are done. Each write runs inside as a savepoint
 * (better-sqlite3 nests `db.transaction` that way), so a write that throws undoes only itself.
 * Reads on the same connection see the uncommitted rows; other connections see them after the
 * commit. A WAL commit costs about 0.3 ms on this VM whatever it holds, so a burst of writes
 * pays it once instead of once per write.
 *
 * If the commit fails (disk full, I/O error), or SQLite rolls the whole transaction back on its
 * own after a failing statement, everything written in the turn is gone: `onRollback` gets the
 * ids the store announced in it, to log the loss and tell listeners (sqlite-store.ts).
 */
import type Database from "better-sqlite3";

/** What listeners were last told about an exchange written in the open turn. */
export type Announced = "present" | "absent";

/** The open turn of a SQLite store; see the file comment. */
export interface WriteTurn {
  /** Runs `write` in the turn's transaction, opening it first when none is open. */
  run<T>(write: () => T): T;
  /** Records what listeners were told about `id` in this turn (the last call wins). */
  announce(id: string, state: Announced): void;
  /** Commits the open transaction now, if there is one. Never throws: a failure goes to `onRollback`. */
  flush(): void;
}

/** Called after a turn was lost, with the error and the ids announced in it. */
export type RollbackHandler = (error: unknown, announced: ReadonlyMap<string, Announced>) => void;

/**
 * A write turn on `db`, which must not be in a transaction.
 *
 * @example
 * const turn = createWriteTurn(db, (error, announced) => logger.error("lost", { count: announced.size }));
 * turn.run(() => insertRow(x));
 * turn.announce(x.id, "present");
 */
export function createWriteTurn(db: Database.Database, onRollback: RollbackHandler): WriteTurn {
  const begin = db.prepare("BEGIN IMMEDIATE");
  const commit = db.prepare("COMMIT");
  const rollback = db.prepare("ROLLBACK");
  let announced = new Map<string, Announced>();
  let timer: NodeJS.Immediate | null = null;
  /** True from our BEGIN until our COMMIT or ROLLBACK. */
  let open = false;

  function end(): ReadonlyMap<string, Announced> {
    if (timer !== null) clearImmediate(timer);
    timer = null;
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
    onRollback(error, end());
  }

  function flush(): void {
    if (!open) return;
    if (!db.inTransaction) {
      lose(new Error("SQLite rolled the transaction back"));
      return;
    }
    try {
      commit.run();
      end();
    } catch (error) {
      lose(error);
    }
  }

  return {
    run(write) {
      if (!open) {
        begin.run();
        open = true;
        timer = setImmediate(flush);
      }
      try {
        return write();
      } catch (error) {
        // Some errors (SQLITE_FULL, SQLITE_IOERR, …) make SQLite roll back the whole
        // transaction, not just the statement: the turn's earlier writes are gone too.
        if (!db.inTransaction) lose(error);
        throw error;
      }
    },
    announce(id, state) {
      if (open) announced.set(id, state);
    },
    flush,
  };
}
