import { describe, expect, it } from "vitest";
import { createMemoryDedupeStore, DEFAULT_DEDUPE_MAX_KEYS } from "./memory-dedupe-store.js";

describe("createMemoryDedupeStore", () => {
  it("claims a key once until it is released", () => {
    const store = createMemoryDedupeStore();
    expect(store.claim("event:a")).toBe(true);
    expect(store.claim("event:a")).toBe(false);
    store.release("event:a");
    expect(store.claim("event:a")).toBe(true);
  });

  it("forgets the least recently seen key past maxKeys, a hit counting as seen", () => {
    const store = createMemoryDedupeStore({ maxKeys: 3 });
    for (const key of ["a", "b", "c"]) store.claim(key);
    expect(store.claim("a")).toBe(false); // refreshes a: b is now the oldest
    expect(store.claim("d")).toBe(true);
    expect(store.has("b")).toBe(false);
    expect(["a", "c", "d"].map((key) => store.has(key))).toEqual([true, true, true]);
    expect(store.size).toBe(3);
    expect(store.claim("b")).toBe(true);
  });

  it("never holds more than maxKeys", () => {
    const store = createMemoryDedupeStore({ maxKeys: 100 });
    for (let i = 0; i < 10_000; i += 1) store.claim(`event:${i}`);
    expect(store.size).toBe(100);
    expect(store.has("event:9999")).toBe(true);
    expect(store.has("event:9899")).toBe(false);
  });

  it("defaults to 10,000 keys", () => {
    const store = createMemoryDedupeStore();
    for (let i = 0; i <= DEFAULT_DEDUPE_MAX_KEYS; i += 1) store.claim(String(i));
    expect(DEFAULT_DEDUPE_MAX_KEYS).toBe(10_000);
    expect(store.size).toBe(10_000);
    expect(store.has("0")).toBe(false);
  });

  it("clears every key", () => {
    const store = createMemoryDedupeStore();
    store.claim("a");
    store.clear();
    expect(store.size).toBe(0);
    expect(store.claim("a")).toBe(true);
  });

  it.each([0, -1, 1.5, Number.NaN])("rejects maxKeys %s", (maxKeys) => {
    expect(() => createMemoryDedupeStore({ maxKeys })).toThrow(RangeError);
  });
});
