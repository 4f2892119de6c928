/**
 * The SQLite store's derived index: rows that make filters fast, computed from the bytes after
 * they are stored (sqlite-index-queue.ts says when), and rebuildable from them at any time (the
 * bytes stay the only source of truth). Deleting an exchange deletes its event type and user rows by trigger
 * (sqlite-schema.ts); its text rows are deleted by the store (see {@link DerivedIndex}).
 *
 * - `exchange_event_types (event_type, exchange_seq)`: the Okta event types of a delivery.
 * - `exchange_users (user_key, exchange_seq)`: lower-cased ids and alternateIds of its `User`
 *   targets.
 * - `exchange_text`: a contentless FTS5 table (no copy of the text) over the searched texts
 *   (search-text.ts); rowid = seq × 4 + part (0 target, 1 request body, 2 response body).
 */
import type Database from "better-sqlite3";
import { type IndexTerms, indexTermsOf } from "./index-terms.js";
import { SEARCH_PARTS, searchText } from "./search-text.js";
import { type ExchangeRow, fromRow, plainBytes, type RowBodies } from "./sqlite-rows.js";
import type { Exchange } from "./types.js";

/** What an exchange puts in the derived index, computed before any statement runs. */
export interface IndexEntries {
  terms: IndexTerms;
  /** The searched texts in {@link SEARCH_PARTS} order ("" for none). */
  texts: string[];
}

/**
 * The index entries of an exchange: pure computation (parsing the body, decoding text), done
 * before a write touches the database, so that a write that fails does so before its first
 * statement (sqlite-turn.ts runs writes without savepoints).
 */
export function indexEntriesOf(exchange: Exchange): IndexEntries {
  return {
    terms: indexTermsOf(exchange),
    texts: SEARCH_PARTS.map((part) => searchText(exchange, part)),
  };
}

/**
 * Writes an exchange's index rows inside the caller's transaction. Event types and users are
 * written at once; full-text rows are queued and written by {@link DerivedIndex.writeText},
 * which the store calls just before COMMIT (and before a text search). The reason: SQLite
 * opens a statement savepoint for any statement with a trigger, and FTS5 flushes its pending
 * data to a new segment at every savepoint, so text rows written between the turn's other
 * statements made each write cost several times as much.
 */
export interface DerivedIndex {
  /** Indexes an exchange that has no index rows yet. */
  add(seq: number, entries: IndexEntries): void;
  /** Replaces every index row of an exchange indexed before with `entries`. */
  replace(seq: number, entries: IndexEntries): void;
  /** Forgets a deleted exchange's text rows (its other rows go by trigger). */
  remove(seq: number): void;
  /** Writes the queued text rows, in order. */
  writeText(): void;
  /** Drops the queued text rows (their transaction was rolled back). */
  discardText(): void;
}

/** A queued change of the full-text table: a row to add (text) or to delete (null). */
type TextOp = [rowid: number, text: string | null];

function ftsRowid(seq: number, part: number): number {
  return seq * 4 + part;
}

/** Prepares the index statements on `db` (its schema must be at version 2 or later). */
export function createDerivedIndex(db: Database.Database): DerivedIndex {
  const sql = {
    addEventType: db.prepare(
      "INSERT OR IGNORE INTO exchange_event_types (event_type, exchange_seq) VALUES (?, ?)",
    ),
    dropEventTypes: db.prepare("DELETE FROM exchange_event_types WHERE exchange_seq = ?"),
    addUser: db.prepare(
      "INSERT OR IGNORE INTO exchange_users (user_key, exchange_seq) VALUES (?, ?)",
    ),
    dropUsers: db.prepare("DELETE FROM exchange_users WHERE exchange_seq = ?"),
    addText: db.prepare("INSERT INTO exchange_text (rowid, text) VALUES (?, ?)"),
    dropText: db.prepare("DELETE FROM exchange_text WHERE rowid = ?"),
  };
  let queue: TextOp[] = [];

  function addTerms(seq: number, terms: IndexTerms): void {
    for (const type of terms.eventTypes) sql.addEventType.run(type, seq);
    for (const key of terms.users) sql.addUser.run(key, seq);
  }

  function add(seq: number, entries: IndexEntries): void {
    addTerms(seq, entries.terms);
    entries.texts.forEach((text, part) => {
      if (text !== "") queue.push([ftsRowid(seq, part), text]);
    });
  }

  return {
    add,
    replace(seq, entries) {
      sql.dropEventTypes.run(seq);
      sql.dropUsers.run(seq);
      // Contentless with `contentless_delete`: a rowid that has no row is a no-op.
      for (let part = 0; part < SEARCH_PARTS.length; part++) {
        queue.push([ftsRowid(seq, part), null]);
      }
      add(seq, entries);
    },
    remove(seq) {
      for (let part = 0; part < SEARCH_PARTS.length; part++) {
        queue.push([ftsRowid(seq, part), null]);
      }
    },
    writeText() {
      const ops = queue;
      queue = [];
      for (const [rowid, text] of ops) {
        if (text === null) sql.dropText.run(rowid);
        else sql.addText.run(rowid, text);
      }
    },
    discardText() {
      queue = [];
    },
  };
}

/**
 * Empties the derived index and rebuilds it from every stored exchange's bytes; returns how
 * many exchanges were indexed. Run inside a transaction (the schema migration does).
 */
export function rebuildDerivedIndex(db: Database.Database): number {
  db.exec(
    "DELETE FROM exchange_event_types; DELETE FROM exchange_users; " +
      "INSERT INTO exchange_text (exchange_text) VALUES ('delete-all');",
  );
  const index = createDerivedIndex(db);
  const bodies = db.prepare<[number], { part: "request" | "response"; bytes: Uint8Array }>(
    "SELECT part, bytes FROM bodies WHERE exchange_seq = ?",
  );
  const page = db.prepare<[number], ExchangeRow>(
    "SELECT * FROM exchanges WHERE seq > ? ORDER BY seq LIMIT 500",
  );
  let count = 0;
  let after = 0;
  // Pages, not one iterator: better-sqlite3 allows no write while a statement is being read.
  for (let rows = page.all(after); rows.length > 0; rows = page.all(after)) {
    for (const row of rows) {
      const parts: RowBodies = { request: new Uint8Array(0), response: new Uint8Array(0) };
      for (const body of bodies.all(row.seq)) parts[body.part] = plainBytes(body.bytes);
      index.add(row.seq, indexEntriesOf(fromRow(row, parts)));
      after = row.seq;
      count++;
    }
    index.writeText();
  }
  // Nothing is pending once everything is indexed (the table exists from schema version 3).
  const pending = db
    .prepare<[], number>("SELECT count(*) FROM sqlite_master WHERE name = 'index_pending'")
    .pluck()
    .get();
  if (pending === 1) db.exec("DELETE FROM index_pending");
  return count;
}
