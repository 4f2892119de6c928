/**
 * The relay database's schema and how a file becomes one. A file is recognised by SQLite's
 * `application_id` header field; its version is the highest row of `schema_migrations`.
 * Migrations only ever get appended to {@link MIGRATIONS}; each runs once, in the transaction
 * that records it, so a crash mid-migration leaves the previous version intact.
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
import { StoreError } from "./errors.js";

/** `application_id` of a hooktap relay database: the ASCII bytes "htrl". */
export const RELAY_DB_APPLICATION_ID = 0x6874726c;

/** One step of the schema: the shared shape of `src/sqlite`. */
export type { Migration };

/**
 * Every schema change, in order. Tables are STRICT so a wrong type fails loudly; times are
 * INTEGER epoch milliseconds; `queue.seq` (the rowid) is the arrival order.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "tokens, endpoints, queue",
    sql: `
      CREATE TABLE tokens (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        secret_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER,
        revoked_at INTEGER
      ) STRICT;
      -- Names are unique among live tokens only: a revoked token's name can be given again.
      CREATE UNIQUE INDEX tokens_live_name ON tokens (name) WHERE revoked_at IS NULL;

      CREATE TABLE endpoints (
        name TEXT PRIMARY KEY,
        token_id TEXT NOT NULL REFERENCES tokens (id),
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX endpoints_by_token ON endpoints (token_id);

      CREATE TABLE queue (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        endpoint TEXT NOT NULL REFERENCES endpoints (name),
        method TEXT NOT NULL,
        target TEXT NOT NULL,
        http_version TEXT NOT NULL,
        raw_headers TEXT NOT NULL,
        body BLOB NOT NULL,
        remote_address TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        last_attempt_at INTEGER,
        last_error TEXT,
        last_status INTEGER,
        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
        delivered_at INTEGER,
        failed_at INTEGER,
        expires_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX queue_by_endpoint ON queue (endpoint, seq);
      CREATE INDEX queue_pending_by_endpoint ON queue (endpoint, seq) WHERE state = 'pending';
      CREATE INDEX queue_pending_by_expiry ON queue (expires_at) WHERE state = 'pending';
    `,
  },
  {
    version: 2,
    name: "endpoint edge policies",
    // JSON of the agent's EdgePolicy, so the relay applies it while the agent is away; NULL
    // until the endpoint's agent first connects.
    sql: "ALTER TABLE endpoints ADD COLUMN policy TEXT;",
  },
  {
    version: 3,
    name: "store revision",
    // One counter, bumped by the changes a running relay must notice although another process
    // made them (a token revoked from the CLI): the relay reads it on a short timer.
    sql: `
      CREATE TABLE revision (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        n INTEGER NOT NULL
      ) STRICT;
      INSERT INTO revision (id, n) VALUES (1, 0);
    `,
  },
  {
    version: 4,
    name: "queue retry window, failed requests index",
    // A retried request gets a window as long as its first; until now it was only implied by
    // expires_at - received_at, which a retry moves.
    sql: `
      ALTER TABLE queue ADD COLUMN ttl_ms INTEGER NOT NULL DEFAULT 0;
      UPDATE queue SET ttl_ms = expires_at - received_at;
      CREATE INDEX queue_failed_by_endpoint ON queue (endpoint, seq) WHERE state = 'failed';
    `,
  },
  {
    version: 5,
    name: "delivered requests index",
    // The relay deletes delivered requests once they are older than it keeps them; without it
    // that sweep would read the whole table, bodies included, every minute.
    sql: "CREATE INDEX queue_delivered_by_time ON queue (delivered_at) WHERE state = 'delivered';",
  },
];

/** The schema version this code writes and understands. */
export const SCHEMA_VERSION: number = knownVersion(MIGRATIONS);

function fail(code: SchemaFailure["code"], message: string): StoreError {
  return new StoreError(
    code === "foreign_database" ? "not_a_relay_database" : "schema_too_new",
    message,
  );
}

const IDENTITY = {
  applicationId: RELAY_DB_APPLICATION_ID,
  describe: "a hooktap relay database",
  fail,
};

/**
 * Refuses, before writing anything, a file that another program made: a SQLite database with
 * a foreign `application_id`, or with tables but no `application_id`. An empty database is fine.
 *
 * @example
 * assertRelayDatabase(db, path);
 */
export function assertRelayDatabase(db: Database, path: string): void {
  assertOwnDatabase(db, { ...IDENTITY, path });
}

/**
 * Brings the database to {@link SCHEMA_VERSION} in one IMMEDIATE transaction (so two relays
 * opening a new file at once do not both migrate it), or refuses a newer one.
 *
 * @example
 * migrate(db, { path, logger, now: Date.now });
 */
export function migrate(
  db: Database,
  context: { path: string; logger: Logger; now: () => number },
): void {
  applyMigrations(db, {
    ...IDENTITY,
    ...context,
    migrations: MIGRATIONS,
    migratedMessage: "relay store migrated",
  });
}
