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

  it("remembers the maxKeys most recently seen keys, a hit counting as seen", () => {
    const store = createMemoryDedupeStore({ maxKeys: 3 });
    for (const key of ["a", "b", "c"]) store.claim(key);
    expect(store.claim("a")).toBe(false); // refreshes a: b is now the least recently seen
    for (const key of ["d", "e", "f"]) store.claim(key);
    // The 3 most recent (d, e, f) are surely kept; a, seen after b and c, outlives them.
    expect(["d", "e", "f"].map((key) => store.has(key))).toEqual([true, true, true]);
    expect(store.has("a")).toBe(true);
    expect(store.has("b")).toBe(false);
    expect(store.has("c")).toBe(false);
    expect(store.claim("b")).toBe(true);
  });

  it("never holds more than twice maxKeys and always the last maxKeys", () => {
    const store = createMemoryDedupeStore({ maxKeys: 100 });
    for (let i = 0; i < 10_000; i += 1) {
      store.claim(`event:${i}`);
      expect(store.size).toBeLessThanOrEqual(200);
    }
    for (let i = 9_900; i < 10_000; i += 1) expect(store.has(`event:${i}`)).toBe(true);
    expect(store.has("event:9799")).toBe(false);
  });

  it("defaults to 10,000 keys", () => {
    const store = createMemoryDedupeStore();
    for (let i = 0; i < 3 * DEFAULT_DEDUPE_MAX_KEYS; i += 1) store.claim(String(i));
    expect(DEFAULT_DEDUPE_MAX_KEYS).toBe(10_000);
    expect(store.has(String(2 * DEFAULT_DEDUPE_MAX_KEYS))).toBe(true);
    expect(store.has(String(DEFAULT_DEDUPE_MAX_KEYS - 1))).toBe(false);
    expect(store.size).toBeLessThanOrEqual(2 * DEFAULT_DEDUPE_MAX_KEYS);
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
