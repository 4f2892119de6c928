/**
 * The SQLite store's data access: prepared statements over `exchanges` and `bodies`, the derived
 * index and retention. Writes come as plans (sqlite-turn.ts): checks and computation first, then
 * a function that only runs statements. Transactions, errors and events are the store's
 * business (sqlite-store.ts).
 */
import type Database from "better-sqlite3";
import { CaptureError } from "./errors.js";
import type { ResolvedListQuery } from "./list-query.js";
import { pickEvictions, type ResolvedStoreOptions, type RetentionEntry } from "./options.js";
import { createDerivedIndex } from "./sqlite-index.js";
import { createIndexQueue } from "./sqlite-index-queue.js";
import { createSqliteLister } from "./sqlite-list.js";
import {
  EXCHANGE_COLUMNS,
  type ExchangeParams,
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
  return {
    insert: db.prepare(`INSERT INTO exchanges (${columns}) VALUES (${values})`),
    byId: db.prepare<[string], ExchangeRow>("SELECT * FROM exchanges WHERE id = ?"),
    exists: db.prepare<[string], number>("SELECT 1 FROM exchanges WHERE id = ?").pluck(),
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
    deleteById: db
      .prepare<[string], number>("DELETE FROM exchanges WHERE id = ? RETURNING seq")
      .pluck(),
    deleteAll: db.prepare("DELETE FROM exchanges"),
    clearText: db.prepare("INSERT INTO exchange_text (exchange_text) VALUES ('delete-all')"),
  };
}

/** A write to run in the open transaction: statements only (see sqlite-turn.ts). */
export type Apply<R> = () => R;

/** The data access of {@link createSqliteTables}. */
export interface SqliteTables {
  /**
   * Plans the insert of a normalised exchange; the plan returns the ids retention evicted.
   * Throws `duplicate_id` before writing anything.
   */
  planInsert(exchange: Exchange): Apply<string[]>;
  /** Plans a normalised patch; null for an unknown id. The plan returns the merged exchange. */
  planUpdate(id: string, patch: ExchangePatch): Apply<[Exchange, string[]]> | null;
  get(id: string): Exchange | null;
  list(q: ResolvedListQuery): ListPage;
  totals(): CaptureStats;
  /**
   * Plans writing the derived index of pending exchanges for about `budgetMs`
   * (sqlite-index-queue.ts); null when none is pending. The plan returns how many it indexed.
   */
  planIndex(budgetMs: number): Apply<number> | null;
  /** Exchanges whose derived index is not written yet. */
  pendingIndex(): number;
  /** Writes the queued full-text rows: the turn calls it just before COMMIT. */
  writeText(): void;
  /** Drops the queued full-text rows after a rollback. */
  discardText(): void;
  /** Deletes in a transaction of its own; true when the exchange existed. */
  delete(id: string): boolean;
  /** Deletes everything in a transaction of its own. */
  clear(): void;
}

/** The tables of an open capture database. */
export function createSqliteTables(
  db: Database.Database,
  config: Pick<ResolvedStoreOptions, "maxExchanges" | "maxBytes" | "logger">,
): SqliteTables {
  const sql = prepareStatements(db);
  const index = createDerivedIndex(db);
  const queue = createIndexQueue(db, index);

  function loadBodies(seq: number): RowBodies {
    const bodies: RowBodies = { request: EMPTY, response: EMPTY };
    for (const row of sql.bodies.iterate(seq)) bodies[row.part] = plainBytes(row.bytes);
    return bodies;
  }

  /** Replaces a stored body; an empty body has no row. */
  function writeBody(seq: number, part: Part, old: Uint8Array, bytes: Uint8Array): void {
    if (bytes.byteLength > 0) sql.putBody.run(seq, part, bytes);
    else if (old.byteLength > 0) sql.dropBody.run(seq, part);
  }

  const lister = createSqliteLister(db, loadBodies);

  const updates = new Map<string, Database.Statement<ExchangeParams>>();
  /**
   * An UPDATE of the changed columns only: SQLite rewrites the entry of every index whose
   * columns are SET, changed or not, and `exchanges` has seven.
   */
  function updateColumns(row: ExchangeRow, params: ExchangeParams): (() => void) | null {
    const changed = EXCHANGE_COLUMNS.filter((c) => c !== "id" && row[c] !== params[c]);
    if (changed.length === 0) return null;
    const key = changed.join(",");
    let statement = updates.get(key);
    if (statement === undefined) {
      const set = changed.map((c) => `${c} = @${c}`).join(", ");
      statement = db.prepare<ExchangeParams>(`UPDATE exchanges SET ${set} WHERE id = @id`);
      updates.set(key, statement);
    }
    const run = statement;
    return () => run.run(params);
  }

  /** Lazy: the statement starts only if retention has something to evict. */
  function* oldestFirst(): Generator<RetentionEntry> {
    yield* sql.oldestFirst.iterate();
  }

  function totals(): CaptureStats {
    return sql.totals.get() ?? { count: 0, bytes: 0 };
  }

  /** Deletes one exchange (bodies and index rows by trigger, text rows here); false if unknown. */
  function deleteExchange(id: string): boolean {
    const seq = sql.deleteById.get(id);
    if (seq === undefined) return false;
    index.remove(seq);
    return true;
  }

  function enforceRetention(spareId: string): string[] {
    const evicted = pickEvictions(oldestFirst(), totals(), config, spareId);
    for (const id of evicted) deleteExchange(id);
    if (evicted.length > 0) {
      config.logger.debug("capture retention evicted", { count: evicted.length });
    }
    return evicted;
  }

  /**
   * A read: rows and bodies from one snapshot. Inside the write turn it runs as is (the open
   * transaction is the snapshot); a savepoint would make FTS5 flush its pending data.
   */
  function reader<A extends unknown[], R>(read: (...args: A) => R): (...args: A) => R {
    const transaction = db.transaction(read);
    return (...args) => (db.inTransaction ? read(...args) : transaction(...args));
  }

  return {
    planInsert(exchange) {
      if (sql.exists.get(exchange.id) !== undefined) {
        throw new CaptureError("duplicate_id", `exchange ${exchange.id} already exists`, {
          field: "id",
        });
      }
      const params = toParams(exchange);
      const { request, response } = exchange;
      return () => {
        const seq = Number(sql.insert.run(params).lastInsertRowid);
        if (request.body.bytes.byteLength > 0) sql.putBody.run(seq, "request", request.body.bytes);
        if (response !== null && response.body.bytes.byteLength > 0) {
          sql.putBody.run(seq, "response", response.body.bytes);
        }
        queue.markNew(seq);
        return enforceRetention(exchange.id);
      };
    },

    planUpdate(id, patch) {
      const row = sql.byId.get(id);
      if (row === undefined) return null;
      const bytesOf = (part: Part): Uint8Array => {
        const stored = sql.body.get(row.seq, part);
        return stored === undefined ? EMPTY : plainBytes(stored);
      };
      const current = fromRow(row, {
        request: bytesOf("request"),
        response: row.status !== null ? bytesOf("response") : EMPTY,
      });
      const merged = applyPatch(current, patch);
      const update = updateColumns(row, toParams(merged));
      return () => {
        update?.();
        if (patch.request !== undefined) {
          writeBody(row.seq, "request", current.request.body.bytes, patch.request.body.bytes);
        }
        if (patch.response !== undefined) {
          const old = current.response?.body.bytes ?? EMPTY;
          writeBody(row.seq, "response", old, patch.response?.body.bytes ?? EMPTY);
        }
        if (patch.request !== undefined || patch.response !== undefined) {
          queue.markChanged(row.seq);
        }
        return [merged, enforceRetention(id)];
      };
    },

    get: reader((id: string): Exchange | null => {
      const row = sql.byId.get(id);
      return row === undefined ? null : fromRow(row, loadBodies(row.seq));
    }),

    list: reader((q: ResolvedListQuery): ListPage => {
      // Text rows of the open turn are queued until its commit: a text search needs them now.
      if (q.text !== null && db.inTransaction) index.writeText();
      const rows = lister.rows(q);
      const items = rows.slice(0, q.limit).map((row) => fromRow(row, loadBodies(row.seq)));
      const next = rows.length > q.limit ? (items[items.length - 1]?.id ?? null) : null;
      return { items, next };
    }),

    totals,
    planIndex: (budgetMs) => queue.plan(budgetMs),
    pendingIndex: () => queue.pending(),
    writeText: () => index.writeText(),
    discardText: () => index.discardText(),
    delete: (id) =>
      db
        .transaction(() => {
          const found = deleteExchange(id);
          index.writeText();
          return found;
        })
        .immediate(),
    clear: () => {
      db.transaction(() => {
        sql.deleteAll.run();
        index.discardText();
        sql.clearText.run();
      }).immediate();
    },
  };
}
