import { describe, expect, it } from "vitest";
import { OktaApiError } from "../http/okta-api-error.js";
import { DEFAULT_WINDOW_MS, parseIsoDate, parseLogQuery, RETENTION_MS } from "./query.js";

const NOW = Date.parse("2026-03-01T12:00:00Z");

describe("parseIsoDate", () => {
  it.each([
    ["2017-05-03T16:22:18Z", "2017-05-03T16:22:18.000Z"],
    ["2017-05-03T16:22:18.5Z", "2017-05-03T16:22:18.500Z"],
    ["2017-05-03T16:22:18.123456Z", "2017-05-03T16:22:18.123Z"],
    ["2017-05-03T16:22:18+02:00", "2017-05-03T14:22:18.000Z"],
    ["2017-05-03T16:22:18-0130", "2017-05-03T17:52:18.000Z"],
    ["2017-05-03T16:22", "2017-05-03T16:22:00.000Z"],
    ["2017-05-03", "2017-05-03T00:00:00.000Z"],
    ["2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"],
  ])("reads %s (no zone is UTC)", (text, iso) => {
    expect(new Date(parseIsoDate(text) ?? Number.NaN).toISOString()).toBe(iso);
  });

  it.each([
    "yesterday",
    "Wed Jan 01 2025 00:00:00 GMT+0000 (Coordinated Universal Time)",
    "2025-13-01T00:00:00Z",
    "2025-02-29T00:00:00Z",
    "2025-04-31",
    "2025-01-01T25:00:00Z",
    "1735689600000",
    "",
  ])("refuses %j", (text) => {
    expect(parseIsoDate(text)).toBeUndefined();
  });
});

describe("parseLogQuery", () => {
  it("without until and ascending: polling from 7 days ago", () => {
    const query = parseLogQuery(new URLSearchParams(""), NOW);
    expect(query).toMatchObject({
      mode: "polling",
      order: "persisted",
      since: NOW - DEFAULT_WINDOW_MS,
      limit: 100,
    });
  });

  it("DESCENDING without until is bounded by now", () => {
    const query = parseLogQuery(new URLSearchParams("sortOrder=descending"), NOW);
    expect(query).toMatchObject({
      mode: "bounded",
      order: "descending",
      until: NOW,
      since: NOW - DEFAULT_WINDOW_MS,
    });
  });

  it("never reaches past the 90-day retention", () => {
    const since = new Date(NOW - 100 * 24 * 3600_000).toISOString();
    expect(parseLogQuery(new URLSearchParams(`since=${since}`), NOW).since).toBe(
      NOW - RETENTION_MS,
    );
  });

  it("reads a cursor and a limit of 0", () => {
    const query = parseLogQuery(new URLSearchParams("after=1627500044869_12&limit=0"), NOW);
    expect(query.after).toEqual({ at: 1627500044869, seq: 12 });
    expect(query.limit).toBe(0);
  });

  it.each(["limit=1.5", "limit=1e3", "after=12", "after=a_b", "sortOrder=", "until=now"])(
    "%s is an Okta error",
    (text) => {
      const parse = () => parseLogQuery(new URLSearchParams(text), NOW);
      if (text === "sortOrder=") expect(parse().mode).toBe("polling");
      else expect(parse).toThrow(OktaApiError);
    },
  );
});
