/**
 * How a hooktap SQLite file is recognised and brought up to date, shared by the stores (capture,
 * relay, emulator). A file is ours when `PRAGMA application_id` holds the store's id; an empty
 * file becomes ours; anything else is another program's and is refused before a byte is written.
 * The schema version is the highest row of `schema_migrations`; migrations are only ever
 * appended, and the pending ones run in one IMMEDIATE transaction that records them, so a crash
 * or a failing step leaves the previous version intact and two processes never both migrate.
 * Each store keeps its migrations, its errors (mapped in `fail`) and its PRAGMAs.
 */
import type { Database } from "better-sqlite3";
import type { LogFields, Logger } from "../log/index.js";

/** One schema step: DDL, then an optional data step run in the same transaction. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Fills what the DDL created from existing data; returns a count for the log. */
  backfill?: (db: Database) => number;
}

/** Why a file was refused, with the facts a store may put in its own message. */
export type SchemaFailure =
  | { code: "foreign_database"; applicationId: number; objects: number }
  | { code: "schema_too_new"; version: number; known: number };

/** Builds the store's own error for a refusal; `message` is a ready default. */
export type FailWith = (
  code: SchemaFailure["code"],
  message: string,
  failure: SchemaFailure,
) => Error;

/** Layout of a store's `schema_migrations` table: files on disk keep the one they were made with. */
export interface MigrationsTable {
  /** `CREATE TABLE IF NOT EXISTS schema_migrations (...)`. */
  create: string;
  /** Columns written per applied migration, in order. */
  columns: readonly ("version" | "name" | "applied_at")[];
}

/** `version, name, applied_at` (epoch ms), STRICT: the relay's and the emulator's layout. */
export const NAMED_MIGRATIONS_TABLE: MigrationsTable = {
  create: `CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    ) STRICT`,
  columns: ["version", "name", "applied_at"],
};

/** What identifies a store's files, for the foreign-file check. */
export interface RecogniseOptions {
  applicationId: number;
  path: string;
  /** Says what the file should have been, e.g. "a hooktap capture database". */
  describe: string;
  fail: FailWith;
}

/** How to bring a file up to date. */
export interface ApplyMigrationsOptions extends RecogniseOptions {
  migrations: readonly Migration[];
  logger: Logger;
  /** Log message per applied migration, e.g. "relay store migrated". */
  migratedMessage: string;
  /** Log fields per applied migration; `{ path, version, name }` by default. */
  logFields?: (migration: Migration, backfilled: number | undefined) => LogFields;
  /** Defaults to {@link NAMED_MIGRATIONS_TABLE}. */
  table?: MigrationsTable;
  /** Clock for `applied_at`; `Date.now` by default. */
  now?: () => number;
}

/** The versions before and after {@link applyMigrations}. */
export interface MigrationResult {
  from: number;
  to: number;
}

/** The highest version a schema knows: its last migration's. */
export function knownVersion(migrations: readonly Migration[]): number {
  return migrations[migrations.length - 1]?.version ?? 0;
}

function userObjectCount(db: Database): number {
  const row = db
    .prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'")
    .get() as { n: number };
  return row.n;
}

/**
 * Refuses, before writing anything, a file that another program made: a foreign
 * `application_id`, or tables without one. An empty database is fine.
 * (A file that is not SQLite at all throws the driver's `SQLITE_NOTADB` here.)
 */
export function assertOwnDatabase(db: Database, options: RecogniseOptions): void {
  const applicationId = db.pragma("application_id", { simple: true }) as number;
  if (applicationId === options.applicationId) return;
  const objects = userObjectCount(db);
  if (applicationId === 0 && objects === 0) return;
  throw options.fail(
    "foreign_database",
    `${options.path} is a SQLite database of another program, not ${options.describe}`,
    { code: "foreign_database", applicationId, objects },
  );
}

/** The highest applied version; 0 for a file without `schema_migrations`. */
export function appliedVersion(db: Database): number {
  const table = db
    .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (table === undefined) return 0;
  const version = db.prepare("SELECT max(version) FROM schema_migrations").pluck().get();
  return typeof version === "number" ? version : 0;
}

/** The refusal of a file written by a newer hooktap. */
export function schemaTooNew(
  version: number,
  migrations: readonly Migration[],
  options: Pick<RecogniseOptions, "path" | "fail">,
): Error {
  const known = knownVersion(migrations);
  return options.fail(
    "schema_too_new",
    `${options.path} has schema version ${version}; this hooktap knows up to ${known}: upgrade hooktap`,
    { code: "schema_too_new", version, known },
  );
}

/**
 * Brings the database to its last migration's version in one IMMEDIATE transaction (re-checking,
 * under the write lock, that the file is ours), or refuses a newer one.
 *
 * @example
 * applyMigrations(db, { applicationId, migrations, path, describe: "a hooktap relay database",
 *   logger, migratedMessage: "relay store migrated", fail: (code, message) => new Error(message) });
 */
export function applyMigrations(db: Database, options: ApplyMigrationsOptions): MigrationResult {
  const table = options.table ?? NAMED_MIGRATIONS_TABLE;
  const now = options.now ?? Date.now;
  const known = knownVersion(options.migrations);
  const run = db.transaction((): MigrationResult => {
    // Checked again under the write lock: another process may have created the file meanwhile.
    assertOwnDatabase(db, options);
    if (db.pragma("application_id", { simple: true }) !== options.applicationId) {
      db.pragma(`application_id = ${options.applicationId}`);
    }
    db.exec(table.create);
    const from = appliedVersion(db);
    if (from > known) throw schemaTooNew(from, options.migrations, options);
    const record = db.prepare(
      `INSERT INTO schema_migrations (${table.columns.join(", ")}) VALUES (${table.columns
        .map(() => "?")
        .join(", ")})`,
    );
    for (const migration of options.migrations) {
      if (migration.version <= from) continue;
      db.exec(migration.sql);
      const backfilled = migration.backfill?.(db);
      const values = { version: migration.version, name: migration.name, applied_at: now() };
      record.run(...table.columns.map((column) => values[column]));
      options.logger.info(
        options.migratedMessage,
        options.logFields?.(migration, backfilled) ?? {
          path: options.path,
          version: migration.version,
          name: migration.name,
          ...(backfilled !== undefined && { backfilled }),
        },
      );
    }
    return { from, to: Math.max(from, known) };
  });
  return run.immediate();
}
