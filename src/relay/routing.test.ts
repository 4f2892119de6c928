import { describe, expect, it } from "vitest";
import { parseHost, type RouteInput, routeRequest } from "./routing.js";

const route = (
  target: string,
  host: string | null = "relay.example",
  domain: string | null = null,
) =>
  routeRequest({
    rawHeaders: host === null ? [] : [["Host", host]],
    target,
    domain,
  } satisfies RouteInput);

describe("parseHost", () => {
  it.each([
    ["relay.example", { hostname: "relay.example", port: null }],
    ["Relay.Example:8080", { hostname: "relay.example", port: 8080 }],
    ["relay.example.", { hostname: "relay.example", port: null }],
    ["localhost", { hostname: "localhost", port: null }],
    ["127.0.0.1:0", { hostname: "127.0.0.1", port: 0 }],
    ["[::1]:443", { hostname: "[::1]", port: 443 }],
    ["[2001:db8::7]", { hostname: "[2001:db8::7]", port: null }],
  ])("parses %s", (value, expected) => {
    expect(parseHost(value)).toEqual(expected);
  });

  it.each([
    "",
    "under_score.example",
    "a..b",
    "-a.example",
    "a-.example",
    "relay.example:",
    "relay.example:65536",
    "relay.example:8o",
    "relay.example/path",
    "user@relay.example",
    "[::1",
    "::1",
    "relay example",
    `${"a".repeat(64)}.example`,
  ])("refuses %j", (value) => {
    expect(parseHost(value)).toBeNull();
  });
});

describe("routeRequest", () => {
  it.each([
    ["/okta-dev/userCreated?x=1", "/userCreated?x=1"],
    ["/okta-dev", "/"],
    ["/okta-dev/", "/"],
    ["/okta-dev?x=%20&y", "/?x=%20&y"],
    ["/okta-dev//double", "//double"],
    ["/a/b/c", "/b/c"],
  ])("routes %s by path to %s", (target, stripped) => {
    const name = target.slice(1).split(/[/?]/)[0];
    expect(route(target)).toEqual({ kind: "endpoint", name, target: stripped, by: "path" });
  });

  it("sends the agent path to the gateway on any well-formed host, query or not", () => {
    expect(route("/_hooktap/agent")).toEqual({ kind: "agent" });
    expect(route("/_hooktap/agent?v=1", "elsewhere.example", "relay.example")).toEqual({
      kind: "agent",
    });
    expect(route("/_hooktap/agent/x").kind).toBe("error");
  });

  it("refuses hosts: none, several, malformed", () => {
    expect(route("/a", null)).toMatchObject({ code: "bad_host" });
    expect(
      routeRequest({
        rawHeaders: [
          ["Host", "a.example"],
          ["host", "a.example"],
        ],
        target: "/a",
        domain: null,
      }),
    ).toMatchObject({ code: "bad_host" });
    expect(route("/a", "bad host")).toMatchObject({ code: "bad_host" });
  });

  it("refuses targets that are not paths", () => {
    expect(route("http://relay.example/a")).toMatchObject({ code: "bad_request" });
    expect(route("*")).toMatchObject({ code: "bad_request" });
    expect(route("relay.example:443")).toMatchObject({ code: "bad_request" });
  });

  it("answers unknown_endpoint for the root and for names that cannot be endpoints, without echoing them", () => {
    expect(route("/")).toMatchObject({ code: "unknown_endpoint" });
    expect(route("/?x=1")).toMatchObject({ code: "unknown_endpoint" });
    for (const bad of ["/Okta", "/_hooktap", "/%41", "/a_b/x", `/${"a".repeat(64)}`]) {
      const result = route(bad);
      expect(result).toMatchObject({ kind: "error", code: "unknown_endpoint" });
      expect(JSON.stringify(result)).not.toContain(bad.slice(1));
    }
  });

  describe("with a domain", () => {
    const domain = "relay.example.com";
    it("routes <name>.<domain> by subdomain, the target untouched, whatever the case and port", () => {
      expect(route("/okta-dev/x?y", "OKTA-DEV.relay.example.com:8443", domain)).toEqual({
        kind: "endpoint",
        name: "okta-dev",
        target: "/okta-dev/x?y",
        by: "subdomain",
      });
    });

    it("routes the domain itself by path", () => {
      expect(route("/okta-dev/x", "relay.example.com", domain)).toMatchObject({
        name: "okta-dev",
        target: "/x",
      });
    });

    it("refuses any other host", () => {
      for (const host of [
        "evil.example",
        "relay.example.com.evil",
        "a.b.relay.example.com",
        "xrelay.example.com",
        "-x.relay.example.com",
        "127.0.0.1",
      ]) {
        expect(route("/okta-dev/x", host, domain)).toMatchObject({ code: "bad_host" });
      }
    });
  });
});
