/**
 * Opening the emulator's database: the file and its directory, SQLite's settings, the schema,
 * and the repositories over it.
 */
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { type Logger, silentLogger } from "../../log/index.js";
import type { AnyLogEvent } from "../../okta/index.js";
import { createDeliveryLogRepository, type DeliveryLogRepository } from "./deliveries.js";
import { EmulatorStoreError, toEmulatorStoreError } from "./errors.js";
import { createEventHookRepository, type EventHookRepository } from "./event-hooks.js";
import { assertEmulatorDatabase, migrate } from "./schema.js";
import { createSettingsRepository, type SettingsRepository } from "./settings.js";
import {
  createSystemLogRepository,
  type LogListener,
  type SystemLogRepository,
} from "./system-log.js";
import type { StoredLogEvent } from "./types.js";
import { createDirectoryRepository, type DirectoryRepository } from "./users.js";

/** Options of {@link openEmulatorStore}. */
export interface EmulatorStoreOptions {
  /** Receives migrations (info) and open/close (debug). @default silentLogger */
  logger?: Logger;
  /** The clock for persistence times, in epoch milliseconds. @default Date.now */
  now?: () => number;
  /** How long a write waits for another process holding the file's lock. @default 5000 */
  busyTimeoutMs?: number;
}

/**
 * The emulator's state: one SQLite database (`:memory:` or a file, WAL) and a repository per
 * concern. A new API adds a migration (`schema.ts`) and a repository file taking {@link db};
 * everything that makes System Log events calls {@link appendLogEvents}.
 */
export interface EmulatorStore {
  /** The database path, or `:memory:`. */
  readonly path: string;
  /** The open connection, for repositories added later. */
  readonly db: Database.Database;
  readonly eventHooks: EventHookRepository;
  readonly logs: SystemLogRepository;
  readonly settings: SettingsRepository;
  /** Users, groups and memberships. */
  readonly directory: DirectoryRepository;
  /** The delivery log. */
  readonly deliveries: DeliveryLogRepository;
  /**
   * Stores LogEvents (either shape) in the System Log, in order, and tells subscribers.
   * Events whose `uuid` is already stored are skipped. Returns what was stored.
   */
  appendLogEvents(events: readonly AnyLogEvent[]): StoredLogEvent[];
  /** Calls `listener` after every append with the new events; returns the unsubscribe function. */
  subscribeLogEvents(listener: LogListener): () => void;
  /** Runs `fn` in one IMMEDIATE transaction (all or nothing). */
  transaction<T>(fn: () => T): T;
  /** Closes the database. Idempotent. */
  close(): void;
}

/**
 * Opens (creating it and its directory, mode 0600, if needed) the emulator database at `path`,
 * or an in-memory one for `":memory:"`, migrated to the current schema. Throws an
 * {@link EmulatorStoreError}: `invalid_argument`, `not_an_emulator_database`, `schema_too_new`
 * or `unavailable`.
 *
 * @example
 * const store = openEmulatorStore(".hooktap/okta.db");
 * store.eventHooks.list();
 * store.close();
 */
export function openEmulatorStore(path: string, options: EmulatorStoreOptions = {}): EmulatorStore {
  if (typeof path !== "string" || path === "") {
    throw new EmulatorStoreError("invalid_argument", "path must be a file path or ':memory:'", {
      field: "path",
    });
  }
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new EmulatorStoreError(
      "invalid_argument",
      "busyTimeoutMs must be a non-negative integer",
      {
        field: "busyTimeoutMs",
      },
    );
  }
  const db = openFile(path);
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    // Before anything writes (WAL changes the header): another program's database stays untouched.
    assertEmulatorDatabase(db, path);
    db.pragma("journal_mode = WAL");
    // A commit has reached the WAL with write(2) before it returns: a killed emulator loses
    // nothing it acknowledged; only a power loss could drop the last commits.
    db.pragma("synchronous = NORMAL");
    migrate(db, { path, logger, now });
  } catch (error) {
    db.close();
    throw toEmulatorStoreError(error, path);
  }
  const eventHooks = createEventHookRepository(db);
  const logs = createSystemLogRepository(db, { now, logger });
  const settings = createSettingsRepository(db);
  const directory = createDirectoryRepository(db);
  const deliveries = createDeliveryLogRepository(db);
  let closed = false;
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      if (closed) throw new EmulatorStoreError("closed", "the Okta emulator store is closed");
      try {
        return fn(...args);
      } catch (error) {
        throw toEmulatorStoreError(error, path);
      }
    };
  logger.debug("Okta emulator store open", { path });
  return {
    path,
    db,
    eventHooks,
    logs,
    settings,
    directory,
    deliveries,
    appendLogEvents: guard((events: readonly AnyLogEvent[]) => logs.append(events)),
    subscribeLogEvents: (listener) => logs.subscribe(listener),
    transaction: guard(<T>(fn: () => T): T => db.transaction(fn).immediate()) as <T>(
      fn: () => T,
    ) => T,
    close() {
      if (closed) return;
      closed = true;
      db.close();
      logger.debug("Okta emulator store closed", { path });
    },
  };
}

function openFile(path: string): Database.Database {
  try {
    if (path === ":memory:") return new Database(path);
    mkdirSync(dirname(resolve(path)), { recursive: true });
    const created = !existsSync(path);
    const db = new Database(path);
    // The file holds the org's API token: readable by its owner only.
    if (created) chmodSync(path, 0o600);
    return db;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EmulatorStoreError(
      "unavailable",
      `cannot open Okta emulator database ${path}: ${reason}`,
      {
        cause: error,
      },
    );
  }
}
