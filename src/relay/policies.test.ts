import { describe, expect, it } from "vitest";
import { challengeOf, declaredLength, hasRequiredHeader, pairHeaders } from "./policies.js";

const REQUIRED = { name: "Authorization", value: "Basic YWRtaW46c3VwZXJzZWNyZXQ=" };

describe("hasRequiredHeader", () => {
  it("accepts exactly one header with exactly the value, whatever the name's case", () => {
    expect(hasRequiredHeader([["authorization", REQUIRED.value]], REQUIRED)).toBe(true);
    expect(
      hasRequiredHeader(
        [
          ["X-Other", "1"],
          ["AUTHORIZATION", REQUIRED.value],
        ],
        REQUIRED,
      ),
    ).toBe(true);
  });

  it("refuses a missing, different, prefixed, longer, shorter, differently cased or repeated value", () => {
    const values = [
      "",
      "Basic",
      REQUIRED.value.toLowerCase(),
      `${REQUIRED.value} `,
      REQUIRED.value.slice(0, -1),
      `x${REQUIRED.value}`,
    ];
    for (const value of values)
      expect(hasRequiredHeader([["Authorization", value]], REQUIRED)).toBe(false);
    expect(hasRequiredHeader([], REQUIRED)).toBe(false);
    const twice: [string, string][] = [
      ["Authorization", REQUIRED.value],
      ["authorization", REQUIRED.value],
    ];
    expect(hasRequiredHeader(twice, REQUIRED)).toBe(false);
  });

  it("compares the received bytes: latin1 values match only themselves", () => {
    const required = { name: "X-Key", value: "caf\u00e9" };
    expect(hasRequiredHeader([["x-key", "caf\u00e9"]], required)).toBe(true);
    expect(hasRequiredHeader([["x-key", "cafe"]], required)).toBe(false);
  });
});

describe("challengeOf", () => {
  it("finds Okta's challenge on a GET only, any header case, first value", () => {
    expect(challengeOf("GET", [["X-Okta-Verification-Challenge", "abc"]])).toBe("abc");
    expect(
      challengeOf("GET", [
        ["x-okta-verification-challenge", "a"],
        ["x-okta-verification-challenge", "b"],
      ]),
    ).toBe("a");
    expect(challengeOf("POST", [["x-okta-verification-challenge", "abc"]])).toBeNull();
    expect(challengeOf("GET", [["x-okta-verification", "abc"]])).toBeNull();
  });
});

describe("declaredLength", () => {
  it("reads Content-Length, or null without one", () => {
    expect(declaredLength([["content-length", "42"]])).toBe(42);
    expect(declaredLength([["Content-Length", "0"]])).toBe(0);
    expect(declaredLength([["Transfer-Encoding", "chunked"]])).toBeNull();
  });
});

describe("pairHeaders", () => {
  it("pairs Node's flat rawHeaders, order, case and repeats kept", () => {
    expect(pairHeaders(["Host", "a", "X-A", "1", "x-a", "2"])).toEqual([
      ["Host", "a"],
      ["X-A", "1"],
      ["x-a", "2"],
    ]);
  });
});
