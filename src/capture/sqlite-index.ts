/**
 * The SQLite store's derived index: rows that make filters fast, computed from the bytes in the
 * same transaction as the bytes, and rebuildable from them at any time (the bytes stay the only
 * source of truth). Deleting an exchange deletes its index rows by trigger (sqlite-schema.ts).
 *
 * - `exchange_event_types (event_type, exchange_seq)`: the Okta event types of a delivery.
 * - `exchange_users (user_key, exchange_seq)`: lower-cased ids and alternateIds of its `User`
 *   targets.
 * - `exchange_text`: a contentless FTS5 table (no copy of the text) over the searched texts
 *   (search-text.ts); rowid = seq × 4 + part (0 target, 1 request body, 2 response body), so a
 *   response arriving re-indexes that part alone.
 */
import type Database from "better-sqlite3";
import { type IndexTerms, indexTermsOf } from "./index-terms.js";
import { SEARCH_PARTS, type SearchPart, searchText } from "./search-text.js";
import { type ExchangeRow, fromRow, plainBytes, type RowBodies } from "./sqlite-rows.js";
import type { Exchange } from "./types.js";

/** What an update changed, so only that is re-indexed. */
export interface IndexChange {
  /** The request changed: its target and body text and the Okta terms are redone. */
  request: boolean;
  /** The response changed: its body text is redone. */
  response: boolean;
}

/** Writes an exchange's index rows; every method runs inside the caller's transaction. */
export interface DerivedIndex {
  /** Indexes a newly inserted exchange. */
  add(seq: number, exchange: Exchange): void;
  /** Re-indexes the parts of an updated exchange that changed; `before` is the old version. */
  change(seq: number, before: Exchange, after: Exchange, changed: IndexChange): void;
}

function ftsRowid(seq: number, part: SearchPart): number {
  return seq * 4 + SEARCH_PARTS.indexOf(part);
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

  function addTerms(seq: number, terms: IndexTerms): void {
    for (const type of terms.eventTypes) sql.addEventType.run(type, seq);
    for (const key of terms.users) sql.addUser.run(key, seq);
  }

  /** Indexes one part; an empty text has no row. */
  function addText(seq: number, exchange: Exchange, part: SearchPart): void {
    const text = searchText(exchange, part);
    if (text !== "") sql.addText.run(ftsRowid(seq, part), text);
  }

  /** Re-indexes one part, deleting the old row only when there was one. */
  function redoText(seq: number, before: Exchange, after: Exchange, part: SearchPart): void {
    const old = searchText(before, part);
    const now = searchText(after, part);
    if (old === now) return;
    if (old !== "") sql.dropText.run(ftsRowid(seq, part));
    if (now !== "") sql.addText.run(ftsRowid(seq, part), now);
  }

  return {
    add(seq, exchange) {
      addTerms(seq, indexTermsOf(exchange));
      for (const part of SEARCH_PARTS) addText(seq, exchange, part);
    },
    change(seq, before, after, changed) {
      if (changed.request) {
        sql.dropEventTypes.run(seq);
        sql.dropUsers.run(seq);
        addTerms(seq, indexTermsOf(after));
        redoText(seq, before, after, "target");
        redoText(seq, before, after, "request");
      }
      if (changed.response) redoText(seq, before, after, "response");
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
      index.add(row.seq, fromRow(row, parts));
      after = row.seq;
      count++;
    }
  }
  return count;
}
