import { describe, expect, it } from "vitest";
import { allowedHosts, isAllowedHost } from "./host-check.js";
import { Router } from "./router.js";

const ok = () => ({ status: 200, body: null });

describe("Router", () => {
  const router = new Router()
    .get("/api/tunnels", ok)
    .get("/api/tunnels/:name", ok)
    .add("DELETE", "/api/tunnels/:name", ok);

  it("matches static and parameter routes, ignoring a trailing slash", () => {
    expect(router.match("GET", "/api/tunnels/").kind).toBe("found");
    expect(router.match("get", "/api/tunnels/a%2Fb")).toMatchObject({
      kind: "found",
      params: { name: "a/b" },
    });
  });

  it("tells 405 (with the allowed methods) from 404", () => {
    expect(router.match("POST", "/api/tunnels/x")).toEqual({
      kind: "method_not_allowed",
      allow: ["DELETE", "GET", "HEAD"],
    });
    expect(router.match("GET", "/api/tunnels/x/y")).toEqual({ kind: "not_found" });
    expect(router.match("GET", "/api/tunnels/%E0%A4%A")).toEqual({ kind: "not_found" });
  });

  it("answers HEAD with GET routes", () => {
    expect(router.match("HEAD", "/api/tunnels").kind).toBe("found");
  });
});

describe("host check", () => {
  it("allows loopback names with the port, plus a specific bound address", () => {
    expect(allowedHosts("127.0.0.1", 4040)).toEqual([
      "127.0.0.1:4040",
      "localhost:4040",
      "[::1]:4040",
    ]);
    expect(allowedHosts("192.168.1.5", 4040)).toContain("192.168.1.5:4040");
    expect(allowedHosts("0.0.0.0", 4040)).toHaveLength(3);
    expect(allowedHosts("::1", 80)).toContain("localhost");
  });

  it("compares case-insensitively and refuses a missing Host", () => {
    const allowed = allowedHosts("127.0.0.1", 4040);
    expect(isAllowedHost("LocalHost:4040", allowed)).toBe(true);
    expect(isAllowedHost(undefined, allowed)).toBe(false);
    expect(isAllowedHost("localhost:4041", allowed)).toBe(false);
  });
});
