import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMemoryLogger } from "../log/index.js";
import {
  type ApplyMigrationsOptions,
  appliedVersion,
  applyMigrations,
  assertOwnDatabase,
  type Migration,
  type SchemaFailure,
} from "./migrate.js";

const APP_ID = 0x74657374;

const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: "things", sql: "CREATE TABLE things (id INTEGER PRIMARY KEY, v TEXT)" },
  {
    version: 2,
    name: "more things",
    sql: "CREATE TABLE more_things (id INTEGER PRIMARY KEY); ALTER TABLE things ADD COLUMN w TEXT;",
    backfill: (db) => db.prepare("UPDATE things SET w = v").run().changes,
  },
];

class TestError extends Error {
  constructor(
    readonly code: SchemaFailure["code"],
    message: string,
  ) {
    super(message);
  }
}

let dir: string;
const open: Database.Database[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hooktap-sqlite-"));
});

afterEach(() => {
  for (const db of open.splice(0)) db.close();
  rmSync(dir, { recursive: true, force: true });
});

function database(name = "test.db"): Database.Database {
  const db = new Database(join(dir, name));
  open.push(db);
  return db;
}

function options(
  db: Database.Database,
  overrides: Partial<ApplyMigrationsOptions> = {},
): ApplyMigrationsOptions {
  return {
    applicationId: APP_ID,
    migrations: MIGRATIONS,
    path: db.name,
    describe: "a hooktap test database",
    logger: createMemoryLogger(),
    migratedMessage: "test store migrated",
    now: () => 1234,
    fail: (code, message) => new TestError(code, message),
    ...overrides,
  };
}

function failureOf(run: () => unknown): TestError {
  try {
    run();
  } catch (error) {
    if (error instanceof TestError) return error;
    throw error;
  }
  throw new Error("expected a TestError");
}

function tables(db: Database.Database): string[] {
  return db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
    .pluck()
    .all() as string[];
}

describe("applyMigrations", () => {
  it("makes a fresh file ours and applies every migration, in order", () => {
    const db = database();
    const logger = createMemoryLogger();
    expect(applyMigrations(db, options(db, { logger }))).toEqual({ from: 0, to: 2 });
    expect(db.pragma("application_id", { simple: true })).toBe(APP_ID);
    expect(tables(db)).toEqual(["more_things", "schema_migrations", "things"]);
    expect(db.prepare("SELECT * FROM schema_migrations ORDER BY version").all()).toEqual([
      { version: 1, name: "things", applied_at: 1234 },
      { version: 2, name: "more things", applied_at: 1234 },
    ]);
    expect(logger.records).toEqual([
      {
        level: "info",
        message: "test store migrated",
        fields: { path: db.name, version: 1, name: "things" },
      },
      {
        level: "info",
        message: "test store migrated",
        fields: { path: db.name, version: 2, name: "more things", backfilled: 0 },
      },
    ]);
    expect(appliedVersion(db)).toBe(2);
  });

  it("does nothing on a file already up to date", () => {
    const db = database();
    applyMigrations(db, options(db));
    const logger = createMemoryLogger();
    expect(applyMigrations(db, options(db, { logger }))).toEqual({ from: 2, to: 2 });
    expect(logger.records).toEqual([]);
    expect(db.prepare("SELECT count(*) FROM schema_migrations").pluck().get()).toBe(2);
  });

  it("refuses a file with a foreign application_id, untouched", () => {
    const db = database();
    db.pragma("application_id = 42");
    const error = failureOf(() => applyMigrations(db, options(db)));
    expect(error.code).toBe("foreign_database");
    expect(error.message).toBe(
      `${db.name} is a SQLite database of another program, not a hooktap test database`,
    );
    expect(db.pragma("application_id", { simple: true })).toBe(42);
    expect(tables(db)).toEqual([]);
  });

  it("refuses a file with tables but no application_id, untouched", () => {
    const db = database();
    db.exec("CREATE TABLE queue (id TEXT)");
    let failure: SchemaFailure | undefined;
    const error = failureOf(() =>
      assertOwnDatabase(db, {
        ...options(db),
        fail: (code, message, f) => {
          failure = f;
          return new TestError(code, message);
        },
      }),
    );
    expect(error.code).toBe("foreign_database");
    expect(failure).toEqual({ code: "foreign_database", applicationId: 0, objects: 1 });
    expect(failureOf(() => applyMigrations(db, options(db))).code).toBe("foreign_database");
    expect(tables(db)).toEqual(["queue"]);
    expect(db.pragma("application_id", { simple: true })).toBe(0);
  });

  it("refuses a file from a newer version", () => {
    const db = database();
    applyMigrations(db, options(db));
    db.prepare("INSERT INTO schema_migrations VALUES (7, 'future', 0)").run();
    const error = failureOf(() => applyMigrations(db, options(db)));
    expect(error.code).toBe("schema_too_new");
    expect(error.message).toBe(
      `${db.name} has schema version 7; this hooktap knows up to 2: upgrade hooktap`,
    );
  });

  it("resumes a file left at an earlier version, applying only what is pending", () => {
    const path = join(dir, "test.db");
    const first = database();
    expect(applyMigrations(first, options(first, { migrations: MIGRATIONS.slice(0, 1) }))).toEqual({
      from: 0,
      to: 1,
    });
    first.prepare("INSERT INTO things (v) VALUES ('a'), ('b')").run();
    first.close();
    open.splice(open.indexOf(first), 1);
    const db = new Database(path);
    open.push(db);
    const logger = createMemoryLogger();
    expect(applyMigrations(db, options(db, { logger, now: () => 99 }))).toEqual({
      from: 1,
      to: 2,
    });
    expect(logger.records.map((r) => r.fields)).toEqual([
      { path, version: 2, name: "more things", backfilled: 2 },
    ]);
    expect(db.prepare("SELECT w FROM things ORDER BY id").pluck().all()).toEqual(["a", "b"]);
    expect(db.prepare("SELECT version, applied_at FROM schema_migrations").all()).toEqual([
      { version: 1, applied_at: 1234 },
      { version: 2, applied_at: 99 },
    ]);
  });

  it("rolls a failing migration back entirely, with the ones before it in the same run", () => {
    const db = database();
    const broken: Migration[] = [
      MIGRATIONS[0] as Migration,
      {
        version: 2,
        name: "broken",
        sql: "CREATE TABLE half (id INTEGER); CREATE TABLE things (x);",
      },
    ];
    expect(() => applyMigrations(db, options(db, { migrations: broken }))).toThrow(
      /already exists/,
    );
    expect(tables(db)).toEqual([]);
    expect(db.pragma("application_id", { simple: true })).toBe(0);
    expect(appliedVersion(db)).toBe(0);
    expect(applyMigrations(db, options(db))).toEqual({ from: 0, to: 2 });
  });

  it("writes a store's own schema_migrations layout", () => {
    const db = database();
    db.exec(
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at REAL NOT NULL)",
    );
    db.prepare("INSERT INTO schema_migrations VALUES (1, 0)").run();
    db.exec(MIGRATIONS[0]?.sql ?? "");
    db.pragma(`application_id = ${APP_ID}`);
    const table = {
      create:
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at REAL NOT NULL)",
      columns: ["version", "applied_at"] as const,
    };
    expect(applyMigrations(db, options(db, { table }))).toEqual({ from: 1, to: 2 });
    expect(db.prepare("SELECT * FROM schema_migrations ORDER BY version").all()).toEqual([
      { version: 1, applied_at: 0 },
      { version: 2, applied_at: 1234 },
    ]);
  });
});
