import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMemoryLogger } from "../log/index.js";
import { buildDelivery, buildLogEvent, serializeDelivery } from "../okta/index.js";
import { body, makeExchange } from "./exchange-samples.case.js";
import { rebuildDerivedIndex } from "./sqlite-index.js";
import { toParams } from "./sqlite-rows.js";
import { CAPTURE_APPLICATION_ID, MIGRATIONS } from "./sqlite-schema.js";
import { openSqliteCaptureStore } from "./sqlite-store.js";
import type { CaptureStore, ListQuery } from "./store.js";
import type { Exchange } from "./types.js";

let dir: string;
const closers: (() => void)[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hooktap-capture-index-"));
});
afterEach(() => {
  for (const close of closers.splice(0).reverse()) close();
  rmSync(dir, { recursive: true, force: true });
});

function delivery(alternateId: string): Exchange {
  const text = serializeDelivery(
    buildDelivery(
      [
        buildLogEvent("user.lifecycle.create", {
          target: [{ type: "User", id: "00u7", alternateId }],
        }),
      ],
      { hookId: "who8vt36qfNpCGz9H1e6", orgUrl: "https://dev-123456.okta.com" },
    ),
  );
  const x = makeExchange();
  return { ...x, request: { ...x.request, method: "POST", body: body(text) } };
}

const QUERIES: ListQuery[] = [
  { oktaEventType: "user.lifecycle.create" },
  { targetUser: "ada@example.com" },
  { text: "ada example" },
];

function found(store: CaptureStore): string[][] {
  return QUERIES.map((q) => store.list(q).items.map((x) => x.id));
}

/** Writes a file at schema version 1 holding `exchanges`, as hooktap 0.1 wrote it. */
function versionOneFile(path: string, exchanges: Exchange[]): void {
  const db = new Database(path);
  const first = MIGRATIONS[0];
  if (first?.version !== 1) throw new Error("migration 1 expected first");
  db.exec(first.sql);
  db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at REAL NOT NULL)");
  db.prepare("INSERT INTO schema_migrations VALUES (1, 0)").run();
  db.pragma(`application_id = ${CAPTURE_APPLICATION_ID}`);
  const columns = Object.keys(toParams(exchanges[0] as Exchange));
  const insert = db.prepare(
    `INSERT INTO exchanges (${columns.join(", ")}) VALUES (${columns.map((c) => `@${c}`).join(", ")})`,
  );
  const putBody = db.prepare("INSERT INTO bodies (exchange_seq, part, bytes) VALUES (?, ?, ?)");
  for (const x of exchanges) {
    const seq = Number(insert.run(toParams(x)).lastInsertRowid);
    putBody.run(seq, "request", x.request.body.bytes);
    if (x.response !== null) putBody.run(seq, "response", x.response.body.bytes);
  }
  db.close();
}

describe("the SQLite derived index", () => {
  it("is backfilled from the bytes when a version-1 file is migrated", () => {
    const path = join(dir, "capture.db");
    const x = delivery("ada@example.com");
    versionOneFile(path, [x, delivery("bob@example.com")]);
    const logger = createMemoryLogger();
    const store = openSqliteCaptureStore(path, { logger });
    closers.push(() => store.close());
    expect(found(store)).toEqual([[expect.any(String), x.id], [x.id], [x.id]]);
    expect(logger.records).toContainEqual({
      level: "info",
      message: "capture schema migrated",
      fields: { version: 2, description: expect.stringContaining("derived index"), backfilled: 2 },
    });
    expect(store.get(x.id)).toEqual(x);
  });

  it("is rebuildable from the bytes alone", () => {
    const path = join(dir, "capture.db");
    const store = openSqliteCaptureStore(path);
    closers.push(() => store.close());
    const x = store.insert(delivery("ada@example.com"));
    expect(store.indexNow()).toBe(1);
    const raw = new Database(path);
    closers.push(() => raw.close());
    raw.exec(
      "DELETE FROM exchange_event_types; DELETE FROM exchange_users; " +
        "INSERT INTO exchange_text (exchange_text) VALUES ('delete-all');",
    );
    expect(found(store)).toEqual([[], [], []]);
    expect(raw.transaction(() => rebuildDerivedIndex(raw))()).toBe(1);
    expect(found(store)).toEqual([[x.id], [x.id], [x.id]]);
  });

  it("keeps no copy of the text: the full-text table is contentless", () => {
    const path = join(dir, "capture.db");
    const store = openSqliteCaptureStore(path);
    closers.push(() => store.close());
    store.insert(delivery("ada@example.com"));
    store.indexNow();
    store.close();
    const raw = new Database(path, { readonly: true });
    closers.push(() => raw.close());
    const tables = raw
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'exchange_text%'")
      .pluck()
      .all();
    expect(tables).not.toContain("exchange_text_content");
    expect(
      raw
        .prepare("SELECT count(*) FROM exchange_text WHERE exchange_text MATCH 'ada'")
        .pluck()
        .get(),
    ).toBe(1);
  });

  it("follows the bytes: an insert marks the exchange pending, the idle store indexes it", async () => {
    const path = join(dir, "capture.db");
    const store = openSqliteCaptureStore(path);
    closers.push(() => store.close());
    const raw = new Database(path, { readonly: true });
    closers.push(() => raw.close());
    const pending = raw.prepare<[], number>("SELECT count(*) FROM index_pending").pluck();
    const typed = raw.prepare<[], number>("SELECT count(*) FROM exchange_event_types").pluck();
    const x = store.insert(delivery("ada@example.com"));
    // Pending exchanges are matched on their bytes: the same answers before and after.
    expect(found(store)).toEqual([[x.id], [x.id], [x.id]]);
    await new Promise((resolve) => setImmediate(resolve));
    expect([pending.get(), typed.get()]).toEqual([1, 0]);
    await vi.waitFor(() => expect(pending.get()).toBe(0), { timeout: 5000, interval: 10 });
    expect(typed.get()).toBe(1);
    expect(found(store)).toEqual([[x.id], [x.id], [x.id]]);
  });

  it("leaves the index to another connection when opened with indexing: false, until startIndexing()", async () => {
    const pendingOf = (path: string) => {
      const raw = new Database(path, { readonly: true });
      closers.push(() => raw.close());
      return raw.prepare<[], number>("SELECT count(*) FROM index_pending").pluck();
    };
    const idle = openSqliteCaptureStore(join(dir, "left.db"), { indexing: false });
    const control = openSqliteCaptureStore(join(dir, "control.db"));
    closers.push(
      () => idle.close(),
      () => control.close(),
    );
    const left = pendingOf(join(dir, "left.db"));
    const indexed = pendingOf(join(dir, "control.db"));
    idle.insert(delivery("ada@example.com"));
    control.insert(delivery("ada@example.com"));
    // Both committed (commits are paced), then the control store indexes once idle: by then
    // the other has been idle as long.
    await vi.waitFor(() => expect([left.get(), indexed.get()]).toEqual([1, 1]), {
      timeout: 5000,
      interval: 1,
    });
    await vi.waitFor(() => expect(indexed.get()).toBe(0), { timeout: 5000, interval: 10 });
    expect(left.get()).toBe(1);
    idle.startIndexing();
    await vi.waitFor(() => expect(left.get()).toBe(0), { timeout: 5000, interval: 10 });
  });

  it("matches an updated exchange on its new bytes, not on its stale index rows", () => {
    const store = openSqliteCaptureStore(join(dir, "capture.db"));
    closers.push(() => store.close());
    const x = store.insert(delivery("zed@example.com"));
    expect(store.indexNow()).toBe(1);
    const bob = delivery("bob@example.com");
    store.update(x.id, { request: bob.request });
    const users = (key: string) => store.list({ targetUser: key }).items.map((e) => e.id);
    const words = (text: string) => store.list({ text }).items.map((e) => e.id);
    expect([users("zed@example.com"), users("bob@example.com")]).toEqual([[], [x.id]]);
    expect([words("zed"), words("bob")]).toEqual([[], [x.id]]);
    expect(store.indexNow()).toBe(1);
    expect([users("zed@example.com"), users("bob@example.com")]).toEqual([[], [x.id]]);
    expect([words("zed"), words("bob")]).toEqual([[], [x.id]]);
  });

  it("pages through pending candidates that fail a filter until the page is full", () => {
    const store = openSqliteCaptureStore(join(dir, "capture.db"));
    closers.push(() => store.close());
    const ada = store.insert(delivery("ada@example.com"));
    for (let i = 0; i < 7; i++) store.insert(delivery(`bob${i}@example.com`));
    const page = store.list({ targetUser: "ada@example.com", limit: 2 });
    expect(page).toEqual({ items: [ada], next: null });
    const bobs = store.list({ oktaEventType: "user.lifecycle.create", limit: 3 });
    expect(bobs.items).toHaveLength(3);
    expect(
      store.list({ oktaEventType: "user.lifecycle.create", before: bobs.next ?? "" }).items,
    ).toHaveLength(5);
  });

  it("lets a read-only reader match what the writer has not indexed yet", async () => {
    const path = join(dir, "capture.db");
    // A writer that leaves the index to another connection: nothing indexes it meanwhile.
    const writer = openSqliteCaptureStore(path, { indexing: false });
    closers.push(() => writer.close());
    const x = writer.insert(delivery("ada@example.com"));
    await new Promise((resolve) => setImmediate(resolve));
    const raw = new Database(path, { readonly: true });
    closers.push(() => raw.close());
    expect(raw.prepare("SELECT count(*) FROM index_pending").pluck().get()).toBe(1);
    const reader = openSqliteCaptureStore(path, { readOnly: true });
    closers.push(() => reader.close());
    expect(found(reader)).toEqual([[x.id], [x.id], [x.id]]);
  });

  it("is finished by the next store on a file an earlier one left pending", async () => {
    const path = join(dir, "capture.db");
    const first = openSqliteCaptureStore(path);
    const x = first.insert(delivery("ada@example.com"));
    first.close();
    const raw = new Database(path, { readonly: true });
    closers.push(() => raw.close());
    const pending = raw.prepare<[], number>("SELECT count(*) FROM index_pending").pluck();
    expect(pending.get()).toBe(1);
    const store = openSqliteCaptureStore(path);
    closers.push(() => store.close());
    expect(found(store)).toEqual([[x.id], [x.id], [x.id]]);
    await vi.waitFor(() => expect(pending.get()).toBe(0), { timeout: 5000, interval: 10 });
    expect(found(store)).toEqual([[x.id], [x.id], [x.id]]);
  });
});
