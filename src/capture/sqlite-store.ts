/**
 * The capture store on SQLite (better-sqlite3), the default under `.hooktap/`. Every write is one
 * short transaction committed before the call returns; retention runs inside the same
 * transaction, after a one-row check of the trigger-kept totals.
 */
import type Database from "better-sqlite3";
import { CaptureError } from "./errors.js";
import { type ResolvedListQuery, resolveListQuery } from "./list-query.js";
import { createListenerSet } from "./listeners.js";
import { pickEvictions, type RetentionEntry, resolveStoreOptions } from "./options.js";
import { createDerivedIndex } from "./sqlite-index.js";
import { createSqliteLister } from "./sqlite-list.js";
import {
  EXCHANGE_COLUMNS,
  type ExchangeRow,
  fromRow,
  plainBytes,
  type RowBodies,
  toParams,
} from "./sqlite-rows.js";
import { openCaptureDatabase, storageError } from "./sqlite-schema.js";
import type { CaptureStats, CaptureStore, CaptureStoreOptions, ListPage } from "./store.js";
import type { Exchange, ExchangePatch } from "./types.js";
import { applyPatch, normalizeExchange, normalizePatch } from "./validate.js";

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
}

type Part = "request" | "response";
const EMPTY = new Uint8Array(0);

function prepareStatements(db: Database.Database) {
  const columns = EXCHANGE_COLUMNS.join(", ");
  const values = EXCHANGE_COLUMNS.map((c) => `@${c}`).join(", ");
  const assignments = EXCHANGE_COLUMNS.filter((c) => c !== "id")
    .map((c) => `${c} = @${c}`)
    .join(", ");
  return {
    insert: db.prepare(`INSERT INTO exchanges (${columns}) VALUES (${values})`),
    update: db.prepare(`UPDATE exchanges SET ${assignments} WHERE id = @id`),
    byId: db.prepare<[string], ExchangeRow>("SELECT * FROM exchanges WHERE id = ?"),
    bodies: db.prepare<[number], { part: Part; bytes: Uint8Array }>(
      "SELECT part, bytes FROM bodies WHERE exchange_seq = ?",
    ),
    body: db
      .prepare<[number, Part], Uint8Array>(
        "SELECT bytes FROM bodies WHERE exchange_seq = ? AND part = ?",
      )
      .pluck(),
    putBody: db.prepare(
      "INSERT OR REPLACE INTO bodies (exchange_seq, part, bytes) VALUES (?, ?, ?)",
    ),
    dropBody: db.prepare("DELETE FROM bodies WHERE exchange_seq = ? AND part = ?"),
    totals: db.prepare<[], CaptureStats>("SELECT count, bytes FROM totals WHERE id = 1"),
    oldestFirst: db.prepare<[], RetentionEntry>(
      "SELECT id, stored_bytes AS bytes FROM exchanges ORDER BY id",
    ),
    deleteById: db.prepare("DELETE FROM exchanges WHERE id = ?"),
    deleteAll: db.prepare("DELETE FROM exchanges"),
  };
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
): CaptureStore {
  const config = resolveStoreOptions(options);
  const readOnly = options.readOnly ?? false;
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new CaptureError("invalid_argument", "busyTimeoutMs must be a non-negative integer", {
      field: "busyTimeoutMs",
    });
  }
  const db = openCaptureDatabase(path, { readOnly, busyTimeoutMs, logger: config.logger });
  const sql = prepareStatements(db);
  const index = createDerivedIndex(db);
  const lister = createSqliteLister(db);
  const listeners = createListenerSet(config.logger);
  let closed = false;

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

  function loadBodies(seq: number): RowBodies {
    const bodies: RowBodies = { request: EMPTY, response: EMPTY };
    for (const row of sql.bodies.iterate(seq)) bodies[row.part] = plainBytes(row.bytes);
    return bodies;
  }

  function writeBody(seq: number, part: Part, bytes: Uint8Array): void {
    if (bytes.byteLength === 0) sql.dropBody.run(seq, part);
    else sql.putBody.run(seq, part, bytes);
  }

  /** Lazy: the statement starts only if retention has something to evict. */
  function* oldestFirst(): Generator<RetentionEntry> {
    yield* sql.oldestFirst.iterate();
  }

  function enforceRetention(spareId: string): string[] {
    const evicted = pickEvictions(oldestFirst(), totals(), config, spareId);
    for (const id of evicted) sql.deleteById.run(id);
    if (evicted.length > 0)
      config.logger.debug("capture retention evicted", { count: evicted.length });
    return evicted;
  }

  function totals(): CaptureStats {
    return sql.totals.get() ?? { count: 0, bytes: 0 };
  }

  function announce(type: "insert" | "update", exchange: Exchange, evicted: string[]): void {
    listeners.emit({ type, exchange });
    if (evicted.length > 0) listeners.emit({ type: "delete", ids: evicted, reason: "retention" });
  }

  const insertTx = db.transaction((exchange: Exchange): string[] => {
    const { lastInsertRowid } = sql.insert.run(toParams(exchange));
    const seq = Number(lastInsertRowid);
    const { request, response } = exchange;
    if (request.body.bytes.byteLength > 0) sql.putBody.run(seq, "request", request.body.bytes);
    if (response !== null && response.body.bytes.byteLength > 0) {
      sql.putBody.run(seq, "response", response.body.bytes);
    }
    index.add(seq, exchange);
    return enforceRetention(exchange.id);
  });

  const updateTx = db.transaction(
    (id: string, patch: ExchangePatch): [Exchange, string[]] | null => {
      const row = sql.byId.get(id);
      if (row === undefined) return null;
      // Read back only the bodies the patch keeps: the merged exchange is returned and emitted.
      const bytesOf = (part: Part): Uint8Array => {
        const stored = sql.body.get(row.seq, part);
        return stored === undefined ? EMPTY : plainBytes(stored);
      };
      // The old bodies too, when the patch replaces them: the index re-does only what changed.
      const current = fromRow(row, {
        request: bytesOf("request"),
        response: row.status !== null ? bytesOf("response") : EMPTY,
      });
      const merged = applyPatch(current, patch);
      sql.update.run(toParams(merged));
      if (patch.request !== undefined) writeBody(row.seq, "request", patch.request.body.bytes);
      if (patch.response !== undefined) {
        writeBody(row.seq, "response", patch.response?.body.bytes ?? EMPTY);
      }
      index.change(row.seq, current, merged, {
        request: patch.request !== undefined,
        response: patch.response !== undefined,
      });
      return [merged, enforceRetention(id)];
    },
  );

  // Reads run in one transaction: rows and bodies from the same snapshot, whoever else writes.
  const listTx = db.transaction((q: ResolvedListQuery): ListPage => {
    const rows = lister.rows(q);
    const items = rows.slice(0, q.limit).map((row) => fromRow(row, loadBodies(row.seq)));
    const next = rows.length > q.limit ? (items[items.length - 1]?.id ?? null) : null;
    return { items, next };
  });
  const getTx = db.transaction((id: string): Exchange | null => {
    const row = sql.byId.get(id);
    return row === undefined ? null : fromRow(row, loadBodies(row.seq));
  });

  return {
    insert(exchange) {
      ensureOpen("insert", true);
      const stored = normalizeExchange(exchange, config.bodyLimitBytes);
      const evicted = guard("insert", true, () => insertTx.immediate(stored));
      announce("insert", stored, evicted);
      return stored;
    },
    update(id, patch) {
      ensureOpen("update", true);
      const normalized = normalizePatch(patch, config.bodyLimitBytes);
      const result = guard("update", true, () => updateTx.immediate(id, normalized));
      if (result === null) return null;
      announce("update", result[0], result[1]);
      return result[0];
    },
    get(id) {
      return guard("get", false, () => getTx(id));
    },
    list(query) {
      ensureOpen("list", false);
      const q = resolveListQuery(query);
      return guard("list", false, () => listTx(q));
    },
    count() {
      return guard("count", false, () => totals().count);
    },
    delete(id) {
      const found = guard("delete", true, () => sql.deleteById.run(id).changes > 0);
      if (found) listeners.emit({ type: "delete", ids: [id], reason: "delete" });
      return found;
    },
    clear() {
      guard("clear", true, () => db.transaction(() => sql.deleteAll.run()).immediate());
      listeners.emit({ type: "clear" });
    },
    stats() {
      return guard("stats", false, totals);
    },
    subscribe(listener) {
      ensureOpen("subscribe", false);
      return listeners.subscribe(listener);
    },
    close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      db.close();
    },
  };
}
