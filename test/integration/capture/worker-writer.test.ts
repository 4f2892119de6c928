/**
 * The capture worker writer with a real worker thread: the transpiled capture component (so
 * `capture-worker.js` exists next to `worker-writer.js`, as in the build), a real SQLite file.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { body, makeExchange } from "../../../src/capture/exchange-samples.case.js";
import type * as Capture from "../../../src/capture/index.js";
import { createMemoryLogger } from "../../../src/log/index.js";
import { type TranspiledComponents, transpileComponents } from "../../helpers/transpile.js";

let built: TranspiledComponents;
let capture: typeof Capture;
let dir: string;
const closers: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  built = transpileComponents("capture-worker", ["capture", "sqlite", "okta", "http", "log"]);
  capture = (await import(built.entryUrl("capture"))) as typeof Capture;
});
afterAll(async () => {
  await built.remove();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hooktap-capture-worker-"));
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await rm(dir, { recursive: true, force: true });
});

function open(options: { workerUrl?: URL } = {}) {
  const path = join(dir, "capture.db");
  const store = capture.openSqliteCaptureStore(path);
  const logger = createMemoryLogger();
  const errors: string[] = [];
  const writer = capture.startCaptureWriter({
    path,
    store,
    logger,
    onError: (message) => errors.push(message),
    ...options,
  });
  const events: Capture.CaptureEvent[] = [];
  store.subscribe((event) => events.push(event));
  closers.push(() => store.close());
  closers.push(() => writer.close());
  return { path, store, writer, errors, events, logger };
}

describe("the capture worker writer", () => {
  it("writes on the worker thread; the main store's listeners hear of each committed write", async () => {
    const { store, writer, events, errors } = open();
    expect(await writer.ready).toBe(true);
    const x = makeExchange({ response: null });
    expect(writer.insert(x)).toBeUndefined();
    // Nothing is written on this thread: the row appears once the worker committed it.
    expect(store.get(x.id)).toBeNull();
    await vi.waitFor(() => expect(events.map((e) => e.type)).toEqual(["insert"]), {
      timeout: 5000,
      interval: 5,
    });
    expect(events[0]).toEqual({ type: "insert", exchange: x });
    const response = {
      ...makeExchange().response,
      body: body("done"),
    } as Capture.Exchange["response"];
    writer.update(x.id, { response, timing: { doneAt: 99 } });
    await vi.waitFor(() => expect(events.map((e) => e.type)).toEqual(["insert", "update"]), {
      timeout: 5000,
      interval: 5,
    });
    expect(store.get(x.id)).toMatchObject({
      response: { body: { size: 4 } },
      timing: { doneAt: 99 },
    });
    expect(errors).toEqual([]);
  });

  it("commits everything it holds before close() resolves", async () => {
    const { store, writer } = open();
    expect(await writer.ready).toBe(true);
    const ids = Array.from({ length: 200 }, () => {
      const x = makeExchange();
      writer.insert(x);
      return x.id;
    });
    await writer.close();
    expect(writer.offThread).toBe(true);
    expect(store.count()).toBe(200);
    expect(
      store
        .list({ limit: 1000 })
        .items.map((x) => x.id)
        .sort(),
    ).toEqual([...ids].sort());
  });

  it("reports a write the worker's store refuses, and goes on", async () => {
    const { store, writer, errors } = open();
    expect(await writer.ready).toBe(true);
    const x = makeExchange();
    writer.insert(x);
    writer.insert(x);
    const y = makeExchange();
    writer.insert(y);
    await writer.close();
    expect(errors).toEqual([expect.stringMatching(/^capture insert failed: .*already exists/)]);
    expect(store.count()).toBe(2);
  });

  it("writes what it holds to the main store when closed before the worker is ready", async () => {
    const { store, writer } = open();
    const x = makeExchange();
    writer.insert(x);
    await writer.close();
    expect(store.get(x.id)).toEqual(x);
  });

  it("falls back to the main store when the worker cannot start, losing nothing", async () => {
    const missing = new URL(`file://${join(dir, "no-such-worker.js")}`);
    const { store, writer, errors, logger } = open({ workerUrl: missing });
    const before = makeExchange();
    writer.insert(before);
    expect(await writer.ready).toBe(false);
    expect(writer.offThread).toBe(false);
    const after = makeExchange();
    expect(writer.insert(after)).toEqual(after);
    expect(store.get(before.id)).toEqual(before);
    expect(store.get(after.id)).toEqual(after);
    expect(errors).toEqual([
      expect.stringMatching(/^capture worker failed \(.*\); capturing on the main thread/),
    ]);
    expect(logger.records.some((r) => r.level === "error")).toBe(true);
  });
});
