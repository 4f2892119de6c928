import { describe, expect, it } from "vitest";
import { declaredLength, headersFromRawPairs, normalizeHeaders } from "./headers.js";

describe("headersFromRawPairs", () => {
  it("lower-cases names and keeps every repeat", () => {
    expect(
      headersFromRawPairs([
        "Authorization",
        "a",
        "Accept",
        "*/*",
        "authorization",
        "b",
        "X-A",
        "1",
      ]),
    ).toEqual({ authorization: ["a", "b"], accept: "*/*", "x-a": "1" });
  });
});

describe("normalizeHeaders", () => {
  it("returns lower-case maps as they are", () => {
    const headers = { authorization: "a" };
    expect(normalizeHeaders(headers)).toBe(headers);
  });

  it("lower-cases names, merging case variants", () => {
    expect(normalizeHeaders({ Authorization: "a", authorization: "b", Accept: undefined })).toEqual(
      {
        authorization: ["a", "b"],
      },
    );
  });
});

describe("declaredLength", () => {
  it.each([
    ["1150", 1150],
    ["0", 0],
    [undefined, undefined],
    ["-1", undefined],
    ["12abc", undefined],
    ["99999999999999999999", undefined],
  ])("reads %s as %s", (value, expected) => {
    expect(declaredLength(value === undefined ? {} : { "content-length": value })).toBe(expected);
  });
});
