import { describe, expect, it } from "vitest";
import { mergeOrdered } from "./merge-ordered.js";

describe("mergeOrdered", () => {
  it("keeps the base key order and appends unknown keys", () => {
    const merged = mergeOrdered({ a: 1, b: { x: 1, y: 2 }, c: 3 }, { c: 30, z: 9, b: { y: 20 } });
    expect(JSON.stringify(merged)).toBe('{"a":1,"b":{"x":1,"y":20},"c":30,"z":9}');
  });

  it("replaces arrays and accepts null, keeps the base for undefined", () => {
    const base = { list: [1, 2, 3], obj: { k: 1 } as { k: number } | null, s: "x" };
    expect(mergeOrdered(base, { list: [9], obj: null, s: undefined })).toEqual({
      list: [9],
      obj: null,
      s: "x",
    });
  });

  it("mutates neither input and never aliases the override", () => {
    const base = { a: { b: 1 } };
    const override = { a: { c: [1] } };
    const merged = mergeOrdered(base, override) as { a: { b: number; c: number[] } };
    merged.a.c.push(2);
    expect(base).toEqual({ a: { b: 1 } });
    expect(override).toEqual({ a: { c: [1] } });
  });

  it("treats a JSON __proto__ key as data, not as a prototype", () => {
    const merged = mergeOrdered({ a: 1 }, JSON.parse('{"__proto__":{"polluted":true}}')) as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.keys(merged)).toEqual(["a", "__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
