import { describe, expect, it } from "vitest";
import { isHttpFieldValue, isHttpToken } from "./token.js";

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

describe("isHttpFieldValue", () => {
  it("accepts what Node writes as a header value: HTAB, SP, visible ASCII, obs-text, or nothing", () => {
    for (const value of ["", "Basic c2VjcmV0", "a\tb c", "~!@#$%^&*()", "caf\u00e9", "\u00ff"]) {
      expect(isHttpFieldValue(value), JSON.stringify(value)).toBe(true);
    }
  });

  it("refuses CR, LF, NUL, other controls, DEL, characters above U+00FF and non-strings", () => {
    for (const value of ["a\rb", "a\nb", "a\0b", "a\u0001b", "a\u007fb", "\u0100", "€", 7, null]) {
      expect(isHttpFieldValue(value), JSON.stringify(value)).toBe(false);
    }
  });
});
