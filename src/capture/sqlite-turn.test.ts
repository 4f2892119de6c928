import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMemoryLogger } from "../log/index.js";
import { captureErrorOf, expectCode, makeExchange } from "./exchange-samples.case.js";
import { openSqliteCaptureStore } from "./sqlite-store.js";
import type { CaptureEvent, CaptureStore } from "./store.js";
import type { Exchange } from "./types.js";

let dir: string;
let path: string;
const closers: (() => void)[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hooktap-capture-turn-"));
  path = join(dir, "capture.db");
});
afterEach(() => {
  for (const close of closers.splice(0).reverse()) close();
  rmSync(dir, { recursive: true, force: true });
});

/** A store that commits at the end of every turn that wrote (no commit interval). */
function open(options: Parameters<typeof openSqliteCaptureStore>[1] = {}): CaptureStore {
  const store = openSqliteCaptureStore(path, { commitIntervalMs: 0, ...options });
  closers.push(() => store.close());
  return store;
}

function raw(): Database.Database {
  const db = new Database(path);
  closers.push(() => db.close());
  return db;
}

/** Resolves after the current event-loop turn, once the store's turn has committed. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Commits recorded in the WAL file since it was last truncated (frames with a commit size). */
function walCommits(): number {
  const wal = readFileSync(`${path}-wal`);
  if (wal.byteLength < 32) return 0;
  const pageSize = wal.readUInt32BE(8);
  let commits = 0;
  for (let at = 32; at + 24 <= wal.byteLength; at += 24 + pageSize) {
    if (wal.readUInt32BE(at + 4) !== 0) commits++;
  }
  return commits;
}

function countIn(db: Database.Database): number {
  return db.prepare("SELECT count(*) FROM exchanges").pluck().get() as number;
}

describe("SQLite store: writes grouped per event-loop turn", () => {
  it("commits one turn's inserts and updates as one transaction, seen by others after the turn", async () => {
    const store = open();
    const reader = raw();
    reader.pragma("wal_checkpoint(TRUNCATE)");
    const a = store.insert(makeExchange({ response: null }));
    store.insert(makeExchange());
    store.update(a.id, { timing: { doneAt: 1 } });
    // This connection reads its own writes at once; another one sees nothing yet.
    expect(store.get(a.id)?.timing.doneAt).toBe(1);
    expect(store.list().items).toHaveLength(2);
    expect(countIn(reader)).toBe(0);
    await nextTurn();
    expect(countIn(reader)).toBe(2);
    expect(walCommits()).toBe(1);
    store.insert(makeExchange());
    await nextTurn();
    store.insert(makeExchange());
    await nextTurn();
    expect(walCommits()).toBe(3);
  });

  it("refuses a duplicate id before writing anything; the rest of its turn commits", async () => {
    const store = open();
    const reader = raw();
    const a = store.insert(makeExchange());
    expectCode(() => store.insert(makeExchange({ id: a.id })), "duplicate_id");
    const b = store.insert(makeExchange());
    await nextTurn();
    expect(reader.prepare("SELECT id FROM exchanges ORDER BY id").pluck().all()).toEqual([
      a.id,
      b.id,
    ]);
  });

  it("commits at close, and delete and clear commit at once", () => {
    const store = open();
    const reader = raw();
    const a = store.insert(makeExchange());
    store.insert(makeExchange());
    store.delete(a.id);
    expect(countIn(reader)).toBe(1);
    store.insert(makeExchange());
    store.clear();
    expect(countIn(reader)).toBe(0);
    store.insert(makeExchange());
    store.close();
    expect(countIn(reader)).toBe(1);
  });

  it("fails the first write of a turn when another connection holds the write lock", () => {
    const store = open({ busyTimeoutMs: 0 });
    const other = raw();
    other.exec("BEGIN IMMEDIATE");
    expectCode(() => store.insert(makeExchange()), "storage");
    other.exec("ROLLBACK");
    store.insert(makeExchange());
    expect(store.count()).toBe(1);
  });

  it("rolls the turn back when a write fails halfway, and throws at its caller", async () => {
    const logger = createMemoryLogger();
    const store = open({ logger });
    const committed = store.insert(makeExchange());
    await nextTurn();
    // The exchange row goes in, then its body fails: only undoing the turn undoes the row.
    raw().exec(`
      CREATE TRIGGER refused BEFORE INSERT ON bodies
      WHEN (SELECT endpoint FROM exchanges WHERE seq = new.exchange_seq) = 'refused'
      BEGIN SELECT RAISE(ABORT, 'no room for this body'); END;
    `);
    const events: CaptureEvent[] = [];
    store.subscribe((e) => events.push(e));
    const before = store.insert(makeExchange());
    const error = captureErrorOf(() => store.insert(makeExchange({ endpoint: "refused" })));
    expect(error.code).toBe("storage");
    expect(error.message).toContain("no room for this body");
    expect(store.list().items.map((x) => x.id)).toEqual([committed.id]);
    expect(events.at(-1)).toEqual({ type: "delete", ids: [before.id], reason: "rollback" });
    expect(logger.records.map((r) => r.message)).toContain(
      "capture turn rolled back: the writes of its event-loop turn are lost",
    );
    const after = store.insert(makeExchange());
    await nextTurn();
    expect(raw().prepare("SELECT id FROM exchanges ORDER BY id").pluck().all()).toEqual([
      committed.id,
      after.id,
    ]);
  });

  describe("a commit that fails", () => {
    /**
     * A real commit failure: a deferred foreign key (better-sqlite3 enforces foreign keys) that
     * a trigger breaks when an exchange of endpoint `poison` is inserted. Statements succeed;
     * SQLite refuses the COMMIT.
     */
    function poison(): void {
      raw().exec(`
        CREATE TABLE poison (ref TEXT REFERENCES exchanges (id) DEFERRABLE INITIALLY DEFERRED);
        CREATE TRIGGER poisoned AFTER INSERT ON exchanges WHEN new.endpoint = 'poison'
        BEGIN INSERT INTO poison VALUES ('no such exchange'); END;
      `);
    }

    it("is logged, undoes the whole turn, and tells listeners what they saw is gone", async () => {
      const logger = createMemoryLogger();
      const store = open({ logger, retention: { maxExchanges: 4 } });
      const evictedLater = store.insert(makeExchange());
      const updatedLater = store.insert(makeExchange({ response: null }));
      store.insert(makeExchange());
      await nextTurn();
      poison();
      const events: CaptureEvent[] = [];
      store.subscribe((e) => events.push(e));

      const fine = store.insert(makeExchange());
      const bad = store.insert(makeExchange({ endpoint: "poison" }));
      store.update(updatedLater.id, { timing: { doneAt: 99 } });
      expect(store.count()).toBe(4);
      expect(store.get(evictedLater.id)).toBeNull();
      events.length = 0;
      await nextTurn();

      expect(logger.records).toContainEqual({
        level: "error",
        message: "capture turn rolled back: the writes of its event-loop turn are lost",
        fields: { error: expect.stringContaining("FOREIGN KEY"), exchanges: 4 },
      });
      expect(store.get(fine.id)).toBeNull();
      expect(store.get(bad.id)).toBeNull();
      expect(store.get(updatedLater.id)).toEqual(updatedLater);
      const restored = store.get(evictedLater.id) as Exchange;
      expect(restored).toEqual(evictedLater);
      expect(events).toEqual([
        { type: "delete", ids: [fine.id, bad.id], reason: "rollback" },
        { type: "insert", exchange: restored },
        { type: "update", exchange: store.get(updatedLater.id) },
      ]);
      // The store goes on: the next turn commits.
      const after = store.insert(makeExchange());
      await nextTurn();
      expect(countIn(raw())).toBe(4);
      expect(store.get(after.id)).not.toBeNull();
    });
  });

  it("under a sustained load commits at most once per commit interval, and a lone write at once", async () => {
    const store = open({ commitIntervalMs: 40 });
    const reader = raw();
    store.insert(makeExchange());
    await nextTurn();
    // The first write after a quiet spell commits at the end of its turn.
    expect(countIn(reader)).toBe(1);
    const before = walCommits();
    const started = performance.now();
    let turns = 0;
    while (performance.now() - started < 200) {
      store.insert(makeExchange());
      turns++;
      await nextTurn();
    }
    const elapsed = performance.now() - started;
    await vi.waitFor(() => expect(countIn(reader)).toBe(turns + 1), { timeout: 2000, interval: 5 });
    // One commit per 40 ms at most (plus the first): far fewer than the turns that wrote.
    const commits = walCommits() - before;
    expect(commits).toBeGreaterThan(0);
    expect(commits).toBeLessThanOrEqual(1 + Math.ceil(elapsed / 40));
    expect(turns).toBeGreaterThan(commits);
  });
});
