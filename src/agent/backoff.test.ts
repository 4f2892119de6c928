import { describe, expect, it } from "vitest";
import { backoffDelayMs } from "./backoff.js";

const bounds = { minDelayMs: 250, maxDelayMs: 30_000 };

describe("backoffDelayMs", () => {
  it("doubles the cap per attempt up to the maximum", () => {
    const top = (attempt: number) => backoffDelayMs(attempt, bounds, () => 0.999_999);
    expect([0, 1, 2, 3, 6, 7, 8, 50].map(top)).toEqual([
      249, 499, 999, 1999, 15_999, 29_999, 29_999, 29_999,
    ]);
  });

  it("draws uniformly below the cap (full jitter)", () => {
    expect(backoffDelayMs(4, bounds, () => 0)).toBe(0);
    expect(backoffDelayMs(4, bounds, () => 0.5)).toBe(2000);
  });

  it("survives odd random values and huge attempts", () => {
    expect(backoffDelayMs(10_000, bounds, () => Number.NaN)).toBe(0);
    expect(backoffDelayMs(-3, bounds, () => 2)).toBe(250);
  });
});
