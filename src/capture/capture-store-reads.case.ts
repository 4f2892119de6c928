/**
 * Capture store contract, part 2: list order and paging, truncated bodies, retention, stats,
 * subscriptions and close. Run through `runCaptureStoreContract` (capture-store.case.ts).
 * Not part of the build (`*.case.ts`).
 */
import { describe, expect, it } from "vitest";
import { createMemoryLogger } from "../log/index.js";
import {
  ALL_BYTES,
  body,
  expectCode,
  makeExchange,
  nextId,
  type OpenStore,
  sized,
  T0,
} from "./exchange-samples.case.js";
import type { CaptureEvent, CaptureStore } from "./store.js";
import type { Exchange } from "./types.js";

/**
 * The read half of the capture store contract: lists, truncation, retention, stats, events, close.
 */
export function describeReadContract(store: OpenStore): void {
  describe("list", () => {
    function fill(s: CaptureStore, n: number, endpoint = "my-hooks"): string[] {
      return Array.from({ length: n }, () => s.insert(makeExchange({ endpoint })).id);
    }

    it("lists newest first by id, whatever the insert order", () => {
      const s = store();
      const ids = Array.from({ length: 5 }, () => nextId());
      for (const id of [ids[2], ids[0], ids[4], ids[1], ids[3]])
        s.insert(makeExchange({ id: id as string }));
      expect(s.list().items.map((x) => x.id)).toEqual([...ids].reverse());
    });

    it("pages with next/before until next is null", () => {
      const s = store();
      const ids = fill(s, 7).reverse();
      const first = s.list({ limit: 3 });
      expect(first.items.map((x) => x.id)).toEqual(ids.slice(0, 3));
      expect(first.next).toBe(ids[2]);
      const second = s.list({ limit: 3, before: first.next as string });
      expect(second.items.map((x) => x.id)).toEqual(ids.slice(3, 6));
      const third = s.list({ limit: 3, before: second.next as string });
      expect(third.items.map((x) => x.id)).toEqual(ids.slice(6));
      expect(third.next).toBeNull();
    });

    it("says next is null when the last page is exactly full", () => {
      const s = store();
      fill(s, 6);
      const first = s.list({ limit: 3 });
      expect(s.list({ limit: 3, before: first.next as string }).next).toBeNull();
      expect(s.list({ limit: 6 }).next).toBeNull();
    });

    it("returns full exchanges, bodies included", () => {
      const s = store();
      const x = s.insert(makeExchange());
      expect(s.list().items).toEqual([x]);
    });

    it("filters by endpoint, with paging", () => {
      const s = store();
      const a: string[] = [];
      for (let i = 0; i < 5; i++) {
        a.push(s.insert(makeExchange({ endpoint: "a" })).id);
        s.insert(makeExchange({ endpoint: "b" }));
      }
      a.reverse();
      const first = s.list({ endpoint: "a", limit: 2 });
      expect(first.items.map((x) => x.id)).toEqual(a.slice(0, 2));
      const rest = s.list({ endpoint: "a", limit: 10, before: first.next as string });
      expect(rest.items.map((x) => x.id)).toEqual(a.slice(2));
      expect(rest.next).toBeNull();
      expect(s.list({ endpoint: "nope" })).toEqual({ items: [], next: null });
    });

    it("accepts a cursor that no longer exists", () => {
      const s = store();
      const ids = fill(s, 3);
      s.delete(ids[1] as string);
      expect(s.list({ before: ids[1] as string }).items.map((x) => x.id)).toEqual([ids[0]]);
    });

    it("defaults to 50 per page and allows up to 1000", () => {
      const s = store({ bodyLimitBytes: 0 });
      fill(s, 1001);
      expect(s.list().items).toHaveLength(50);
      const big = s.list({ limit: 1000 });
      expect(big.items).toHaveLength(1000);
      expect(s.list({ before: big.next as string }).items).toHaveLength(1);
    });

    it.each([0, -1, 1.5, 1001, Number.NaN])("refuses limit %s (invalid_argument)", (limit) => {
      const s = store();
      expectCode(() => s.list({ limit }), "invalid_argument", "limit");
    });
  });

  describe("truncated bodies", () => {
    it("keeps the first bodyLimitBytes bytes and the full size", () => {
      const s = store({ bodyLimitBytes: 8 });
      const x = s.insert(makeExchange());
      expect(s.get(x.id)?.request.body).toEqual({
        bytes: ALL_BYTES.slice(0, 8),
        size: 512,
        truncated: true,
      });
      expect(s.get(x.id)?.response?.body).toEqual(body(new Uint8Array([0, 255, 10])));
    });

    it("keeps an already-truncated body's wire size", () => {
      const s = store({ bodyLimitBytes: 2 });
      const base = makeExchange();
      const x = s.insert({
        ...base,
        request: {
          ...base.request,
          body: { bytes: new Uint8Array([1, 2, 3]), size: 1000, truncated: true },
        },
      });
      expect(s.get(x.id)?.request.body).toEqual({
        bytes: new Uint8Array([1, 2]),
        size: 1000,
        truncated: true,
      });
    });

    it("keeps sizes only with a limit of 0", () => {
      const s = store({ bodyLimitBytes: 0 });
      const x = s.insert(makeExchange());
      expect(s.get(x.id)?.request.body).toEqual({
        bytes: new Uint8Array(0),
        size: 512,
        truncated: true,
      });
      expect(s.stats().bytes).toBe(0);
    });
  });

  describe("retention", () => {
    it("keeps the newest maxExchanges", () => {
      const s = store({ retention: { maxExchanges: 3 } });
      const ids = Array.from({ length: 5 }, () => s.insert(makeExchange()).id);
      expect(s.count()).toBe(3);
      expect(s.list().items.map((x) => x.id)).toEqual(ids.slice(2).reverse());
      expect(s.get(ids[0] as string)).toBeNull();
    });

    it("keeps at most maxBytes of stored bodies, oldest out first", () => {
      const s = store({ retention: { maxBytes: 250 } });
      const ids = Array.from({ length: 4 }, () => s.insert(sized(60, 40)).id);
      expect(s.stats()).toEqual({ count: 2, bytes: 200 });
      expect(s.list().items.map((x) => x.id)).toEqual(ids.slice(2).reverse());
    });

    it("never evicts the exchange just written, even alone over the limit", () => {
      const s = store({ retention: { maxBytes: 50 } });
      s.insert(sized(10, null));
      const big = s.insert(sized(100, null));
      expect(s.list().items.map((x) => x.id)).toEqual([big.id]);
      expect(s.stats()).toEqual({ count: 1, bytes: 100 });
    });

    it("runs after an update that grows an exchange", () => {
      const s = store({ retention: { maxBytes: 250 } });
      const old = s.insert(sized(100, null));
      const young = s.insert(sized(100, null));
      s.update(young.id, { response: sized(0, 100).response });
      expect(s.get(old.id)).toBeNull();
      expect(s.stats()).toEqual({ count: 1, bytes: 200 });
    });

    it("spares an updated old exchange and evicts the next oldest", () => {
      const s = store({ retention: { maxBytes: 250 } });
      const first = s.insert(sized(100, null));
      const second = s.insert(sized(100, null));
      s.update(first.id, { response: sized(0, 100).response });
      expect(s.get(first.id)).not.toBeNull();
      expect(s.get(second.id)).toBeNull();
    });

    it("refuses bad retention and body limits (invalid_argument)", () => {
      expectCode(
        () => store({ retention: { maxExchanges: 1.5 } }),
        "invalid_argument",
        "retention.maxExchanges",
      );
      expectCode(
        () => store({ retention: { maxBytes: -1 } }),
        "invalid_argument",
        "retention.maxBytes",
      );
      expectCode(() => store({ bodyLimitBytes: -1 }), "invalid_argument", "bodyLimitBytes");
    });
  });

  describe("stats", () => {
    it("counts exchanges and stored body bytes through every change", () => {
      const s = store();
      const a = s.insert(sized(10, 5));
      s.insert(sized(20, null));
      expect(s.stats()).toEqual({ count: 2, bytes: 35 });
      s.update(a.id, { response: null });
      expect(s.stats()).toEqual({ count: 2, bytes: 30 });
      s.delete(a.id);
      expect(s.stats()).toEqual({ count: 1, bytes: 20 });
      expect(s.count()).toBe(1);
    });
  });

  describe("subscribe", () => {
    it("reports insert, update, delete and clear in order, with exchanges as stored", () => {
      const s = store({ bodyLimitBytes: 4 });
      const events: CaptureEvent[] = [];
      s.subscribe((e) => events.push(e));
      const x = s.insert(makeExchange({ response: null }));
      const updated = s.update(x.id, { timing: { doneAt: T0 + 50 } });
      s.delete(x.id);
      s.delete(x.id);
      s.clear();
      expect(events).toEqual([
        { type: "insert", exchange: x },
        { type: "update", exchange: updated },
        { type: "delete", ids: [x.id], reason: "delete" },
        { type: "clear" },
      ]);
      expect((events[0] as { exchange: Exchange }).exchange.request.body.bytes).toHaveLength(4);
    });

    it("reports retention evictions after the write that caused them", () => {
      const s = store({ retention: { maxExchanges: 2 } });
      const ids = [s.insert(makeExchange()).id, s.insert(makeExchange()).id];
      const events: CaptureEvent[] = [];
      s.subscribe((e) => events.push(e));
      const third = s.insert(makeExchange());
      expect(events.map((e) => e.type)).toEqual(["insert", "delete"]);
      expect(events[0]).toEqual({ type: "insert", exchange: third });
      expect(events[1]).toEqual({ type: "delete", ids: [ids[0]], reason: "retention" });
    });

    it("stops after unsubscribe, and one function subscribed twice is called twice", () => {
      const s = store();
      let calls = 0;
      const listener = () => {
        calls++;
      };
      const off = s.subscribe(listener);
      const off2 = s.subscribe(listener);
      s.insert(makeExchange());
      expect(calls).toBe(2);
      off();
      off();
      s.insert(makeExchange());
      expect(calls).toBe(3);
      off2();
      s.insert(makeExchange());
      expect(calls).toBe(3);
    });

    it("logs a throwing listener; the write and the other listeners go on", () => {
      const logger = createMemoryLogger();
      const s = store({ logger });
      const seen: string[] = [];
      s.subscribe(() => {
        throw new Error("boom");
      });
      s.subscribe((e) => seen.push(e.type));
      const x = s.insert(makeExchange());
      expect(s.get(x.id)).toEqual(x);
      expect(seen).toEqual(["insert"]);
      expect(logger.records).toContainEqual({
        level: "error",
        message: "capture listener failed",
        fields: { event: "insert", error: "boom" },
      });
    });
  });

  describe("close", () => {
    it("is idempotent and makes every method throw closed", () => {
      const s = store();
      const x = s.insert(makeExchange());
      s.close();
      s.close();
      const calls: [string, () => unknown][] = [
        ["insert", () => s.insert(makeExchange())],
        ["update", () => s.update(x.id, { timing: { doneAt: 1 } })],
        ["get", () => s.get(x.id)],
        ["list", () => s.list()],
        ["count", () => s.count()],
        ["delete", () => s.delete(x.id)],
        ["clear", () => s.clear()],
        ["stats", () => s.stats()],
        ["subscribe", () => s.subscribe(() => {})],
      ];
      for (const [, call] of calls) expectCode(call, "closed");
    });
  });
}
