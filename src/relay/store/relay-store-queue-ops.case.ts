/**
 * The contract of the operator's queue operations (`listRequests`, `countRequests`,
 * `retryRequests`, `dropRequests`), part of `runRelayStoreContract` (relay-store.case.ts),
 * which hands over its harness.
 */
import { describe, expect, it } from "vitest";
import type { StoreErrorCode } from "./errors.js";
import type { RelayStore } from "./relay-store.js";
import type { AgentToken, NewQueuedRequest } from "./types.js";

/** What the contract suite shares with these cases. */
export interface QueueOpsContext {
  /** The store of the running test. */
  store: () => RelayStore;
  /** The store's clock, in ms; tests move it. */
  clock: { now: number };
  start: number;
  owner: (endpoint?: string) => Promise<AgentToken>;
  request: (endpoint: string, overrides?: Partial<NewQueuedRequest>) => NewQueuedRequest;
  peer: () => Promise<RelayStore>;
  itWithPeer: (title: string, body: () => Promise<void>) => void;
  expectStoreError: (
    promise: Promise<unknown>,
    code: StoreErrorCode,
    field?: string,
  ) => Promise<void>;
}

/**
 * Registers the cases under `describe("queue operations")`.
 *
 * @example
 * describeQueueOperations({ store: () => store, clock, start: START, owner, request, peer, itWithPeer, expectStoreError });
 */
export function describeQueueOperations(ctx: QueueOpsContext): void {
  const { clock, start, owner, request, expectStoreError } = ctx;

  /** Three requests on okta-dev (the first two failed, the last pending) and one on other. */
  const fixture = async () => {
    const store = ctx.store();
    await owner("okta-dev");
    await owner("other");
    const a = await store.enqueue(request("okta-dev", { target: "/a" }), { ttlMs: 1000 });
    const b = await store.enqueue(request("okta-dev", { target: "/b" }), { ttlMs: 1000 });
    const elsewhere = await store.enqueue(request("other", { target: "/o" }), { ttlMs: 1000 });
    await store.recordAttempt(a.id, { status: 503, nextAttemptAt: start + 500 });
    clock.now = start + 1000;
    expect(await store.expire(clock.now)).toBe(3);
    clock.now = start + 2000;
    const c = await store.enqueue(request("okta-dev", { target: "/c", receivedAt: clock.now }), {
      ttlMs: 1000,
    });
    return { store, a, b, c, elsewhere };
  };

  describe("queue operations", () => {
    it("lists every endpoint's requests newest first, without bodies or headers, by endpoint and state", async () => {
      const { store, a, b, c, elsewhere } = await fixture();
      const all = await store.listRequests();
      expect(all.map((r) => r.id)).toEqual([c.id, elsewhere.id, b.id, a.id]);
      expect(all[3]).toEqual({
        id: a.id,
        endpoint: "okta-dev",
        method: "POST",
        target: "/a",
        httpVersion: "1.1",
        bodyBytes: a.body.byteLength,
        remoteAddress: "203.0.113.7",
        receivedAt: start,
        attempts: 1,
        nextAttemptAt: start + 500,
        lastAttemptAt: start,
        lastError: "expired after 1 attempt(s)",
        lastStatus: 503,
        state: "failed",
        deliveredAt: null,
        failedAt: start + 1000,
        expiresAt: start + 1000,
      });
      expect(Object.keys(all[0] ?? {})).not.toContain("body");
      expect(Object.keys(all[0] ?? {})).not.toContain("rawHeaders");
      const ids = async (options: Parameters<RelayStore["listRequests"]>[0]) =>
        (await store.listRequests(options)).map((r) => r.id);
      expect(await ids({ endpoint: "okta-dev" })).toEqual([c.id, b.id, a.id]);
      expect(await ids({ state: "failed" })).toEqual([elsewhere.id, b.id, a.id]);
      expect(await ids({ endpoint: "okta-dev", state: "pending" })).toEqual([c.id]);
      expect(await ids({ state: "delivered" })).toEqual([]);
      expect(await ids({ limit: 2 })).toEqual([c.id, elsewhere.id]);
      expect(await ids({ limit: 2, before: elsewhere.id })).toEqual([b.id, a.id]);
      expect(await ids({ state: "failed", before: b.id })).toEqual([a.id]);
      expect(await store.countRequests()).toBe(4);
      expect(await store.countRequests({ endpoint: "okta-dev", state: "failed" })).toBe(2);
      expect(await store.countRequests({ state: "delivered" })).toBe(0);
    });

    it("refuses a bad filter, naming the field", async () => {
      const store = ctx.store();
      await owner("okta-dev");
      const bad = { state: "lost" } as unknown as { state: "failed" };
      await expectStoreError(store.listRequests(bad), "invalid_argument", "state");
      await expectStoreError(store.countRequests(bad), "invalid_argument", "state");
      await expectStoreError(store.listRequests({ endpoint: "Okta Dev" }), "invalid_name");
      await expectStoreError(store.listRequests({ endpoint: "nobody" }), "not_found", "endpoint");
      await expectStoreError(store.countRequests({ endpoint: "nobody" }), "not_found", "endpoint");
      await expectStoreError(store.listRequests({ limit: 0 }), "invalid_argument", "limit");
      await expectStoreError(store.listRequests({ limit: 1001 }), "invalid_argument", "limit");
      await expectStoreError(store.listRequests({ before: "req_nope" }), "not_found", "before");
    });

    it("puts failed requests back: pending, due now, attempts cleared, a new window as long as the first", async () => {
      const { store, a, b } = await fixture();
      clock.now = start + 5000;
      const before = await store.revision();
      const retried = await store.retryRequests({ ids: [b.id, a.id, b.id] });
      expect(retried.map((r) => r.id)).toEqual([a.id, b.id]);
      expect(retried[0]).toMatchObject({
        state: "pending",
        nextAttemptAt: start + 5000,
        expiresAt: start + 6000,
        failedAt: null,
        attempts: 0,
        lastAttemptAt: null,
        lastError: null,
        lastStatus: null,
      });
      expect(await store.revision()).not.toBe(before);
      const stored = await store.get(a.id);
      expect(stored).toMatchObject({ state: "pending", expiresAt: start + 6000 });
      // The window is the first one's length again, however many times it is retried.
      clock.now = start + 6000;
      expect(await store.expire(clock.now)).toBe(3);
      clock.now = start + 9000;
      expect(await store.get(a.id)).toMatchObject({ lastError: "expired after 0 attempt(s)" });
      expect((await store.retryRequests({ ids: [a.id] }))[0]?.expiresAt).toBe(start + 10_000);
    });

    it("gives a retried request its place in arrival order, ahead of the pending ones after it", async () => {
      const { store, a, b, c } = await fixture();
      expect((await store.nextDue("okta-dev", clock.now))?.id).toBe(c.id);
      await store.retryRequests({ ids: [b.id] });
      expect((await store.pending("okta-dev")).map((r) => r.id)).toEqual([b.id, c.id]);
      expect((await store.nextDue("okta-dev", clock.now))?.id).toBe(b.id);
      await store.retryRequests({ ids: [a.id] });
      expect((await store.pending("okta-dev")).map((r) => r.id)).toEqual([a.id, b.id, c.id]);
    });

    it("retries every failed request, of one endpoint or of all", async () => {
      const { store, a, b, elsewhere } = await fixture();
      const mine = await store.retryRequests({ failed: true, endpoint: "okta-dev" });
      expect(mine.map((r) => r.id)).toEqual([a.id, b.id]);
      expect((await store.get(elsewhere.id))?.state).toBe("failed");
      const rest = await store.retryRequests({ failed: true });
      expect(rest.map((r) => r.id)).toEqual([elsewhere.id]);
      const revision = await store.revision();
      expect(await store.retryRequests({ failed: true })).toEqual([]);
      expect(await store.revision()).toBe(revision);
    });

    it("retries all or nothing: an unknown id, another endpoint's, or one not failed changes nothing", async () => {
      const { store, a, c, elsewhere } = await fixture();
      const revision = await store.revision();
      const listed = await store.listRequests();
      await expectStoreError(store.retryRequests({ ids: [a.id, "req_nope"] }), "not_found", "ids");
      await expectStoreError(
        store.retryRequests({ ids: [a.id, elsewhere.id], endpoint: "okta-dev" }),
        "not_found",
        "ids",
      );
      await expectStoreError(store.retryRequests({ ids: [a.id, c.id] }), "invalid_state", "ids");
      await expectStoreError(
        store.retryRequests({ failed: true, endpoint: "nobody" }),
        "not_found",
        "endpoint",
      );
      expect(await store.listRequests()).toEqual(listed);
      expect(await store.revision()).toBe(revision);
      // Nor can a delivered request be retried.
      await store.retryRequests({ ids: [a.id] });
      await store.markDelivered(a.id, 200, clock.now);
      await expectStoreError(store.retryRequests({ ids: [a.id] }), "invalid_state", "ids");
    });

    it("refuses a malformed selection", async () => {
      const store = ctx.store();
      const bad = (selection: unknown) => selection as Parameters<RelayStore["retryRequests"]>[0];
      for (const op of [store.retryRequests, store.dropRequests]) {
        const run = (selection: unknown) => op.call(store, bad(selection));
        await expectStoreError(run({ ids: [] }), "invalid_argument", "ids");
        await expectStoreError(run({ ids: "req_1" }), "invalid_argument", "ids");
        await expectStoreError(run({ ids: [1] }), "invalid_argument", "ids[0]");
        await expectStoreError(run({ failed: false }), "invalid_argument", "selection");
        await expectStoreError(run(null), "invalid_argument", "selection");
        await expectStoreError(run({ failed: true, endpoint: "A B" }), "invalid_name");
      }
    });

    it("drops requests in any state by id, or every failed one, all or nothing", async () => {
      const { store, a, b, c, elsewhere } = await fixture();
      const revision = await store.revision();
      await expectStoreError(store.dropRequests({ ids: [c.id, "req_nope"] }), "not_found", "ids");
      expect(await store.countRequests()).toBe(4);
      expect(await store.revision()).toBe(revision);
      const dropped = await store.dropRequests({ ids: [c.id] });
      expect(dropped.map((r) => [r.id, r.state])).toEqual([[c.id, "pending"]]);
      expect(await store.get(c.id)).toBeNull();
      expect(await store.revision()).not.toBe(revision);
      const failed = await store.dropRequests({ failed: true, endpoint: "okta-dev" });
      expect(failed.map((r) => r.id)).toEqual([a.id, b.id]);
      expect((await store.listRequests()).map((r) => r.id)).toEqual([elsewhere.id]);
      expect(await store.dropRequests({ failed: true, endpoint: "okta-dev" })).toEqual([]);
      expect(await store.countPending("okta-dev")).toBe(0);
      // A delivered one too, by id.
      const d = await store.enqueue(request("okta-dev", { target: "/d", receivedAt: clock.now }));
      await store.markDelivered(d.id, 200, clock.now + 1);
      const delivered = await store.dropRequests({ ids: [d.id] });
      expect(delivered.map((r) => [r.id, r.state])).toEqual([[d.id, "delivered"]]);
      expect(await store.get(d.id)).toBeNull();
    });

    ctx.itWithPeer("lets another handle's retry reach this one's queue", async () => {
      const { store, a } = await fixture();
      const other = await ctx.peer();
      const revision = await store.revision();
      await other.retryRequests({ ids: [a.id] });
      expect(await store.revision()).not.toBe(revision);
      expect((await store.nextDue("okta-dev", clock.now))?.id).toBe(a.id);
    });
  });
}
