import { describe, expect, it } from "vitest";
import { runCaptureStoreContract } from "./capture-store.case.js";
import { makeExchange } from "./exchange-samples.case.js";
import { createMemoryCaptureStore } from "./memory-store.js";

runCaptureStoreContract("memory", (options) => createMemoryCaptureStore(options));

describe("createMemoryCaptureStore", () => {
  it("starts empty, with no options at all", () => {
    const store = createMemoryCaptureStore();
    expect(store.stats()).toEqual({ count: 0, bytes: 0 });
    store.insert(makeExchange());
    expect(store.count()).toBe(1);
    store.close();
  });

  it("keeps stores apart", () => {
    const a = createMemoryCaptureStore();
    const b = createMemoryCaptureStore();
    a.insert(makeExchange());
    expect(b.count()).toBe(0);
    a.close();
    b.close();
  });
});
