import { describe, expect, it } from "vitest";
import { findJsonSyntaxError } from "./json-syntax.js";

describe("findJsonSyntaxError", () => {
  it.each([
    "{}",
    "[]",
    ' {"a": [1, -2.5e+3, true, false, null, "x\\n\\u00e9\\"", {}]} ',
    '"just a string"',
    "0",
  ])("finds nothing wrong in valid JSON: %s", (text) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(findJsonSyntaxError(text)).toBeNull();
  });

  it.each([
    ["", 1, 1, "a value", "end of input"],
    ['{"a":}', 1, 6, "a value", '"}"'],
    ['{"a":1', 1, 7, "',' or '}'", "end of input"],
    ["[1,]", 1, 4, "a value", '"]"'],
    ["{x}", 1, 2, "a property name in double quotes", '"x"'],
    ['{\n  "a": 1,\n  "b" 2\n}', 3, 7, "':'", '"2"'],
    ["[1] [2]", 1, 5, "end of input", '"["'],
    ['"tab\there"', 1, 5, "a closed string (no raw control characters, valid escapes)", '"\\t"'],
    ['"\\x"', 1, 2, "a closed string (no raw control characters, valid escapes)", '"\\\\"'],
    ["01", 1, 2, "end of input", '"1"'],
    ["-", 1, 1, "a number", '"-"'],
    ["tru", 1, 1, "a value", '"t"'],
    ["<html>", 1, 1, "a value", '"<"'],
  ])("locates the error in %j at %i:%i", (text, line, column, expected, found) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(findJsonSyntaxError(text)).toEqual({ line, column, expected, found });
  });

  it("scans hostile nesting without recursion", () => {
    const deep = "[".repeat(1_000_000);
    expect(findJsonSyntaxError(deep)).toEqual({
      line: 1,
      column: 1_000_001,
      expected: "a value",
      found: "end of input",
    });
  });
});
