/**
 * The SQLite store's data access: prepared statements over `exchanges` and `bodies`, the derived
 * index and retention, as transaction functions. Transactions, errors and events are the
 * store's business (sqlite-store.ts); everything here runs inside whatever transaction is open.
 */
import type Database from "better-sqlite3";
import type { ResolvedListQuery } from "./list-query.js";
import { pickEvictions, type ResolvedStoreOptions, type RetentionEntry } from "./options.js";
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
import type { CaptureStats, ListPage } from "./store.js";
import type { Exchange, ExchangePatch } from "./types.js";
import { applyPatch } from "./validate.js";

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

/** The transaction functions of {@link createSqliteTables}. */
export interface SqliteTables {
  /** Inserts a normalised exchange; returns the ids retention evicted. */
  insert(exchange: Exchange): string[];
  /** Applies a normalised patch; returns the exchange as now stored and the evicted ids. */
  update(id: string, patch: ExchangePatch): [Exchange, string[]] | null;
  get(id: string): Exchange | null;
  list(q: ResolvedListQuery): ListPage;
  totals(): CaptureStats;
  /** True when the exchange existed. */
  delete(id: string): boolean;
  clear(): void;
}

/**
 * The tables of an open capture database, as `db.transaction` functions: called with no
 * transaction open they run in their own (deferred, use `.immediate` to write), called inside
 * one they run as a savepoint.
 */
export function createSqliteTables(
  db: Database.Database,
  config: Pick<ResolvedStoreOptions, "maxExchanges" | "maxBytes" | "logger">,
): { [K in keyof SqliteTables]: Database.Transaction<SqliteTables[K]> } {
  const sql = prepareStatements(db);
  const index = createDerivedIndex(db);
  const lister = createSqliteLister(db);

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

  function totals(): CaptureStats {
    return sql.totals.get() ?? { count: 0, bytes: 0 };
  }

  function enforceRetention(spareId: string): string[] {
    const evicted = pickEvictions(oldestFirst(), totals(), config, spareId);
    for (const id of evicted) sql.deleteById.run(id);
    if (evicted.length > 0) {
      config.logger.debug("capture retention evicted", { count: evicted.length });
    }
    return evicted;
  }

  return {
    insert: db.transaction((exchange: Exchange): string[] => {
      const seq = Number(sql.insert.run(toParams(exchange)).lastInsertRowid);
      const { request, response } = exchange;
      if (request.body.bytes.byteLength > 0) sql.putBody.run(seq, "request", request.body.bytes);
      if (response !== null && response.body.bytes.byteLength > 0) {
        sql.putBody.run(seq, "response", response.body.bytes);
      }
      index.add(seq, exchange);
      return enforceRetention(exchange.id);
    }),

    update: db.transaction((id: string, patch: ExchangePatch): [Exchange, string[]] | null => {
      const row = sql.byId.get(id);
      if (row === undefined) return null;
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
    }),

    // Reads run in one transaction: rows and bodies from the same snapshot, whoever else writes.
    get: db.transaction((id: string): Exchange | null => {
      const row = sql.byId.get(id);
      return row === undefined ? null : fromRow(row, loadBodies(row.seq));
    }),

    list: db.transaction((q: ResolvedListQuery): ListPage => {
      const rows = lister.rows(q);
      const items = rows.slice(0, q.limit).map((row) => fromRow(row, loadBodies(row.seq)));
      const next = rows.length > q.limit ? (items[items.length - 1]?.id ?? null) : null;
      return { items, next };
    }),

    totals: db.transaction(totals),
    delete: db.transaction((id: string): boolean => sql.deleteById.run(id).changes > 0),
    clear: db.transaction((): void => {
      sql.deleteAll.run();
    }),
  };
}
