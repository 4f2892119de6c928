import { describe, expect, it } from "vitest";
import { allowedHosts, isAllowedHost } from "./host-check.js";

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
