import { describe, expect, it } from "vitest";
import { createIdGenerator } from "./ids.js";

describe("createIdGenerator", () => {
  it("produces prefixed 26-character ULIDs", () => {
    const id = createIdGenerator("req_").next();
    expect(id).toMatch(/^req_[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it("sorts in creation order within one millisecond", () => {
    const ids = createIdGenerator("req_", { now: () => 1_700_000_000_000 });
    const made = Array.from({ length: 2000 }, () => ids.next());
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(made.length);
  });

  it("keeps increasing when the clock steps back", () => {
    let time = 1_700_000_000_000;
    const ids = createIdGenerator("tok_", { now: () => time });
    const first = ids.next();
    time -= 60_000;
    const second = ids.next();
    expect(second > first).toBe(true);
  });

  it("encodes the time in the first ten characters", () => {
    let time = 1_000;
    const ids = createIdGenerator("x", { now: () => time });
    const a = ids.next();
    time = 1_001;
    const b = ids.next();
    expect(a.slice(1, 11)).toBe("00000000Z8");
    expect(b.slice(1, 11)).toBe("00000000Z9");
  });

  it("continues above a floor read back from storage", () => {
    const earlier = createIdGenerator("req_", { now: () => 2_000_000_000_000 });
    const floor = earlier.next();
    const later = createIdGenerator("req_", { now: () => 1_000, floor });
    expect(later.next() > floor).toBe(true);
    const ignored = createIdGenerator("req_", { now: () => 1_000, floor: "tok_garbage" });
    expect(ignored.next() < floor).toBe(true);
  });
});
