import { describe, expect, it } from "vitest";
import { classOf, LATENCY_WINDOW, percentile, StatsRecorder } from "./stats.js";

describe("StatsRecorder", () => {
  it("counts totals, open requests and outcomes by class", () => {
    const stats = new StatsRecorder(() => 0);
    for (let i = 0; i < 6; i++) stats.started();
    stats.finished(200, 1);
    stats.finished(302, 1);
    stats.finished(404, 1);
    stats.finished(503, 1);
    stats.finished(502, 1, true);
    expect(stats.snapshot()).toMatchObject({
      total: 6,
      open: 1,
      byStatus: { "2xx": 1, "3xx": 1, "4xx": 1, "5xx": 1, error: 1 },
    });
  });

  it("computes percentiles over the last 1,000 requests only", () => {
    const stats = new StatsRecorder(() => 0);
    for (let i = 0; i < LATENCY_WINDOW; i++) stats.finished(200, 10_000);
    for (let i = 1; i <= LATENCY_WINDOW; i++) stats.finished(200, i);
    const { p50Ms, p90Ms, p99Ms } = stats.snapshot();
    expect([p50Ms, p90Ms, p99Ms]).toEqual([500, 900, 990]);
  });

  it("rates count requests per second over 1, 5 and 15 minutes", () => {
    let now = 1_000_000_000_000;
    const stats = new StatsRecorder(() => now);
    for (let i = 0; i < 60; i++) stats.finished(200, 1);
    now += 2 * 60_000;
    for (let i = 0; i < 30; i++) stats.finished(200, 1);
    const snapshot = stats.snapshot();
    expect(snapshot.rate1).toBeCloseTo(30 / 60);
    expect(snapshot.rate5).toBeCloseTo(90 / 300);
    expect(snapshot.rate15).toBeCloseTo(90 / 900);
    now += 20 * 60_000;
    expect(stats.snapshot().rate15).toBe(0);
  });
});

describe("percentile and classOf", () => {
  it("nearest rank", () => {
    expect(percentile([], 0.5)).toBe(0);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4], 0.99)).toBe(4);
  });

  it("an agent-made error is 'error' whatever its status", () => {
    expect(classOf(502, true)).toBe("error");
    expect(classOf(null, false)).toBe("error");
    expect(classOf(299, false)).toBe("2xx");
  });
});
