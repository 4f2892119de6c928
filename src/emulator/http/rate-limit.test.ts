import { describe, expect, it } from "vitest";
import { RateLimitCounter } from "./rate-limit.js";

describe("RateLimitCounter", () => {
  it("counts down per endpoint family within a minute and resets at the next one", () => {
    const counter = new RateLimitCounter();
    const t = Date.parse("2026-03-01T12:00:10Z");
    expect(counter.take("/api/v1/logs", t)).toEqual({
      "X-Rate-Limit-Limit": "120",
      "X-Rate-Limit-Remaining": "119",
      "X-Rate-Limit-Reset": String(Date.parse("2026-03-01T12:01:00Z") / 1000),
    });
    expect(counter.take("/api/v1/logs", t + 1000)["X-Rate-Limit-Remaining"]).toBe("118");
    expect(counter.take("/api/v1/eventHooks/who1", t)["X-Rate-Limit-Remaining"]).toBe("99");
    expect(counter.take("/api/v1/logs", t + 60_000)["X-Rate-Limit-Remaining"]).toBe("119");
  });

  it("never goes below zero (the emulator does not refuse)", () => {
    const counter = new RateLimitCounter([{ prefix: "/", limit: 1 }]);
    counter.take("/x", 0);
    expect(counter.take("/x", 1)["X-Rate-Limit-Remaining"]).toBe("0");
  });
});
