/**
 * Opening the embedded relay store: the file and its directory, SQLite's settings, the schema.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { type Logger, silentLogger } from "../../log/index.js";
import { StoreError } from "./errors.js";
import type { RelayStore } from "./relay-store.js";
import { toStoreError } from "./sqlite-errors.js";
import { createSqliteRelayStore } from "./sqlite-relay-store.js";
import { assertRelayDatabase, migrate } from "./sqlite-schema.js";

/** Options of {@link openSqliteRelayStore}. */
export interface SqliteRelayStoreOptions {
  /** Receives migrations (info) and open/close (debug). @default silentLogger */
  logger?: Logger;
  /**
   * `"normal"` survives the relay being killed (SIGKILL, OOM, crash) with every acknowledged
   * write; `"full"` also survives the machine losing power, at the cost of an fsync per write.
   * @default "normal"
   */
  synchronous?: "normal" | "full";
  /** How long a write waits for another process holding the file's write lock. @default 5000 */
  busyTimeoutMs?: number;
  /** The clock for `createdAt`, `lastUsedAt` and default attempt times. @default Date.now */
  now?: () => number;
}

/**
 * Opens (creating it and its directory if needed) the relay database at `path`, or an in-memory
 * one for `":memory:"`, migrating it to the current schema. Rejects with a `StoreError`:
 * `not_a_relay_database`, `schema_too_new` or `unavailable`.
 *
 * @example
 * const store = await openSqliteRelayStore(".hooktap/relay.db", { logger });
 * try {
 *   const owner = await store.endpointOwner("okta-dev");
 * } finally {
 *   await store.close();
 * }
 */
export async function openSqliteRelayStore(
  path: string,
  options: SqliteRelayStoreOptions = {},
): Promise<RelayStore> {
  if (typeof path !== "string" || path === "") {
    throw new StoreError("invalid_argument", "path must be a file path or ':memory:'", {
      field: "path",
    });
  }
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new StoreError("invalid_argument", "busyTimeoutMs must be a non-negative integer", {
      field: "busyTimeoutMs",
    });
  }
  const synchronous = options.synchronous ?? "normal";
  if (synchronous !== "normal" && synchronous !== "full") {
    throw new StoreError("invalid_argument", 'synchronous must be "normal" or "full"', {
      field: "synchronous",
    });
  }
  const db = openFile(path);
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    // Before anything writes (WAL changes the header): someone else's database stays untouched.
    assertRelayDatabase(db, path);
    db.pragma("journal_mode = WAL");
    // In WAL mode a commit has written its frames to the -wal file with write(2) before it
    // returns; NORMAL only skips the fsync. Those bytes sit in the kernel's page cache, which
    // outlives the process, so a SIGKILLed relay loses no acknowledged request: the next open
    // replays the WAL. Only an OS crash or power loss can drop the last commits (never corrupt
    // the file); `synchronous: "full"` closes that gap with an fsync per commit.
    db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
    db.pragma("foreign_keys = ON");
    migrate(db, { path, logger, now });
    const store = createSqliteRelayStore(db, { path, logger, now });
    logger.debug("relay store open", { path });
    return store;
  } catch (error) {
    db.close();
    throw toStoreError(error, path);
  }
}

/** The database handle, its directory created first; any failure is `unavailable`. */
function openFile(path: string): Database.Database {
  try {
    if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
    return new Database(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreError("unavailable", `cannot open relay database ${path}: ${reason}`, {
      cause: error,
    });
  }
}
