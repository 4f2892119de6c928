import { describe, expect, it } from "vitest";
import { type UpstreamHeaderInput, upstreamHeaders, withoutHopByHop } from "./forward-headers.js";

const base: UpstreamHeaderInput = {
  rawHeaders: [],
  remoteAddress: "203.0.113.7",
  scheme: "https",
  hostHeader: "preserve",
  upstreamHost: "127.0.0.1:3000",
};

describe("upstreamHeaders", () => {
  it("keeps every other line as received and appends the proxy headers", () => {
    expect(
      upstreamHeaders({
        ...base,
        rawHeaders: [
          ["Host", "relay.example"],
          ["x-b", "2"],
          ["X-A", "1"],
          ["x-a", "1 again"],
        ],
      }),
    ).toEqual([
      "Host",
      "relay.example",
      "x-b",
      "2",
      "X-A",
      "1",
      "x-a",
      "1 again",
      "X-Forwarded-For",
      "203.0.113.7",
      "X-Forwarded-Proto",
      "https",
      "X-Forwarded-Host",
      "relay.example",
    ]);
  });

  it("appends to the last X-Forwarded-For line where it stands, keeping its case", () => {
    const out = upstreamHeaders({
      ...base,
      rawHeaders: [
        ["X-Forwarded-For", "10.0.0.1"],
        ["Host", "h"],
        ["x-FORWARDED-for", "10.0.0.2"],
      ],
    });
    expect(out.slice(0, 6)).toEqual([
      "X-Forwarded-For",
      "10.0.0.1",
      "Host",
      "h",
      "x-FORWARDED-for",
      "10.0.0.2, 203.0.113.7",
    ]);
  });

  it("replaces spoofed X-Forwarded-Proto/-Host values and drops their repeats", () => {
    const out = upstreamHeaders({
      ...base,
      scheme: "http",
      rawHeaders: [
        ["x-forwarded-proto", "https"],
        ["Host", "real.example"],
        ["X-Forwarded-Host", "evil.example"],
        ["X-Forwarded-Host", "evil2.example"],
      ],
    });
    expect(out).toEqual([
      "x-forwarded-proto",
      "http",
      "Host",
      "real.example",
      "X-Forwarded-Host",
      "real.example",
      "X-Forwarded-For",
      "203.0.113.7",
    ]);
  });

  it("rewrite sets the Host value in place; a missing Host gets the upstream's", () => {
    const rewritten = upstreamHeaders({
      ...base,
      hostHeader: "rewrite",
      rawHeaders: [
        ["A", "1"],
        ["host", "relay.example"],
      ],
    });
    expect(rewritten.slice(0, 4)).toEqual(["A", "1", "host", "127.0.0.1:3000"]);
    expect(rewritten.slice(-2)).toEqual(["X-Forwarded-Host", "relay.example"]);
    const hostless = upstreamHeaders({ ...base, rawHeaders: [["A", "1"]] });
    expect(hostless.slice(0, 4)).toEqual(["A", "1", "Host", "127.0.0.1:3000"]);
    expect(hostless).not.toContain("X-Forwarded-Host");
  });

  it("does not mutate its input", () => {
    const rawHeaders: [string, string][] = [["X-Forwarded-For", "1.1.1.1"]];
    upstreamHeaders({ ...base, rawHeaders });
    expect(rawHeaders).toEqual([["X-Forwarded-For", "1.1.1.1"]]);
  });
});

describe("withoutHopByHop", () => {
  it("drops Connection, the fields it names and the fixed hop-by-hop set, keeping framing", () => {
    expect(
      withoutHopByHop([
        ["Connection", "keep-alive, X-Hop, Content-Length"],
        ["X-Hop", "1"],
        ["Keep-Alive", "timeout=5"],
        ["Content-Length", "2"],
        ["Upgrade", "websocket"],
        ["TE", "trailers"],
        ["Proxy-Connection", "keep-alive"],
        ["X-App", "2"],
      ]),
    ).toEqual([
      ["Content-Length", "2"],
      ["X-App", "2"],
    ]);
  });

  it("returns the same pairs when there is nothing to drop", () => {
    const pairs: [string, string][] = [["A", "1"]];
    expect(withoutHopByHop(pairs)).toBe(pairs);
  });

  it("the request to the app goes without the client's hop-by-hop fields", () => {
    const out = upstreamHeaders({
      ...base,
      rawHeaders: [
        ["Host", "h"],
        ["Connection", "keep-alive"],
        ["Transfer-Encoding", "chunked"],
      ],
    });
    expect(out.slice(0, 4)).toEqual(["Host", "h", "Transfer-Encoding", "chunked"]);
  });
});
