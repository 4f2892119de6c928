/**
 * The emulator database's schema and how a file becomes one. A file is recognised by SQLite's
 * `application_id`; its version is the highest row of `schema_migrations`. Migrations are only
 * ever appended to {@link MIGRATIONS} (a new API adds its tables as a new entry); each runs
 * once, inside the IMMEDIATE transaction that records it.
 */
import type { Database } from "better-sqlite3";
import type { Logger } from "../../log/index.js";
import {
  applyMigrations,
  assertOwnDatabase,
  knownVersion,
  type Migration,
  type SchemaFailure,
} from "../../sqlite/index.js";
import { EmulatorStoreError } from "./errors.js";

/** `application_id` of a hooktap Okta emulator database: the ASCII bytes "htok". */
export const EMULATOR_DB_APPLICATION_ID = 0x68746f6b;

/** One step of the schema: the shared shape of `src/sqlite`. */
export type { Migration };

/**
 * Every schema change, in order. Tables are STRICT; times are INTEGER epoch milliseconds.
 *
 * - `settings`: the org's own key/value state (API token, admin identity), JSON values.
 * - `event_hooks`: one row per hook; `events` and `channel` are the JSON sub-objects as stored,
 *   the channel with its write-only `authScheme.value`. `seq` is creation order (list order).
 * - `log_events`: the System Log. `seq` is persistence order (polling order), `inserted_at` is
 *   kept monotonic so a persistence-time cursor never skips; `json` is the whole LogEvent in
 *   the System Log API's shape.
 * - `users`, `groups`: the Users and Groups APIs' objects as stored JSON (`login` and group
 *   `name` unique, case-insensitively, as Okta's are); `group_members` links them.
 * - `delivery_attempts`: the delivery log, one row per HTTP request of a delivery.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "settings, event hooks, system log",
    sql: `
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE event_hooks (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        description TEXT,
        status TEXT NOT NULL CHECK (status IN ('ACTIVE', 'INACTIVE')),
        verification_status TEXT NOT NULL CHECK (verification_status IN ('UNVERIFIED', 'VERIFIED')),
        created_at INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        last_updated_at INTEGER NOT NULL,
        events TEXT NOT NULL,
        channel TEXT NOT NULL
      ) STRICT;

      CREATE TABLE log_events (
        seq INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        event_type TEXT NOT NULL,
        published_at INTEGER NOT NULL,
        inserted_at INTEGER NOT NULL,
        json TEXT NOT NULL
      ) STRICT;
      CREATE INDEX log_events_by_published ON log_events (published_at, seq);
      CREATE INDEX log_events_by_type ON log_events (event_type, seq);
    `,
  },
  {
    version: 2,
    name: "users, groups, memberships, delivery log",
    sql: `
      CREATE TABLE users (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        login TEXT NOT NULL UNIQUE COLLATE NOCASE,
        json TEXT NOT NULL
      ) STRICT;

      CREATE TABLE groups (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        json TEXT NOT NULL
      ) STRICT;

      CREATE TABLE group_members (
        group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        PRIMARY KEY (group_id, user_id)
      ) STRICT;
      CREATE INDEX group_members_by_user ON group_members (user_id);

      CREATE TABLE delivery_attempts (
        seq INTEGER PRIMARY KEY,
        hook_id TEXT NOT NULL,
        delivery_id TEXT NOT NULL,
        json TEXT NOT NULL
      ) STRICT;
      CREATE INDEX delivery_attempts_by_hook ON delivery_attempts (hook_id, seq);
    `,
  },
];

/** The schema version this code writes and understands. */
export const SCHEMA_VERSION: number = knownVersion(MIGRATIONS);

function fail(code: SchemaFailure["code"], message: string): EmulatorStoreError {
  return new EmulatorStoreError(
    code === "foreign_database" ? "not_an_emulator_database" : "schema_too_new",
    message,
  );
}

const IDENTITY = {
  applicationId: EMULATOR_DB_APPLICATION_ID,
  describe: "a hooktap Okta emulator database",
  fail,
};

/**
 * Refuses, before writing anything, a SQLite file another program made (a foreign
 * `application_id`, or tables without one). An empty database is fine.
 */
export function assertEmulatorDatabase(db: Database, path: string): void {
  assertOwnDatabase(db, { ...IDENTITY, path });
}

/**
 * Brings the database to {@link SCHEMA_VERSION} in one IMMEDIATE transaction (two processes
 * opening a new file at once do not both migrate it), or refuses a newer one.
 */
export function migrate(
  db: Database,
  context: { path: string; logger: Logger; now: () => number },
): void {
  applyMigrations(db, {
    ...IDENTITY,
    ...context,
    migrations: MIGRATIONS,
    migratedMessage: "Okta emulator store migrated",
  });
}
