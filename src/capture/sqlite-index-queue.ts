/**
 * The derived index follows the bytes: a capture write stores an exchange and marks it in
 * `index_pending`; its index rows (sqlite-index.ts) are written later, oldest first, a slice at
 * a time, by {@link IndexQueue.plan} — which the store runs when it is idle, and at a small duty
 * cycle when a backlog builds under load (sqlite-index-schedule.ts).
 *
 * Why. Parsing a delivery and tokenising its text for FTS5, then merging FTS5 segments at
 * commit, was most of a capture write (a 2 KB delivery: ~92 µs of CPU for its index alone,
 * written later; BENCHMARKS.md), and it ran on the tunnel's hot path. Nothing is lost by
 * waiting: lists match pending exchanges on their bytes (sqlite-list.ts), so a filter never
 * misses an exchange whose index is not written yet, and a store opened later finishes what an
 * earlier one left pending.
 */
import type Database from "better-sqlite3";
import { type DerivedIndex, type IndexEntries, indexEntriesOf } from "./sqlite-index.js";
import { type ExchangeRow, fromRow, plainBytes, type RowBodies } from "./sqlite-rows.js";

/** Exchanges read per statement while indexing. */
const BATCH = 64;

/** The pending list of one connection. */
export interface IndexQueue {
  /** Marks a new exchange (it has no index rows). In the caller's transaction. */
  markNew(seq: number): void;
  /** Marks an exchange whose indexed parts changed (rows to replace, if it had any). */
  markChanged(seq: number): void;
  /** Pending exchanges, as of this connection's view. */
  pending(): number;
  /**
   * Computes the entries of pending exchanges, oldest first, until `budgetMs` has passed or
   * none are left (at least one when any is pending); returns the statements that write them,
   * or null when nothing is pending. Pure reads: safe to throw from (sqlite-turn.ts).
   */
  plan(budgetMs: number): (() => number) | null;
}

interface Planned {
  seq: number;
  hasRows: boolean;
  entries: IndexEntries;
}

/**
 * The index queue of `db` (schema version 3 or later), writing through `index`.
 *
 * @example
 * const queue = createIndexQueue(db, index);
 * queue.markNew(seq);              // with the insert
 * turn.write(() => queue.plan(8)); // later, when idle
 */
export function createIndexQueue(db: Database.Database, index: DerivedIndex): IndexQueue {
  const sql = {
    markNew: db.prepare(
      "INSERT OR IGNORE INTO index_pending (exchange_seq, has_rows) VALUES (?, 0)",
    ),
    markChanged: db.prepare(
      "INSERT OR IGNORE INTO index_pending (exchange_seq, has_rows) VALUES (?, 1)",
    ),
    count: db.prepare<[], number>("SELECT count(*) FROM index_pending").pluck(),
    oldest: db.prepare<[number, number], { seq: number; has_rows: number }>(
      "SELECT exchange_seq AS seq, has_rows FROM index_pending WHERE exchange_seq > ? " +
        "ORDER BY exchange_seq LIMIT ?",
    ),
    row: db.prepare<[number], ExchangeRow>("SELECT * FROM exchanges WHERE seq = ?"),
    bodies: db.prepare<[number], { part: "request" | "response"; bytes: Uint8Array }>(
      "SELECT part, bytes FROM bodies WHERE exchange_seq = ?",
    ),
    done: db.prepare("DELETE FROM index_pending WHERE exchange_seq = ?"),
  };

  function entriesOf(seq: number): IndexEntries | null {
    const row = sql.row.get(seq);
    if (row === undefined) return null;
    const parts: RowBodies = { request: new Uint8Array(0), response: new Uint8Array(0) };
    for (const body of sql.bodies.iterate(seq)) parts[body.part] = plainBytes(body.bytes);
    return indexEntriesOf(fromRow(row, parts));
  }

  return {
    markNew: (seq) => sql.markNew.run(seq),
    markChanged: (seq) => sql.markChanged.run(seq),
    pending: () => sql.count.get() ?? 0,
    plan(budgetMs) {
      const until = performance.now() + budgetMs;
      const planned: Planned[] = [];
      const gone: number[] = [];
      let after = 0;
      for (;;) {
        const rows = sql.oldest.all(after, BATCH);
        for (const { seq, has_rows } of rows) {
          after = seq;
          const entries = entriesOf(seq);
          if (entries === null) gone.push(seq);
          else planned.push({ seq, hasRows: has_rows === 1, entries });
          if (performance.now() >= until) break;
        }
        if (rows.length < BATCH || performance.now() >= until) break;
      }
      if (planned.length === 0 && gone.length === 0) return null;
      return () => {
        for (const { seq, hasRows, entries } of planned) {
          if (hasRows) index.replace(seq, entries);
          else index.add(seq, entries);
          sql.done.run(seq);
        }
        for (const seq of gone) sql.done.run(seq);
        return planned.length;
      };
    },
  };
}
