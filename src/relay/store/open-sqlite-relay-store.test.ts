import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMemoryLogger } from "../../log/index.js";
import { StoreError } from "./errors.js";
import { openSqliteRelayStore } from "./open-sqlite-relay-store.js";
import { runRelayStoreContract } from "./relay-store.case.js";
import type { RelayStore } from "./relay-store.js";
import { MIGRATIONS, RELAY_DB_APPLICATION_ID, SCHEMA_VERSION } from "./sqlite-schema.js";
import { prepareStatements } from "./sqlite-statements.js";

runRelayStoreContract("sqlite file", async ({ now }) => {
  const dir = await mkdtemp(join(tmpdir(), "hooktap-relay-store-"));
  const path = join(dir, "relay.db");
  return {
    store: await openSqliteRelayStore(path, { now }),
    openPeer: () => openSqliteRelayStore(path, { now }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});

runRelayStoreContract("sqlite :memory:", async ({ now }) => ({
  store: await openSqliteRelayStore(":memory:", { now }),
}));

describe("openSqliteRelayStore", () => {
  let dir: string;
  const stores: RelayStore[] = [];
  const open = async (...args: Parameters<typeof openSqliteRelayStore>) => {
    const store = await openSqliteRelayStore(...args);
    stores.push(store);
    return store;
  };
  const rejection = async (promise: Promise<unknown>): Promise<StoreError> => {
    const error = await promise.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(StoreError);
    return error as StoreError;
  };
  /** Runs `work` on a plain better-sqlite3 connection to `path`, then closes it. */
  const raw = <T>(path: string, work: (db: Database.Database) => T): T => {
    const db = new Database(path);
    try {
      return work(db);
    } finally {
      db.close();
    }
  };

  /**
   * Writes a relay store file as schema version `version` left it (token `tok_1` owning
   * endpoint `okta-dev`), then runs `more` on it.
   */
  const writeFileAt = (
    version: number,
    path: string,
    more?: (db: Database.Database) => void,
  ): void => {
    const steps = MIGRATIONS.slice(0, version);
    if (steps.length !== version || steps.some((step, i) => step.version !== i + 1)) {
      throw new Error(`MIGRATIONS do not start with versions 1 to ${version}`);
    }
    raw(path, (db) => {
      db.pragma(`application_id = ${RELAY_DB_APPLICATION_ID}`);
      db.exec(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT",
      );
      for (const step of steps) {
        db.exec(step.sql);
        step.backfill?.(db);
        db.prepare("INSERT INTO schema_migrations VALUES (?, ?, 0)").run(step.version, step.name);
      }
      db.prepare("INSERT INTO tokens VALUES ('tok_1', 'laptop', ?, 1, NULL, NULL)").run(
        "0".repeat(64),
      );
      db.prepare(
        "INSERT INTO endpoints (name, token_id, created_at) VALUES ('okta-dev', 'tok_1', 2)",
      ).run();
      more?.(db);
    });
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "hooktap-relay-open-"));
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it("creates missing parent directories and a WAL-mode file stamped as a relay database", async () => {
    const path = join(dir, "a", "b", "c", "relay.db");
    const logger = createMemoryLogger();
    const store = await open(path, { logger });
    await store.createToken("laptop");
    expect(existsSync(`${path}-wal`)).toBe(true);
    expect(logger.records).toContainEqual(
      expect.objectContaining({ level: "info", message: "relay store migrated" }),
    );
    await store.close();
    raw(path, (db) => {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.pragma("application_id", { simple: true })).toBe(RELAY_DB_APPLICATION_ID);
      expect(db.prepare("SELECT max(version) AS v FROM schema_migrations").get()).toEqual({
        v: SCHEMA_VERSION,
      });
    });
  });

  it("keeps everything across a reopen, and new ids sort after old ones even if the clock went back", async () => {
    const path = join(dir, "relay.db");
    const first = await open(path, { now: () => 2_000_000_000_000 });
    const { token, secret } = await first.createToken("laptop");
    await first.reserveEndpoint("okta-dev", token.id);
    const before = await first.enqueue({
      endpoint: "okta-dev",
      method: "POST",
      target: "/",
      httpVersion: "1.1",
      rawHeaders: [["A", "1"]],
      body: new Uint8Array([7]),
      remoteAddress: "::1",
      receivedAt: 2_000_000_000_000,
    });
    await first.close();

    const second = await open(path, { now: () => 1_000_000_000_000 });
    expect((await second.authenticate(secret))?.id).toBe(token.id);
    expect(await second.get(before.id)).toEqual(before);
    const after = await second.enqueue({ ...before, receivedAt: 1_000_000_000_000 });
    expect(after.id > before.id).toBe(true);
    expect((await second.pending("okta-dev")).map((p) => p.id)).toEqual([before.id, after.id]);
    const { token: later } = await second.createToken("ci");
    expect(later.id > token.id).toBe(true);
  });

  it("stores the hash of a secret, never the secret", async () => {
    const path = join(dir, "relay.db");
    const store = await open(path);
    const { secret } = await store.createToken("laptop");
    await store.close();
    const bytes = readFileSync(path).toString("latin1");
    expect(bytes).not.toContain(secret);
    expect(bytes).not.toContain(secret.slice(4));
    raw(path, (db) => {
      const row = db.prepare("SELECT secret_hash FROM tokens").get() as { secret_hash: string };
      expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  it("opens an existing empty file", async () => {
    const path = join(dir, "empty.db");
    writeFileSync(path, "");
    const store = await open(path);
    expect(await store.listTokens()).toEqual([]);
  });

  it("refuses a file that is not a SQLite database, leaving it untouched", async () => {
    const path = join(dir, "notes.txt");
    const text = "these are my notes, not a database\n".repeat(50);
    writeFileSync(path, text);
    const error = await rejection(openSqliteRelayStore(path));
    expect(error.code).toBe("not_a_relay_database");
    expect(error.message).toContain(path);
    expect(readFileSync(path, "utf8")).toBe(text);
  });

  it("refuses another program's SQLite database without converting it to WAL", async () => {
    const path = join(dir, "other.db");
    raw(path, (db) => db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hi')"));
    const error = await rejection(openSqliteRelayStore(path));
    expect(error.code).toBe("not_a_relay_database");
    raw(path, (db) => {
      expect(db.pragma("journal_mode", { simple: true })).toBe("delete");
      expect(db.prepare("SELECT body FROM notes").all()).toEqual([{ body: "hi" }]);
    });
    const foreign = join(dir, "foreign.db");
    raw(foreign, (db) => db.pragma("application_id = 42"));
    expect((await rejection(openSqliteRelayStore(foreign))).code).toBe("not_a_relay_database");
  });

  it("refuses a database migrated by a newer hooktap", async () => {
    const path = join(dir, "relay.db");
    await (await openSqliteRelayStore(path)).close();
    raw(path, (db) =>
      db
        .prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
        .run(SCHEMA_VERSION + 1, "from the future", 0),
    );
    const error = await rejection(openSqliteRelayStore(path));
    expect(error.code).toBe("schema_too_new");
    expect(error.message).toMatch(/upgrade hooktap/);
  });

  it("migrates a schema v1 file to v2, keeping its data; endpoints start without a policy", async () => {
    const path = join(dir, "v1.db");
    writeFileAt(1, path);
    const logger = createMemoryLogger();
    const store = await open(path, { logger });
    expect(logger.records).toContainEqual(
      expect.objectContaining({
        message: "relay store migrated",
        fields: expect.objectContaining({ version: 2 }),
      }),
    );
    expect(await store.endpointOwner("okta-dev")).toEqual({
      name: "okta-dev",
      tokenId: "tok_1",
      createdAt: 2,
    });
    expect(await store.endpointPolicy("okta-dev")).toBeNull();
    const policy = {
      oktaChallenge: "app",
      requireHeader: null,
      maxBodyBytes: 5,
      queue: "offline",
    } as const;
    await store.setEndpointPolicy("okta-dev", policy);
    await store.close();
    const reopened = await open(path);
    expect(await reopened.endpointPolicy("okta-dev")).toEqual(policy);
  });

  it("migrates queued requests of a version 1 file: a retry gives them the window they arrived with", async () => {
    const path = join(dir, "v1-queue.db");
    writeFileAt(1, path, (db) => {
      db.prepare(
        `INSERT INTO queue (id, endpoint, method, target, http_version, raw_headers, body,
           remote_address, received_at, attempts, next_attempt_at, state, failed_at, expires_at)
         VALUES ('req_1', 'okta-dev', 'POST', '/', '1.1', '[]', x'7b7d', '', 1000, 3, 1500,
           'failed', 4600, 4600)`,
      ).run();
    });
    const store = await open(path, { now: () => 10_000 });
    const [retried] = await store.retryRequests({ ids: ["req_1"] });
    expect(retried).toMatchObject({ state: "pending", nextAttemptAt: 10_000, expiresAt: 13_600 });
    expect(await store.countRequests({ state: "failed" })).toBe(0);
  });

  it("migrates a version 4 file to 5: its delivered requests are pruned through an index", async () => {
    const path = join(dir, "v4-queue.db");
    writeFileAt(4, path, (db) => {
      const insert = db.prepare(
        `INSERT INTO queue (id, endpoint, method, target, http_version, raw_headers, body,
           remote_address, received_at, attempts, next_attempt_at, state, delivered_at,
           failed_at, expires_at, ttl_ms)
         VALUES (?, 'okta-dev', 'POST', '/', '1.1', '[]', x'7b7d', '', 1000, 1, 1000, ?, ?, ?,
           5000, 4000)`,
      );
      insert.run("req_1", "delivered", 1500, null);
      insert.run("req_2", "delivered", 3000, null);
      insert.run("req_3", "failed", null, 1200);
      insert.run("req_4", "pending", null, null);
    });
    const logger = createMemoryLogger();
    const store = await open(path, { logger, now: () => 10_000 });
    expect(logger.records).toContainEqual(
      expect.objectContaining({
        message: "relay store migrated",
        fields: expect.objectContaining({ version: 5 }),
      }),
    );
    expect(await store.pruneDelivered(2000)).toBe(1);
    expect((await store.listRequests()).map((r) => [r.id, r.state])).toEqual([
      ["req_4", "pending"],
      ["req_3", "failed"],
      ["req_2", "delivered"],
    ]);
    await store.close();
    raw(path, (db) => {
      const { source } = prepareStatements(db).pruneDelivered;
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${source}`).all({ before: 0 }) as {
        detail: string;
      }[];
      expect(plan.map((step) => step.detail)).toEqual([
        expect.stringMatching(/USING (COVERING )?INDEX queue_delivered_by_time /),
      ]);
    });
  });

  it("applies no migration twice when reopened", async () => {
    const path = join(dir, "relay.db");
    const logger = createMemoryLogger();
    await (await openSqliteRelayStore(path, { logger })).close();
    await (await openSqliteRelayStore(path, { logger })).close();
    const migrated = logger.records.filter((r) => r.message === "relay store migrated");
    expect(migrated).toHaveLength(SCHEMA_VERSION);
    raw(path, (db) => {
      expect(db.prepare("SELECT count(*) AS n FROM schema_migrations").get()).toEqual({
        n: SCHEMA_VERSION,
      });
    });
  });

  it("reports an unusable path as unavailable", async () => {
    const file = join(dir, "file");
    writeFileSync(file, "x");
    expect((await rejection(openSqliteRelayStore(join(file, "relay.db")))).code).toBe(
      "unavailable",
    );
    expect((await rejection(openSqliteRelayStore(dir))).code).toBe("unavailable");
  });

  it("validates its options", async () => {
    expect((await rejection(openSqliteRelayStore(""))).field).toBe("path");
    const bad = { synchronous: "off" } as unknown as { synchronous: "full" };
    expect((await rejection(openSqliteRelayStore(":memory:", bad))).field).toBe("synchronous");
    expect((await rejection(openSqliteRelayStore(":memory:", { busyTimeoutMs: -1 }))).field).toBe(
      "busyTimeoutMs",
    );
    const full = await open(join(dir, "full.db"), { synchronous: "full" });
    expect(await full.listTokens()).toEqual([]);
  });
});
