import { describe, expect, it } from "vitest";
import type { DeliveryAttemptRecord } from "../delivery/engine-types.js";
import { DELIVERY_LOG_PER_HOOK } from "./deliveries.js";
import { openEmulatorStore } from "./open-store.js";

function record(hookId: string, n: number): DeliveryAttemptRecord {
  return {
    hookId,
    deliveryId: `d${n}`,
    eventIds: [],
    eventTypes: [],
    attempt: 1,
    duplicate: false,
    sentAt: new Date(0).toISOString(),
    request: { url: "http://127.0.0.1/", headers: [], body: "" },
    status: 200,
    durationMs: 1,
    responseBody: "",
    outcome: "success",
    failure: null,
    willRetry: false,
  };
}

describe("delivery log", () => {
  it("pages newest first, keeps a bounded number per hook, and forgets a deleted hook", () => {
    const store = openEmulatorStore(":memory:");
    const total = DELIVERY_LOG_PER_HOOK + 250;
    for (let n = 1; n <= total; n++) store.deliveries.add(record("whoA", n));
    store.deliveries.add(record("whoB", 1));
    const newest = store.deliveries.list("whoA", { limit: 2 });
    expect(newest.map((e) => e.record.deliveryId)).toEqual([`d${total}`, `d${total - 1}`]);
    const older = store.deliveries.list("whoA", { limit: 1, before: newest[1]?.seq ?? 0 });
    expect(older[0]?.record.deliveryId).toBe(`d${total - 2}`);
    const kept = store.deliveries.list("whoA", { limit: 10_000 });
    expect(kept.length).toBeGreaterThanOrEqual(DELIVERY_LOG_PER_HOOK);
    expect(kept.length).toBeLessThan(DELIVERY_LOG_PER_HOOK + 100);
    store.deliveries.deleteHook("whoA");
    expect(store.deliveries.list("whoA", { limit: 10 })).toEqual([]);
    expect(store.deliveries.list("whoB", { limit: 10 })).toHaveLength(1);
    store.close();
  });
});
