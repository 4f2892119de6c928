import { describe, expect, it } from "vitest";
import { isHttpToken } from "./token.js";

describe("isHttpToken", () => {
  it("accepts methods and header names made of RFC 9110 token characters", () => {
    for (const name of [
      "GET",
      "M-SEARCH",
      "X-Okta-Verification-Challenge",
      "a",
      "!#$%&'*+-.^_`|~09AZaz",
    ]) {
      expect(isHttpToken(name), name).toBe(true);
    }
  });

  it("refuses empty strings, separators, spaces, controls, non-ASCII and non-strings", () => {
    for (const value of [
      "",
      "Bad Name",
      "a:b",
      "a\r\nb",
      "x(y)",
      'a"b',
      "a/b",
      "é",
      "a\0",
      7,
      null,
      undefined,
    ]) {
      expect(isHttpToken(value), JSON.stringify(value)).toBe(false);
    }
  });
});
