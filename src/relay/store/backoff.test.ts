import { describe, expect, it } from "vitest";
import {
  FIRST_RETRY_DELAY_MS,
  KEEP_DELIVERED_MS,
  MAX_RETRY_DELAY_MS,
  nextRetryDelayMs,
  QUEUE_TTL_MS,
} from "./backoff.js";
import { StoreError } from "./errors.js";

const middle = (): number => 0.5;

describe("nextRetryDelayMs", () => {
  it("doubles from 1 s without jitter at the middle of the range", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => nextRetryDelayMs(n, middle))).toEqual([
      1000, 2000, 4000, 8000, 16000, 32000,
    ]);
  });

  it("caps the base at 5 minutes, even for huge attempt counts", () => {
    expect(nextRetryDelayMs(9, middle)).toBe(256_000);
    expect(nextRetryDelayMs(10, middle)).toBe(MAX_RETRY_DELAY_MS);
    expect(nextRetryDelayMs(5000, middle)).toBe(MAX_RETRY_DELAY_MS);
    expect(nextRetryDelayMs(Number.MAX_SAFE_INTEGER, middle)).toBe(MAX_RETRY_DELAY_MS);
  });

  it("spreads ±20% around the base", () => {
    expect(nextRetryDelayMs(1, () => 0)).toBe(800);
    expect(nextRetryDelayMs(1, () => 0.999_999_999)).toBe(1200);
    expect(nextRetryDelayMs(20, () => 0)).toBe(240_000);
    expect(nextRetryDelayMs(20, () => 0.999_999_999)).toBe(360_000);
  });

  it("stays within the bounds and returns whole milliseconds with Math.random", () => {
    for (let attempt = 1; attempt <= 30; attempt += 1) {
      const base = Math.min(FIRST_RETRY_DELAY_MS * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS);
      for (let i = 0; i < 50; i += 1) {
        const delay = nextRetryDelayMs(attempt);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(base * 0.8);
        expect(delay).toBeLessThanOrEqual(base * 1.2);
      }
    }
  });

  it("rejects attempt counts below 1 or not integers, and bad random sources", () => {
    for (const attempt of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => nextRetryDelayMs(attempt)).toThrow(StoreError);
    }
    expect(() => nextRetryDelayMs(1, () => 1)).toThrow(/random/);
    expect(() => nextRetryDelayMs(1, () => Number.NaN)).toThrow(/random/);
  });

  it("keeps requests for 24 hours", () => {
    expect(QUEUE_TTL_MS).toBe(86_400_000);
  });

  it("keeps delivered requests for 7 days", () => {
    expect(KEEP_DELIVERED_MS).toBe(604_800_000);
  });
});
