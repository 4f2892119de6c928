/**
 * The capture store on SQLite (better-sqlite3), the default under `.hooktap/`. Writes are
 * grouped per event-loop turn into one transaction (sqlite-turn.ts); retention runs inside it,
 * after a one-row check of the trigger-kept totals; the derived index follows the bytes when the
 * store is idle (sqlite-index-queue.ts, sqlite-index-schedule.ts).
 */
import { CaptureError } from "./errors.js";
import { resolveListQuery } from "./list-query.js";
import { createListenerSet } from "./listeners.js";
import { resolveStoreOptions } from "./options.js";
import { startIndexSchedule } from "./sqlite-index-schedule.js";
import { openCaptureDatabase, storageError } from "./sqlite-schema.js";
import { createSqliteTables } from "./sqlite-tables.js";
import { type Announced, COMMIT_INTERVAL_MS, createWriteTurn } from "./sqlite-turn.js";
import type { CaptureStore, CaptureStoreOptions } from "./store.js";
import type { Exchange } from "./types.js";
import { normalizeExchange, normalizePatch } from "./validate.js";
import type { ExternalChange } from "./worker-messages.js";

/** How long a write waits for another connection's write lock by default. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** Options of {@link openSqliteCaptureStore}. */
export interface SqliteCaptureStoreOptions extends CaptureStoreOptions {
  /**
   * Open an existing database for reading only (the inspector in another process): no
   * migration, no retention, and writes throw `CaptureError` `read_only`.
   * @default false
   */
  readOnly?: boolean;
  /**
   * How long to wait for a lock held by another connection before failing with `storage`.
   * @default 5000
   */
  busyTimeoutMs?: number;
  /**
   * Least time between two commits of capture writes (sqlite-turn.ts): under load, the writes
   * of this many milliseconds share one transaction; 0 commits at the end of every event-loop
   * turn that wrote. Other connections see a write at most this much later.
   * @default 10
   */
  commitIntervalMs?: number;
  /** Called after each commit of this store's writes (the capture worker reports then). */
  onCommitted?: () => void;
  /**
   * Whether this connection writes the pending derived index when idle. One connection to a
   * file should: `false` for a store whose writes go to another connection (the main thread's
   * store while the capture worker writes), so that it never indexes the worker's backlog on
   * the forwarding thread nor fights the worker for the write lock. {@link
   * SqliteCaptureStore.startIndexing} turns it on later. Ignored when `readOnly`.
   * @default true
   */
  indexing?: boolean;
}

/** The SQLite capture store: a {@link CaptureStore} that can be told to finish its index. */
export interface SqliteCaptureStore extends CaptureStore {
  /**
   * Writes the derived index of every pending exchange now and commits; returns how many were
   * indexed. Never needed for correct lists (pending exchanges are matched on their bytes); it
   * makes their filters as fast as the rest, e.g. before a benchmark or an export.
   */
  indexNow(): number;
  /**
   * Tells this store's listeners about changes another connection committed (the capture
   * worker's, worker-writer.ts): inserts and updates are read back from the file.
   */
  announceExternal(changes: readonly ExternalChange[]): void;
  /**
   * Makes this store write the pending derived index from now on, when idle (a store opened
   * with `indexing: false` whose writer fell back to it). No-op if it does already.
   */
  startIndexing(): void;
}

/**
 * Opens (creating it, and its directory, when missing) a capture store on a SQLite file, or on
 * `":memory:"`. Other connections may read the same file while this one writes (WAL).
 * Throws `CaptureError`: `not_a_capture_db` for another kind of file, `unsupported_schema` for
 * a newer hooktap's file, `invalid_argument` for bad options, `storage` when SQLite fails.
 *
 * @example
 * const store = openSqliteCaptureStore(".hooktap/capture.db", { logger });
 * store.insert(exchange);
 * const page = store.list({ limit: 20, endpoint: "my-hooks" });
 * store.close();
 */
export function openSqliteCaptureStore(
  path: string,
  options: SqliteCaptureStoreOptions = {},
): SqliteCaptureStore {
  const config = resolveStoreOptions(options);
  const readOnly = options.readOnly ?? false;
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new CaptureError("invalid_argument", "busyTimeoutMs must be a non-negative integer", {
      field: "busyTimeoutMs",
    });
  }
  const commitIntervalMs = options.commitIntervalMs ?? COMMIT_INTERVAL_MS;
  if (!Number.isFinite(commitIntervalMs) || commitIntervalMs < 0 || commitIntervalMs > 1000) {
    throw new CaptureError(
      "invalid_argument",
      "commitIntervalMs must be a number of milliseconds from 0 to 1000",
      { field: "commitIntervalMs" },
    );
  }
  const db = openCaptureDatabase(path, { readOnly, busyTimeoutMs, logger: config.logger });
  const tables = createSqliteTables(db, config);
  const listeners = createListenerSet(config.logger);
  const turn = createWriteTurn(
    db,
    {
      beforeCommit: () => tables.writeText(),
      onRollback: (error, announced) => {
        tables.discardText();
        config.logger.error(
          "capture turn rolled back: the writes of its event-loop turn are lost",
          {
            error: error instanceof Error ? error.message : String(error),
            exchanges: announced.size,
          },
        );
        tellRolledBack(announced);
      },
      ...(options.onCommitted !== undefined && { afterCommit: options.onCommitted }),
    },
    commitIntervalMs,
  );
  let closed = false;
  const indexSchedule = () =>
    startIndexSchedule(
      {
        slice(budgetMs) {
          turn.write(() => tables.planIndex(budgetMs));
          turn.flush();
          return tables.pendingIndex();
        },
        pending: () => tables.pendingIndex(),
        onError: (error) =>
          config.logger.error("capture index failed; lists match the bytes until it is retried", {
            error: error instanceof Error ? error.message : String(error),
          }),
      },
      tables.pendingIndex(),
    );
  let schedule = readOnly || options.indexing === false ? null : indexSchedule();

  /**
   * After a lost turn, brings listeners back in line with the store: what they saw inserted is
   * deleted (reason `rollback`), what they saw updated or evicted is sent again as it now is.
   */
  function tellRolledBack(announced: ReadonlyMap<string, Announced>): void {
    const gone: string[] = [];
    const back: [Announced, Exchange][] = [];
    for (const [id, state] of announced) {
      let now: Exchange | null = null;
      try {
        now = tables.get(id);
      } catch (error) {
        config.logger.error("capture store failed to re-read after a rollback", {
          error: error instanceof Error ? error.message : String(error),
        });
      }
      if (now === null && state === "present") gone.push(id);
      if (now !== null) back.push([state, now]);
    }
    if (gone.length > 0) listeners.emit({ type: "delete", ids: gone, reason: "rollback" });
    for (const [state, exchange] of back) {
      listeners.emit({ type: state === "absent" ? "insert" : "update", exchange });
    }
  }

  function ensureOpen(doing: string, write: boolean): void {
    if (closed) throw new CaptureError("closed", "the capture store is closed");
    if (write && readOnly) throw new CaptureError("read_only", `cannot ${doing}: opened read-only`);
  }

  function guard<T>(doing: string, write: boolean, run: () => T): T {
    ensureOpen(doing, write);
    try {
      return run();
    } catch (error) {
      if (
        error instanceof Error &&
        (error as { code?: unknown }).code === "SQLITE_CONSTRAINT_UNIQUE"
      ) {
        throw new CaptureError("duplicate_id", "an exchange with this id already exists", {
          field: "id",
          cause: error,
        });
      }
      throw storageError(error, doing);
    }
  }

  function announce(type: "insert" | "update", exchange: Exchange, evicted: string[]): void {
    turn.announce(exchange.id, "present");
    for (const id of evicted) turn.announce(id, "absent");
    listeners.emit({ type, exchange });
    if (evicted.length > 0) listeners.emit({ type: "delete", ids: evicted, reason: "retention" });
  }

  return {
    insert(exchange) {
      ensureOpen("insert", true);
      const stored = normalizeExchange(exchange, config.bodyLimitBytes);
      const evicted = guard("insert", true, () => turn.write(() => tables.planInsert(stored)));
      schedule?.wrote();
      announce("insert", stored, evicted ?? []);
      return stored;
    },
    update(id, patch) {
      ensureOpen("update", true);
      const normalized = normalizePatch(patch, config.bodyLimitBytes);
      const result = guard("update", true, () =>
        turn.write(() => tables.planUpdate(id, normalized)),
      );
      if (result === null) return null;
      schedule?.wrote();
      announce("update", result[0], result[1]);
      return result[0];
    },
    get(id) {
      return guard("get", false, () => tables.get(id));
    },
    list(query) {
      ensureOpen("list", false);
      const q = resolveListQuery(query);
      return guard("list", false, () => tables.list(q));
    },
    count() {
      return guard("count", false, () => tables.totals().count);
    },
    // Deleting is a user's explicit act: it commits at once (after the open turn), and a
    // failure throws at the caller instead of being rolled back later.
    delete(id) {
      ensureOpen("delete", true);
      turn.flush();
      const found = guard("delete", true, () => tables.delete(id));
      if (found) listeners.emit({ type: "delete", ids: [id], reason: "delete" });
      return found;
    },
    clear() {
      ensureOpen("clear", true);
      turn.flush();
      guard("clear", true, () => tables.clear());
      listeners.emit({ type: "clear" });
    },
    stats() {
      return guard("stats", false, () => tables.totals());
    },
    indexNow() {
      ensureOpen("index", true);
      let indexed = 0;
      for (let left = tables.pendingIndex(); left > 0; ) {
        const count = guard("index", true, () =>
          turn.write(() => tables.planIndex(Number.POSITIVE_INFINITY)),
        );
        turn.flush();
        const now = tables.pendingIndex();
        // A rolled-back turn (logged by the turn) leaves everything pending: stop, do not spin.
        if (now >= left) throw new CaptureError("storage", "capture index made no progress");
        indexed += count ?? 0;
        left = now;
      }
      return indexed;
    },
    announceExternal(changes) {
      if (closed || !listeners.active) return;
      for (const change of changes) {
        if (change.type === "delete") {
          listeners.emit({ type: "delete", ids: change.ids, reason: change.reason });
          continue;
        }
        const exchange = guard("read", false, () => tables.get(change.id));
        if (exchange !== null) listeners.emit({ type: change.type, exchange });
      }
    },
    startIndexing() {
      if (closed || readOnly || schedule !== null) return;
      schedule = indexSchedule();
    },
    subscribe(listener) {
      ensureOpen("subscribe", false);
      return listeners.subscribe(listener);
    },
    close() {
      if (closed) return;
      schedule?.stop();
      turn.flush();
      closed = true;
      listeners.clear();
      db.close();
    },
  };
}
