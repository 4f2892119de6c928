import { describe, expect, it } from "vitest";
import { isLocalHost, uriProblem } from "./uri-rules.js";

describe("uriProblem", () => {
  it.each([
    "https://example.com/hooks",
    "https://example.com:8443/a?b=c",
    "http://127.0.0.1:3000/hooks",
    "http://localhost/hooks",
    "http://api.localhost/hooks",
    "http://10.0.0.1/h",
    "http://172.16.0.1/h",
    "http://172.31.255.255/h",
    "http://192.168.0.10/h",
    "http://169.254.1.1/h",
    "http://[::1]:8080/h",
    "http://[fd12:3456::1]/h",
    "http://[fe80::1]/h",
    "http://[::ffff:127.0.0.1]/h",
  ])("accepts %s", (uri) => {
    expect(uriProblem(uri, { requireHttps: false })).toBeUndefined();
  });

  it.each([
    ["", /cannot be left blank/],
    ["http://example.com/h", /must use https:\/\//],
    ["http://172.32.0.1/h", /loopback and private/],
    ["http://11.0.0.1/h", /loopback and private/],
    ["http://[2001:db8::1]/h", /loopback and private/],
    ["http://[::ffff:8.8.8.8]/h", /loopback and private/],
    ["http://localhost.example.com/h", /loopback and private/],
    ["ws://127.0.0.1/h", /got ws:\/\//],
    ["file:///etc/passwd", /got file:\/\//],
    ["https://exa mple.com", /white space/],
    ["//example.com/h", /not a valid URL/],
    [`https://example.com/${"x".repeat(1005)}`, /at most 1024/],
    ["https://user:pass@example.com/h", /credentials/],
  ])("refuses %j", (uri, problem) => {
    expect(uriProblem(uri, { requireHttps: false })).toMatch(problem);
  });

  it("with requireHttps refuses http:// even on loopback", () => {
    expect(uriProblem("http://127.0.0.1:3000/h", { requireHttps: true })).toMatch(/requires HTTPS/);
    expect(uriProblem("https://127.0.0.1:3000/h", { requireHttps: true })).toBeUndefined();
  });

  it("knows loopback and private names", () => {
    expect(isLocalHost("LOCALHOST")).toBe(true);
    expect(isLocalHost("[::1]")).toBe(true);
    expect(isLocalHost("example.com")).toBe(false);
  });
});
