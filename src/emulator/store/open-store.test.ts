import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { buildLogEvent } from "../../okta/index.js";
import { EmulatorStoreError } from "./errors.js";
import { type EmulatorStore, openEmulatorStore } from "./open-store.js";
import { EMULATOR_DB_APPLICATION_ID, SCHEMA_VERSION } from "./schema.js";
import type { StoredEventHook } from "./types.js";

const dirs: string[] = [];
const stores: EmulatorStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), "hooktap-okta-store-"));
  dirs.push(dir);
  return join(dir, "nested", "okta.db");
}

function open(path: string): EmulatorStore {
  const store = openEmulatorStore(path);
  stores.push(store);
  return store;
}

function hook(id: string): StoredEventHook {
  return {
    id,
    name: "h",
    description: null,
    status: "ACTIVE",
    verificationStatus: "UNVERIFIED",
    createdAt: 1_700_000_000_000,
    createdBy: "00uAAAAAAAAAAAAAAAAA",
    lastUpdatedAt: 1_700_000_000_000,
    events: { type: "EVENT_TYPE", items: ["user.lifecycle.create"], filter: null },
    channel: {
      type: "HTTP",
      version: "1.0.0",
      config: {
        uri: "https://example.com",
        headers: [],
        method: "POST",
        authScheme: { type: "HEADER", key: "Authorization", value: "secret" },
      },
    },
  };
}

describe("openEmulatorStore", () => {
  it("creates the file (0600) and its directory, marks it as ours, in WAL mode", () => {
    const path = tempPath();
    const store = open(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(store.db.pragma("application_id", { simple: true })).toBe(EMULATOR_DB_APPLICATION_ID);
    expect(store.db.pragma("journal_mode", { simple: true })).toBe("wal");
  });

  it("keeps hooks, settings and the System Log across a reopen, secrets included", () => {
    const path = tempPath();
    const first = openEmulatorStore(path);
    first.eventHooks.insert(hook("whoAAAAAAAAAAAAAAAAA"));
    first.settings.set("api_token", { token: "t" });
    const event = buildLogEvent("user.lifecycle.create");
    first.appendLogEvents([event]);
    first.close();
    const second = open(path);
    expect(second.eventHooks.get("whoAAAAAAAAAAAAAAAAA")).toEqual(hook("whoAAAAAAAAAAAAAAAAA"));
    expect(second.settings.get("api_token")).toEqual({ token: "t" });
    expect([...second.logs.scan({ order: "persisted" })].map((s) => s.event.uuid)).toEqual([
      event.uuid,
    ]);
  });

  it("refuses a SQLite file of another program without touching it", () => {
    const path = tempPath();
    open(":memory:");
    const other = new Database(join(path, "..", "..", "other.db"));
    other.exec("CREATE TABLE notes (text TEXT)");
    other.close();
    expect(() => openEmulatorStore(join(path, "..", "..", "other.db"))).toThrow(
      expect.objectContaining({ code: "not_an_emulator_database" }),
    );
  });

  it("refuses a file that is not SQLite", () => {
    const path = join(tempPath(), "..", "..", "text.db");
    writeFileSync(path, "hello, this is not a database at all, but it is long enough".repeat(20));
    expect(() => openEmulatorStore(path)).toThrow(EmulatorStoreError);
  });

  it("refuses a file migrated by a newer hooktap", () => {
    const path = tempPath();
    openEmulatorStore(path).close();
    const db = new Database(path);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
      SCHEMA_VERSION + 1,
      "future",
      0,
    );
    db.close();
    expect(() => openEmulatorStore(path)).toThrow(
      expect.objectContaining({ code: "schema_too_new" }),
    );
  });

  it("refuses an empty path, and use after close", () => {
    expect(() => openEmulatorStore("")).toThrow(
      expect.objectContaining({ code: "invalid_argument" }),
    );
    const store = openEmulatorStore(":memory:");
    store.close();
    expect(() => store.appendLogEvents([])).toThrow(expect.objectContaining({ code: "closed" }));
  });
});

describe("the System Log store", () => {
  it("tells subscribers about each append, once per stored event, and skips known uuids", () => {
    const store = open(":memory:");
    const seen: string[][] = [];
    const unsubscribe = store.subscribeLogEvents((events) =>
      seen.push(events.map((e) => e.event.uuid)),
    );
    const a = buildLogEvent("user.lifecycle.create");
    const b = buildLogEvent("user.lifecycle.deactivate");
    expect(store.appendLogEvents([a, b]).map((s) => s.seq)).toEqual([1, 2]);
    expect(store.appendLogEvents([a])).toEqual([]);
    unsubscribe();
    store.appendLogEvents([buildLogEvent("user.session.start")]);
    expect(seen).toEqual([[a.uuid, b.uuid]]);
  });

  it("stores the System Log shape whichever shape it is given", () => {
    const store = open(":memory:");
    const [stored] = store.appendLogEvents([buildLogEvent("user.lifecycle.create")]);
    const event = stored?.event as unknown as Record<string, unknown>;
    expect(event).not.toHaveProperty("insertionTimestamp");
    expect(event.client).not.toHaveProperty("ipChain");
    expect((event.request as { ipChain: unknown[] }).ipChain).toHaveLength(1);
  });

  it("refuses events that are not LogEvents, storing none of the batch", () => {
    const store = open(":memory:");
    const good = buildLogEvent("user.lifecycle.create");
    for (const bad of [
      null,
      [],
      { uuid: "x" },
      { ...good, uuid: "" },
      { ...good, published: "soon" },
    ]) {
      expect(() => store.appendLogEvents([good, bad as never])).toThrow(
        expect.objectContaining({ code: "invalid_argument" }),
      );
    }
    expect(store.logs.count()).toBe(0);
  });

  it("scans past its read chunk in all three orders", () => {
    const store = open(":memory:");
    const start = Date.parse("2026-01-01T00:00:00Z");
    const events = Array.from({ length: 600 }, (_, i) =>
      buildLogEvent("user.lifecycle.create", {
        published: new Date(start + (599 - i) * 1000).toISOString(),
      }),
    );
    store.appendLogEvents(events);
    expect([...store.logs.scan({ order: "persisted" })]).toHaveLength(600);
    const ascending = [...store.logs.scan({ order: "ascending" })].map((s) => s.publishedAt);
    expect(ascending).toEqual([...ascending].sort((x, y) => x - y));
    expect(ascending).toHaveLength(600);
    const descending = [...store.logs.scan({ order: "descending", since: start + 100_000 })];
    expect(descending).toHaveLength(500);
    expect(descending[0]?.publishedAt).toBe(start + 599_000);
  });
});
