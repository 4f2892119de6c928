/**
 * Opening a capture database: recognise it (or refuse another program's file), set the
 * connection up for one writer and many readers (WAL), and bring its schema up to date.
 *
 * Layout, and why:
 * - `exchanges` holds one small row per exchange: every field but the body bytes, with the
 *   columns lists and filters need indexed. Headers are JSON text of the pair array (order, case
 *   and repeats kept).
 * - `bodies` holds the bytes apart, one row per non-empty body: SQLite rewrites a whole row on
 *   UPDATE, so timing and response updates must not copy a 10 MiB request body again, and lists
 *   and retention scans never page blobs in.
 * - `totals` (count, bytes) is kept by triggers, so retention checks cost one row read after
 *   every write, and stay right when another connection writes the same file.
 * - `exchange_event_types`, `exchange_users` and the FTS5 table `exchange_text` (version 2) are
 *   the derived index of sqlite-index.ts: filters look them up instead of parsing bodies. They
 *   are rebuilt from the bytes by the migration that adds them. A trigger empties the first two
 *   with the bytes; the store deletes the text rows itself (sqlite-index.ts says why), so a
 *   program that deletes rows behind hooktap's back leaves stale text rows that
 *   `rebuildDerivedIndex` clears.
 * - `index_pending` (version 3) lists the exchanges whose derived index is not written yet, and
 *   whether they have older index rows to replace: a capture write stores the bytes and one row
 *   here; the index follows when the store is idle (sqlite-index-queue.ts). Lists match pending
 *   exchanges on their bytes meanwhile, so no filter ever misses one.
 * - `schema_migrations` records applied versions; `PRAGMA application_id` marks the file as ours.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import type { Logger } from "../log/index.js";
import {
  appliedVersion,
  applyMigrations,
  assertOwnDatabase,
  type Migration,
  type MigrationsTable,
  type SchemaFailure,
} from "../sqlite/index.js";
import { CaptureError } from "./errors.js";
import { FTS_TOKENIZER } from "./search-text.js";
import { rebuildDerivedIndex } from "./sqlite-index.js";

/** `PRAGMA application_id` of a capture database: "htcp" (hooktap capture) in ASCII. */
export const CAPTURE_APPLICATION_ID = 0x68746370;

/** One schema step: DDL, then an optional data step run in the same transaction. */
export type { Migration };

/** Every migration in order; exported for the tests that build old files. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "exchanges, bodies, totals",
    sql: `
      CREATE TABLE exchanges (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        endpoint TEXT NOT NULL,
        origin TEXT NOT NULL,
        remote_address TEXT,
        method TEXT NOT NULL,
        target TEXT NOT NULL,
        http_version TEXT NOT NULL,
        request_headers TEXT NOT NULL,
        request_body_size INTEGER NOT NULL,
        request_body_truncated INTEGER NOT NULL,
        status INTEGER,
        status_message TEXT,
        response_headers TEXT,
        response_body_size INTEGER,
        response_body_truncated INTEGER,
        error_code TEXT,
        error_message TEXT,
        received_at REAL NOT NULL,
        forwarded_at REAL,
        first_byte_at REAL,
        done_at REAL,
        parent_id TEXT,
        queue_id TEXT,
        stored_bytes INTEGER NOT NULL
      );
      CREATE INDEX exchanges_endpoint ON exchanges (endpoint, id);
      CREATE INDEX exchanges_origin ON exchanges (origin, id);
      CREATE INDEX exchanges_status ON exchanges (status, id);
      CREATE INDEX exchanges_method ON exchanges (method, id);
      CREATE INDEX exchanges_received_at ON exchanges (received_at);
      CREATE INDEX exchanges_parent_id ON exchanges (parent_id) WHERE parent_id IS NOT NULL;
      CREATE INDEX exchanges_queue_id ON exchanges (queue_id) WHERE queue_id IS NOT NULL;
      CREATE TABLE bodies (
        exchange_seq INTEGER NOT NULL,
        part TEXT NOT NULL CHECK (part IN ('request', 'response')),
        bytes BLOB NOT NULL,
        PRIMARY KEY (exchange_seq, part)
      );
      CREATE TABLE totals (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        count INTEGER NOT NULL,
        bytes INTEGER NOT NULL
      );
      INSERT INTO totals (id, count, bytes) VALUES (1, 0, 0);
      CREATE TRIGGER exchanges_inserted AFTER INSERT ON exchanges BEGIN
        UPDATE totals SET count = count + 1, bytes = bytes + new.stored_bytes WHERE id = 1;
      END;
      CREATE TRIGGER exchanges_deleted AFTER DELETE ON exchanges BEGIN
        DELETE FROM bodies WHERE exchange_seq = old.seq;
        UPDATE totals SET count = count - 1, bytes = bytes - old.stored_bytes WHERE id = 1;
      END;
      CREATE TRIGGER exchanges_resized AFTER UPDATE OF stored_bytes ON exchanges BEGIN
        UPDATE totals SET bytes = bytes - old.stored_bytes + new.stored_bytes WHERE id = 1;
      END;
    `,
  },
  {
    version: 2,
    name: "derived index: Okta event types, target users, full-text search",
    sql: `
      CREATE TABLE exchange_event_types (
        event_type TEXT NOT NULL,
        exchange_seq INTEGER NOT NULL,
        PRIMARY KEY (event_type, exchange_seq)
      ) WITHOUT ROWID;
      CREATE INDEX exchange_event_types_seq ON exchange_event_types (exchange_seq);
      CREATE TABLE exchange_users (
        user_key TEXT NOT NULL,
        exchange_seq INTEGER NOT NULL,
        PRIMARY KEY (user_key, exchange_seq)
      ) WITHOUT ROWID;
      CREATE INDEX exchange_users_seq ON exchange_users (exchange_seq);
      CREATE VIRTUAL TABLE exchange_text USING fts5(
        text, content = '', contentless_delete = 1, tokenize = "${FTS_TOKENIZER}"
      );
      CREATE TRIGGER exchanges_unindexed AFTER DELETE ON exchanges BEGIN
        DELETE FROM exchange_event_types WHERE exchange_seq = old.seq;
        DELETE FROM exchange_users WHERE exchange_seq = old.seq;
      END;
    `,
    backfill: rebuildDerivedIndex,
  },
  {
    version: 3,
    name: "index_pending: the derived index is written after the bytes; unused indexes dropped",
    // No query could use these two (the method filter compares upper(method); nothing orders or
    // filters on received_at alone), and each index costs every capture write.
    sql: `
      DROP INDEX exchanges_method;
      DROP INDEX exchanges_received_at;
      CREATE TABLE index_pending (
        exchange_seq INTEGER PRIMARY KEY,
        has_rows INTEGER NOT NULL
      );
      CREATE TRIGGER exchanges_unqueued AFTER DELETE ON exchanges BEGIN
        DELETE FROM index_pending WHERE exchange_seq = old.seq;
      END;
    `,
  },
];

/** The schema version this code writes and reads. */
export const CAPTURE_SCHEMA_VERSION = MIGRATIONS.length;

/** How to open a capture database. */
export interface OpenDatabaseOptions {
  readOnly: boolean;
  busyTimeoutMs: number;
  logger: Logger;
}

function isSqliteError(error: unknown, code: string): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === code;
}

/** Wraps a driver error in a `CaptureError` (code `storage`); passes `CaptureError`s through. */
export function storageError(error: unknown, doing: string): CaptureError {
  if (error instanceof CaptureError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new CaptureError("storage", `capture store failed to ${doing}: ${detail}`, {
    cause: error,
  });
}

/** The capture layout of `schema_migrations`, kept so files already on disk stay readable. */
const CAPTURE_MIGRATIONS_TABLE: MigrationsTable = {
  create:
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at REAL NOT NULL)",
  columns: ["version", "applied_at"],
};

function identity(path: string) {
  return {
    applicationId: CAPTURE_APPLICATION_ID,
    path,
    describe: "a hooktap capture database",
    fail: (_code: SchemaFailure["code"], _message: string, failure: SchemaFailure) =>
      failure.code === "foreign_database"
        ? new CaptureError(
            "not_a_capture_db",
            `${path} is not a hooktap capture database (application_id ${failure.applicationId}, ` +
              `${failure.objects} tables)`,
          )
        : tooNew(path, failure.version),
  };
}

function recognise(db: Database.Database, path: string): void {
  try {
    assertOwnDatabase(db, identity(path));
  } catch (error) {
    if (isSqliteError(error, "SQLITE_NOTADB")) {
      throw new CaptureError("not_a_capture_db", `${path} is not a SQLite database`, {
        cause: error,
      });
    }
    throw error;
  }
}

function tooNew(path: string, version: number): CaptureError {
  return new CaptureError(
    "unsupported_schema",
    `${path} has capture schema version ${version}; this hooktap knows up to ${CAPTURE_SCHEMA_VERSION}`,
  );
}

function migrate(db: Database.Database, path: string, options: OpenDatabaseOptions): void {
  const before = appliedVersion(db);
  if (before > CAPTURE_SCHEMA_VERSION) throw tooNew(path, before);
  if (before === CAPTURE_SCHEMA_VERSION) return;
  if (options.readOnly) {
    throw new CaptureError(
      "unsupported_schema",
      `${path} has capture schema version ${before} and needs migrating; open it read-write once`,
    );
  }
  // IMMEDIATE takes the write lock first, so two processes opening a fresh file do not both
  // migrate: the second re-reads the version inside the lock and finds nothing to do.
  applyMigrations(db, {
    ...identity(path),
    migrations: MIGRATIONS,
    logger: options.logger,
    migratedMessage: "capture schema migrated",
    logFields: (migration, backfilled) => ({
      version: migration.version,
      description: migration.name,
      ...(backfilled !== undefined && { backfilled }),
    }),
    table: CAPTURE_MIGRATIONS_TABLE,
  });
}

function connect(path: string, readOnly: boolean): Database.Database {
  if (path !== ":memory:" && !readOnly) mkdirSync(dirname(resolve(path)), { recursive: true });
  try {
    return new Database(path, { readonly: readOnly, fileMustExist: readOnly });
  } catch (error) {
    throw storageError(error, `open ${path}`);
  }
}

/** WAL pages between automatic checkpoints (SQLite's default is 1000). */
export const WAL_AUTOCHECKPOINT_PAGES = 10000;

/** Level-0 full-text segments FTS5 lets pile up before merging them (its default is 4). */
export const FTS_AUTOMERGE = 16;

/**
 * Settings that make the writer's commits cheaper; capture runs on the tunnel's hot path, one
 * commit per event-loop turn. Checkpointing every 10,000 pages instead of 1,000 writes a page
 * that several turns changed back to the database once; letting FTS5 merge its per-commit
 * segments 16 at a time instead of 4 does that merge work less often. A text search reads
 * more, smaller segments, which costs far less than the writes it spares. The FTS5 setting is
 * stored in the file, so it is written only when it differs.
 */
function tuneWrites(db: Database.Database): void {
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  const automerge = db
    .prepare<[], number>("SELECT v FROM exchange_text_config WHERE k = 'automerge'")
    .pluck()
    .get();
  if (automerge !== FTS_AUTOMERGE) {
    db.exec(
      `INSERT INTO exchange_text (exchange_text, rank) VALUES ('automerge', ${FTS_AUTOMERGE})`,
    );
  }
}

/**
 * Opens (creating it and its parent directories when writable) a capture database, ready for use.
 * Throws `CaptureError`: `not_a_capture_db`, `unsupported_schema`, or `storage`.
 */
export function openCaptureDatabase(path: string, options: OpenDatabaseOptions): Database.Database {
  if (typeof path !== "string" || path.length === 0) {
    throw new CaptureError("invalid_argument", "path must be a file path or ':memory:'", {
      field: "path",
    });
  }
  const db = connect(path, options.readOnly);
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs}`);
    recognise(db, path);
    if (!options.readOnly) {
      // WAL: readers in other processes (the inspector) never block the agent's writes.
      const mode = db.pragma("journal_mode = WAL", { simple: true });
      if (mode !== "wal") options.logger.debug("capture journal mode", { mode });
      // Cap the WAL file left after checkpoints; 10 MiB bodies would otherwise keep it large.
      db.pragma("journal_size_limit = 67108864");
    }
    // NORMAL in WAL mode: a power cut may lose the last writes, never corrupt the file.
    db.pragma("synchronous = NORMAL");
    // A 16 MiB page cache (the default is 2 MiB): index and full-text pages stay in memory
    // between the turns that write them.
    db.pragma("cache_size = -16384");
    migrate(db, path, options);
    if (!options.readOnly) tuneWrites(db);
    return db;
  } catch (error) {
    db.close();
    throw storageError(error, `open ${path}`);
  }
}
