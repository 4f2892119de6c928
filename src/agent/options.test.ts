import { describe, expect, it } from "vitest";
import { AgentError } from "./errors.js";
import { DEFAULT_EDGE_POLICY, parseUpstream, resolveAgentOptions } from "./options.js";
import type { AgentOptions } from "./types.js";

const valid: AgentOptions = {
  relayUrl: "ws://127.0.0.1:8080/_hooktap/agent",
  token: "htk_x",
  endpoint: "local",
  upstream: "http://127.0.0.1:3000",
};

function fieldOf(options: AgentOptions): string | undefined {
  try {
    resolveAgentOptions(options);
  } catch (error) {
    expect(error).toBeInstanceOf(AgentError);
    return (error as AgentError).field;
  }
  return undefined;
}

describe("resolveAgentOptions", () => {
  it("applies the defaults", () => {
    const o = resolveAgentOptions(valid);
    expect(o.policy).toEqual(DEFAULT_EDGE_POLICY);
    expect([o.minDelayMs, o.maxDelayMs, o.heartbeatTimeoutMs]).toEqual([250, 30_000, 30_000]);
    expect([o.upstreamTimeoutMs, o.hostHeader, o.verifyUpstreamTls]).toEqual([
      null,
      "preserve",
      false,
    ]);
    expect(o.upstreamKeepAliveMs).toBe(4000);
  });

  it("merges a partial policy", () => {
    const o = resolveAgentOptions({ ...valid, policy: { queue: "always" } });
    expect(o.policy).toEqual({ ...DEFAULT_EDGE_POLICY, queue: "always" });
  });

  it.each<[string, Partial<AgentOptions>]>([
    ["relayUrl", { relayUrl: "http://relay" }],
    ["relayUrl", { relayUrl: "not a url" }],
    ["token", { token: "" }],
    ["endpoint", { endpoint: "Has_Upper" }],
    ["endpoint", { endpoint: "-lead" }],
    ["upstream", { upstream: "ftp://x" }],
    ["upstream", { upstream: "http://u:p@x" }],
    ["upstream", { upstream: "http://x/?q=1" }],
    ["policy.queue", { policy: { queue: "sometimes" as "never" } }],
    ["policy.requireHeader.name", { policy: { requireHeader: { name: "Bad Name", value: "v" } } }],
    ["policy.requireHeader.value", { policy: { requireHeader: { name: "A", value: "a\r\nb" } } }],
    // What the relay would refuse in the hello: any control character but HTAB.
    ["policy.requireHeader.value", { policy: { requireHeader: { name: "A", value: "a\u0001b" } } }],
    ["reconnect.maxDelayMs", { reconnect: { minDelayMs: 100, maxDelayMs: 10 } }],
    ["heartbeatTimeoutMs", { heartbeatTimeoutMs: 0 }],
    ["upstreamTimeoutMs", { upstreamTimeoutMs: -1 }],
    ["hostHeader", { hostHeader: "keep" as "preserve" }],
    ["upstreamKeepAliveMs", { upstreamKeepAliveMs: -1 }],
    ["upstreamKeepAliveMs", { upstreamKeepAliveMs: 1.5 }],
  ])("rejects a bad %s", (field, override) => {
    expect(fieldOf({ ...valid, ...override })).toBe(field);
  });

  it("takes connect instead of relayUrl, and refuses both, neither, or a connect that is no function", () => {
    const { relayUrl: _, ...rest } = valid;
    const connect = (): never => {
      throw new Error("not called while resolving");
    };
    const o = resolveAgentOptions({ ...rest, connect });
    expect([o.relayUrl, o.connect]).toEqual([null, connect]);
    expect(resolveAgentOptions(valid).connect).toBeNull();
    expect(fieldOf({ ...valid, connect })).toBe("relayUrl");
    expect(fieldOf(rest)).toBe("relayUrl");
    expect(fieldOf({ ...rest, connect: "ws://x" as unknown as () => never })).toBe("connect");
  });
});

describe("parseUpstream", () => {
  it("takes a URL apart for http.request", () => {
    expect(parseUpstream("https://[::1]:8443/api/")).toMatchObject({
      protocol: "https:",
      hostname: "::1",
      port: 8443,
      host: "[::1]:8443",
      basePath: "/api",
      href: "https://[::1]:8443/api",
      loopback: true,
    });
    expect(parseUpstream("http://example.com")).toMatchObject({
      port: 80,
      basePath: "",
      loopback: false,
    });
  });
});
