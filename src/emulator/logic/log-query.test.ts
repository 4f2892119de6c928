import { describe, expect, it } from "vitest";
import { buildLogEvent } from "../../okta/index.js";
import { compileLogQuery, LogQueryError, matchesLogQuery } from "./log-query.js";

const event = buildLogEvent("user.lifecycle.deactivate", {
  target: [{ type: "User", alternateId: "john.doe@example.com", displayName: "John Doe" }],
  client: { ipAddress: "203.0.113.24" },
  debugContext: { debugData: { requestId: "X7LBsMxeqO-ADcGcmp0WGQAAB@g" } },
});

describe("matchesLogQuery", () => {
  it("matches whole keywords, case-insensitively, all of them", () => {
    expect(matchesLogQuery(event, "doe")).toBe(true);
    expect(matchesLogQuery(event, "DOE john")).toBe(true);
    expect(matchesLogQuery(event, "john.doe@example.com")).toBe(true);
    expect(matchesLogQuery(event, "user.lifecycle.deactivate 203.0.113.24")).toBe(true);
    expect(matchesLogQuery(event, "do")).toBe(false);
    expect(matchesLogQuery(event, "doe smith")).toBe(false);
  });

  it("matches the parts of a hyphenated value", () => {
    expect(matchesLogQuery(event, "X7LBsMxeqO")).toBe(true);
    expect(matchesLogQuery(event, "ADcGcmp0WGQAAB@g")).toBe(true);
  });

  it("matches everything when blank", () => {
    expect(matchesLogQuery(event, "   ")).toBe(true);
  });

  it("refuses more than 10 keywords or one longer than 40 characters, as Okta does", () => {
    expect(() => compileLogQuery("a b c d e f g h i j k")).toThrow(LogQueryError);
    expect(() => compileLogQuery("x".repeat(41))).toThrow(
      "Freeform search cannot contain items longer than 40 characters",
    );
    expect(() => compileLogQuery("x".repeat(40))).not.toThrow();
  });
});
