/**
 * The live stream over a real socket: insert, update and delete events as the store changes,
 * heartbeats, resuming with Last-Event-ID, and `reset` when resuming is impossible.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ExchangeSummary } from "../../../src/inspector/index.js";
import { type InspectorHarness, startInspectorHarness } from "../../helpers/inspector-harness.js";
import { openSse, type SseClient } from "../../helpers/sse-client.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(heartbeatMs = 60_000): Promise<InspectorHarness> {
  const h = await startInspectorHarness(undefined, { heartbeatMs });
  cleanups.push(() => h.close());
  return h;
}

async function stream(
  h: InspectorHarness,
  path = "/api/exchanges/stream",
  headers = {},
): Promise<SseClient> {
  const sse = await openSse(h.inspector.port, h.host, path, headers);
  cleanups.push(() => sse.close());
  return sse;
}

describe("GET /api/exchanges/stream", () => {
  it("streams insert, update and delete events with the exchange's summary", async () => {
    const h = await setup();
    const sse = await stream(h);
    expect(sse.status).toBe(200);
    expect(sse.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    const pending = h.seed({
      response: null,
      timing: { receivedAt: Date.now(), forwardedAt: null, firstByteAt: null, doneAt: null },
    });
    const insert = await sse.next((e) => e.type === "insert");
    expect(JSON.parse(insert.data)).toMatchObject({
      id: pending.id,
      state: "pending",
      status: null,
    });
    h.store.update(pending.id, {
      response: {
        status: 204,
        statusMessage: "No Content",
        rawHeaders: [],
        body: { bytes: new Uint8Array(), size: 0, truncated: false },
      },
      timing: { doneAt: Date.now() },
    });
    const update = await sse.next((e) => e.type === "update");
    expect(JSON.parse(update.data) as ExchangeSummary).toMatchObject({
      id: pending.id,
      state: "complete",
      status: 204,
    });
    h.store.delete(pending.id);
    const deleted = await sse.next((e) => e.type === "delete");
    expect(JSON.parse(deleted.data)).toEqual({ ids: [pending.id], reason: "delete" });
    h.store.clear();
    await sse.next((e) => e.type === "clear");
    expect(insert.id).toMatch(/^[0-9a-f]+-1$/);
    expect(update.id).toMatch(/-2$/);
  });

  it("a replay through the API shows up as an insert then an update", async () => {
    const h = await setup();
    const original = h.seed();
    const sse = await stream(h);
    await h.api("POST", `/api/exchanges/${original.id}/replay`);
    const insert = await sse.next((e) => e.type === "insert");
    expect(JSON.parse(insert.data)).toMatchObject({
      origin: "replay",
      parentId: original.id,
      state: "pending",
    });
    const update = await sse.next((e) => e.type === "update");
    expect(JSON.parse(update.data)).toMatchObject({
      origin: "replay",
      state: "complete",
      status: 200,
    });
  });

  it("filters inserts and updates by the list's filters (judged by the store)", async () => {
    const h = await setup();
    const sse = await stream(h, "/api/exchanges/stream?oktaEventType=user.account.lock");
    const created = h.seed({}, ["user.lifecycle.create"]);
    const locked = h.seed({}, ["user.account.lock"]);
    const insert = await sse.next((e) => e.type === "insert");
    expect(JSON.parse(insert.data).id).toBe(locked.id);
    expect(sse.events.filter((e) => e.type === "insert")).toHaveLength(1);
    // The same for updates: the one of the exchange that does not match is not sent.
    h.store.update(created.id, { timing: { doneAt: Date.now() } });
    h.store.update(locked.id, { timing: { doneAt: Date.now() } });
    const update = await sse.next((e) => e.type === "update");
    expect(JSON.parse(update.data).id).toBe(locked.id);
    expect(sse.events.filter((e) => e.type === "update")).toHaveLength(1);
  });

  it("sends heartbeat comments", async () => {
    const h = await setup(30);
    const sse = await stream(h);
    const beat = await sse.next((e) => e.type === "comment" && e.data.startsWith("heartbeat"));
    expect(beat.data).toMatch(/^heartbeat \d{4}-/);
  });

  it("resumes after Last-Event-ID with what was missed, in order", async () => {
    const h = await setup();
    const first = await stream(h);
    h.seed();
    const seen = await first.next((e) => e.type === "insert");
    first.close();
    const missed = [h.seed().id, h.seed().id];
    const resumed = await stream(h, "/api/exchanges/stream", { "Last-Event-ID": seen.id ?? "" });
    await resumed.next((e) => e.type === "insert" && JSON.parse(e.data).id === missed[1]);
    const inserts = resumed.events
      .filter((e) => e.type === "insert")
      .map((e) => JSON.parse(e.data).id);
    expect(inserts).toEqual(missed);
  });

  it.each(["unknown-7", "ffffff-1", "garbage"])(
    "Last-Event-ID %s it cannot resume from gets a reset event",
    async (lastId) => {
      const h = await setup();
      h.seed();
      const sse = await stream(h, "/api/exchanges/stream", { "Last-Event-ID": lastId });
      await sse.next((e) => e.type === "reset");
    },
  );

  it("a bad filter is a 400 problem, not a stream", async () => {
    const h = await setup();
    const res = await h.api("GET", "/api/exchanges/stream?status=abc");
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: "invalid_query", field: "status" });
  });
});
