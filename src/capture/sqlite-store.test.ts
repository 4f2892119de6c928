import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMemoryLogger } from "../log/index.js";
import { runCaptureStoreContract } from "./capture-store.case.js";
import { ALL_BYTES, body, captureErrorOf, makeExchange } from "./exchange-samples.case.js";
import {
  CAPTURE_APPLICATION_ID,
  CAPTURE_SCHEMA_VERSION,
  FTS_AUTOMERGE,
  MIGRATIONS,
} from "./sqlite-schema.js";
import { openSqliteCaptureStore } from "./sqlite-store.js";
import type { CaptureStore } from "./store.js";

let dir: string;
const cleanups: (() => void)[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hooktap-capture-"));
});

afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** Resolves after the current event-loop turn, once the store's turn has committed. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function tracked<T extends { close(): unknown }>(handle: T): T {
  cleanups.push(() => handle.close());
  return handle;
}

runCaptureStoreContract("sqlite :memory:", (options) =>
  openSqliteCaptureStore(":memory:", options),
);

let files = 0;
runCaptureStoreContract("sqlite file", (options) =>
  openSqliteCaptureStore(join(dir, `contract-${files++}.db`), options),
);

// The runs above list right after writing, so derived-index filters match pending exchanges on
// their bytes; this one writes the index before every list, so they go through its tables.
runCaptureStoreContract("sqlite file, index written before each list", (options) => {
  const store = openSqliteCaptureStore(join(dir, `contract-${files++}.db`), options);
  return {
    ...store,
    list(query) {
      store.indexNow();
      return store.list(query);
    },
  };
});

describe("openSqliteCaptureStore on a file", () => {
  it("creates missing parent directories and persists across reopen, byte for byte", () => {
    const path = join(dir, "a", "b", ".hooktap", "capture.db");
    const x = makeExchange();
    const first = openSqliteCaptureStore(path);
    first.insert(x);
    first.close();
    const again = tracked(openSqliteCaptureStore(path));
    expect(again.get(x.id)).toEqual(x);
    expect(again.stats()).toEqual({ count: 1, bytes: ALL_BYTES.byteLength + 3 });
  });

  it("uses WAL, synchronous NORMAL, stores headers as JSON pair text and bodies as BLOBs", async () => {
    const path = join(dir, "capture.db");
    const store = tracked(openSqliteCaptureStore(path));
    const x = store.insert(makeExchange());
    await nextTurn();
    const raw = tracked(new Database(path, { readonly: true }));
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(raw.pragma("application_id", { simple: true })).toBe(CAPTURE_APPLICATION_ID);
    const row = raw
      .prepare<[string], { request_headers: string; status: number }>(
        "SELECT request_headers, status FROM exchanges WHERE id = ?",
      )
      .get(x.id);
    expect(row?.request_headers).toBe(JSON.stringify(x.request.rawHeaders));
    expect(row?.status).toBe(200);
    const blob = raw.prepare("SELECT bytes FROM bodies WHERE part = 'request'").pluck().get();
    expect(Buffer.isBuffer(blob)).toBe(true);
    expect(new Uint8Array(blob as Buffer)).toEqual(ALL_BYTES);
  });

  it("records the schema version once, however often the file is opened", () => {
    const path = join(dir, "capture.db");
    openSqliteCaptureStore(path).close();
    openSqliteCaptureStore(path).close();
    const raw = tracked(new Database(path, { readonly: true }));
    const versions = raw.prepare("SELECT version FROM schema_migrations").pluck().all();
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
    expect(versions.at(-1)).toBe(CAPTURE_SCHEMA_VERSION);
  });

  it("stores FTS5 automerge 16 when opened for writing, never when read-only", () => {
    const path = join(dir, "capture.db");
    openSqliteCaptureStore(path).close();
    const raw = tracked(new Database(path));
    const automerge = raw
      .prepare("SELECT v FROM exchange_text_config WHERE k = 'automerge'")
      .pluck();
    expect(automerge.get()).toBe(FTS_AUTOMERGE);
    raw.exec("INSERT INTO exchange_text (exchange_text, rank) VALUES ('automerge', 4)");
    openSqliteCaptureStore(path, { readOnly: true }).close();
    expect(automerge.get()).toBe(4);
    openSqliteCaptureStore(path).close();
    expect(automerge.get()).toBe(FTS_AUTOMERGE);
  });

  it("finds every exchange by text across many full-text segments", () => {
    const path = join(dir, "capture.db");
    const store = tracked(openSqliteCaptureStore(path));
    const ids: string[] = [];
    // One index commit per exchange: each adds a full-text segment, past several automerges.
    for (let i = 0; i < 3 * FTS_AUTOMERGE + 5; i++) {
      const x = makeExchange();
      ids.push(
        store.insert({ ...x, request: { ...x.request, body: body(`{"n":"word${i} common"}`) } }).id,
      );
      expect(store.indexNow()).toBe(1);
    }
    for (const [i, id] of ids.entries()) {
      expect(store.list({ text: `word${i} common`, limit: 5 }).items.map((e) => e.id)).toEqual([
        id,
      ]);
    }
    expect(store.list({ text: "common", limit: 1000 }).items).toHaveLength(ids.length);
    store.close();
    const reader = tracked(openSqliteCaptureStore(path, { readOnly: true }));
    expect(reader.list({ text: "common", limit: 1000 }).items).toHaveLength(ids.length);
  });

  it("logs the migrations it applies", () => {
    const logger = createMemoryLogger();
    tracked(openSqliteCaptureStore(join(dir, "capture.db"), { logger }));
    expect(logger.records.map((r) => r.message)).toContain("capture schema migrated");
  });

  it("lets a second connection read while this one writes (WAL)", async () => {
    const path = join(dir, "capture.db");
    const writer = tracked(openSqliteCaptureStore(path, { busyTimeoutMs: 0, commitIntervalMs: 0 }));
    const a = writer.insert(makeExchange());
    const b = writer.insert(makeExchange());
    await nextTurn();

    // A reader in the middle of a read transaction: with a rollback journal, the writer below
    // would fail with SQLITE_BUSY (busyTimeoutMs 0); with WAL it proceeds.
    const reader = tracked(new Database(path, { readonly: true }));
    const rows = reader.prepare("SELECT id FROM exchanges ORDER BY id").pluck().iterate();
    expect(rows.next().value).toBe(a.id);
    const c = writer.insert(makeExchange());
    writer.update(a.id, { timing: { doneAt: 1 } });
    await nextTurn();
    // The open read transaction keeps its snapshot.
    expect(rows.next().value).toBe(b.id);
    expect(rows.next().done).toBe(true);

    const inspector = tracked(openSqliteCaptureStore(path, { readOnly: true }));
    expect(inspector.list().items.map((x) => x.id)).toEqual([c.id, b.id, a.id]);
    expect(inspector.get(a.id)?.timing.doneAt).toBe(1);
  });

  it("keeps totals right when two read-write connections share the file, in turns", async () => {
    const path = join(dir, "capture.db");
    const one = tracked(openSqliteCaptureStore(path, { commitIntervalMs: 0 }));
    const two = tracked(openSqliteCaptureStore(path, { commitIntervalMs: 0 }));
    one.insert(makeExchange({ request: { ...makeExchange().request, body: body("abc") } }));
    await nextTurn();
    two.insert(
      makeExchange({ request: { ...makeExchange().request, body: body("de") }, response: null }),
    );
    await nextTurn();
    expect(one.stats()).toEqual({ count: 2, bytes: 3 + 3 + 2 });
    expect(two.stats()).toEqual(one.stats());
  });

  it("read-only: reads, refuses writes with read_only, and needs an existing file", async () => {
    const path = join(dir, "capture.db");
    const writer = tracked(openSqliteCaptureStore(path));
    const x = writer.insert(makeExchange());
    await nextTurn();
    const reader: CaptureStore = tracked(openSqliteCaptureStore(path, { readOnly: true }));
    expect(reader.get(x.id)).toEqual(x);
    for (const write of [
      () => reader.insert(makeExchange()),
      () => reader.update(x.id, { timing: { doneAt: 1 } }),
      () => reader.delete(x.id),
      () => reader.clear(),
    ]) {
      expect(captureErrorOf(write).code).toBe("read_only");
    }
    expect(writer.count()).toBe(1);
    expect(
      captureErrorOf(() => openSqliteCaptureStore(join(dir, "missing.db"), { readOnly: true }))
        .code,
    ).toBe("storage");
  });

  it("wraps a lock held past busyTimeoutMs as a storage error, and recovers", () => {
    const path = join(dir, "capture.db");
    const store = tracked(openSqliteCaptureStore(path, { busyTimeoutMs: 0 }));
    const other = tracked(new Database(path));
    other.exec("BEGIN IMMEDIATE");
    const error = captureErrorOf(() => store.insert(makeExchange()));
    expect(error.code).toBe("storage");
    expect((error.cause as { code?: string }).code).toBe("SQLITE_BUSY");
    other.exec("ROLLBACK");
    expect(store.count()).toBe(0);
    store.insert(makeExchange());
    expect(store.count()).toBe(1);
  });
});

describe("openSqliteCaptureStore refuses files it does not own", () => {
  it("a file that is not SQLite: not_a_capture_db", () => {
    const path = join(dir, "notes.txt");
    writeFileSync(path, "this is not a database, just some text long enough to look like a header");
    const error = captureErrorOf(() => openSqliteCaptureStore(path));
    expect(error.code).toBe("not_a_capture_db");
    expect(error.message).toContain(path);
  });

  it("another program's SQLite database: not_a_capture_db, and the file is untouched", () => {
    const path = join(dir, "relay.db");
    const other = new Database(path);
    other.exec("CREATE TABLE queue (id TEXT)");
    other.close();
    expect(captureErrorOf(() => openSqliteCaptureStore(path)).code).toBe("not_a_capture_db");
    const check = tracked(new Database(path, { readonly: true }));
    const tables = check
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
      .pluck()
      .all();
    expect(tables).toEqual(["queue"]);
  });

  it("a capture database from a newer hooktap: unsupported_schema", () => {
    const path = join(dir, "capture.db");
    openSqliteCaptureStore(path).close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(99, 0);
    raw.close();
    const error = captureErrorOf(() => openSqliteCaptureStore(path));
    expect(error.code).toBe("unsupported_schema");
    expect(error.message).toContain("99");
  });

  it("an empty file is a new database", () => {
    const path = join(dir, "empty.db");
    writeFileSync(path, "");
    const store = tracked(openSqliteCaptureStore(path));
    expect(store.count()).toBe(0);
  });

  it.each([
    ["an empty path", "", {}, "path"],
    ["a negative busy timeout", ":memory:", { busyTimeoutMs: -1 }, "busyTimeoutMs"],
    ["a negative commit interval", ":memory:", { commitIntervalMs: -1 }, "commitIntervalMs"],
    ["a commit interval over a second", ":memory:", { commitIntervalMs: 1001 }, "commitIntervalMs"],
    [
      "a commit interval that is not a number",
      ":memory:",
      { commitIntervalMs: Number.NaN },
      "commitIntervalMs",
    ],
  ])("refuses %s (invalid_argument)", (_, path, options, field) => {
    const error = captureErrorOf(() => openSqliteCaptureStore(path, options));
    expect(error.code).toBe("invalid_argument");
    expect(error.field).toBe(field);
  });
});

describe("SQLite update cost", () => {
  it("does not rewrite a 4 MiB request body when the response arrives", async () => {
    const path = join(dir, "capture.db");
    const store = tracked(openSqliteCaptureStore(path, { commitIntervalMs: 0 }));
    const request = { ...makeExchange().request, body: body(new Uint8Array(4 << 20).fill(3)) };
    const x = store.insert(makeExchange({ request, response: null }));
    await nextTurn();
    const raw = tracked(new Database(path));
    raw.pragma("wal_checkpoint(TRUNCATE)");
    expect(statSync(`${path}-wal`).size).toBe(0);
    store.update(x.id, { response: makeExchange().response, timing: { doneAt: 2 } });
    await nextTurn();
    // A rewritten body would append its 4 MiB of pages to the WAL; the row alone is a few pages.
    expect(statSync(`${path}-wal`).size).toBeLessThan(256 * 1024);
    // Buffer#equals: Vitest's toEqual walks a 4 MiB array element by element for half a minute.
    const stored = store.get(x.id)?.request.body.bytes ?? new Uint8Array(0);
    expect(Buffer.from(stored).equals(request.body.bytes)).toBe(true);
  });
});
