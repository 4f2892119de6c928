import { describe, expect, expectTypeOf, it } from "vitest";
import { createMemoryCaptureStore } from "./memory-store.js";
import { LIST_FILTER_KEYS, LIST_PAGE_KEYS, type ListFilters, type ListQuery } from "./store.js";

describe("list query keys", () => {
  it("name every field of ListQuery, filters and page apart", () => {
    expectTypeOf<(typeof LIST_FILTER_KEYS)[number]>().toEqualTypeOf<keyof ListFilters>();
    expectTypeOf<
      (typeof LIST_FILTER_KEYS)[number] | (typeof LIST_PAGE_KEYS)[number]
    >().toEqualTypeOf<keyof ListQuery>();
    expect(new Set([...LIST_FILTER_KEYS, ...LIST_PAGE_KEYS]).size).toBe(
      LIST_FILTER_KEYS.length + LIST_PAGE_KEYS.length,
    );
  });

  it("are the keys a store accepts, and no other", () => {
    const store = createMemoryCaptureStore();
    for (const key of LIST_FILTER_KEYS) {
      // A valid-looking value of each type; the point is the key is not refused as unknown.
      const value =
        key === "header"
          ? { name: "x", value: "" }
          : key === "minDurationMs" || key === "maxDurationMs"
            ? 1
            : key === "origin"
              ? "live"
              : key === "status"
                ? "2xx"
                : key === "path"
                  ? "/a"
                  : "a";
      expect(() => store.list({ [key]: value } as ListQuery), key).not.toThrow();
    }
    expect(() => store.list({ nope: 1 } as unknown as ListQuery)).toThrow(/nope/);
    store.close();
  });
});
