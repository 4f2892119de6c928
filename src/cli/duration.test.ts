import { describe, expect, it } from "vitest";
import { parseDuration } from "./duration.js";
import { UsageError } from "./errors.js";

describe("parseDuration", () => {
  it.each([
    ["1500ms", 1500],
    ["90s", 90_000],
    ["30m", 1_800_000],
    ["24h", 86_400_000],
    ["7d", 604_800_000],
    [" 2s ", 2000],
  ])("%s → %i ms", (text, ms) => {
    expect(parseDuration(text, "--x", "h")).toBe(ms);
  });

  it.each(["", "24", "0s", "1.5h", "-1s", "2 h", "1w", "h", "99999999999999999d"])(
    "refuses %j naming the flag",
    (text) => {
      expect(() => parseDuration(text, "--queue-ttl", "hooktap relay --help")).toThrow(
        new UsageError(
          `--queue-ttl must be a duration such as 90s, 30m, 24h or 7d, got '${text}'`,
          "hooktap relay --help",
        ),
      );
    },
  );
});
