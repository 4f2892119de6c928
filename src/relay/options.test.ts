import { describe, expect, it } from "vitest";
import { DEFAULT_EDGE_POLICY, relayUrls, resolveRelayOptions } from "./options.js";
import type { RelayStore } from "./store/index.js";

const store = {} as RelayStore;

describe("resolveRelayOptions", () => {
  it("applies the documented defaults", () => {
    const resolved = resolveRelayOptions({ store });
    expect(resolved).toMatchObject({
      port: 8080,
      host: "0.0.0.0",
      domain: null,
      tls: null,
      publicUrl: null,
      heartbeatMs: 10_000,
      helloTimeoutMs: 10_000,
      queueTtlMs: 24 * 60 * 60 * 1000,
      keepDeliveredMs: 7 * 24 * 60 * 60 * 1000,
      deliveryTimeoutMs: 30_000,
      maxConcurrentStreams: 256,
      storeWatchMs: 2000,
    });
    expect(resolved.defaultPolicy).toEqual({
      oktaChallenge: "app",
      requireHeader: null,
      maxBodyBytes: 10 * 1024 * 1024,
      queue: "offline",
    });
    expect(DEFAULT_EDGE_POLICY.maxBodyBytes).toBe(10 * 1024 * 1024);
    const delay = resolved.retryDelayMs(1);
    expect(delay).toBeGreaterThanOrEqual(800);
    expect(delay).toBeLessThanOrEqual(1200);
  });

  it.each([
    [{ port: 70_000 }, /port must be an integer from 0 to 65535/],
    [{ port: 1.5 }, /port must be an integer/],
    [{ host: " " }, /host must not be empty/],
    [{ domain: "localhost" }, /domain must be a lower-case host name/],
    [{ domain: "Relay.Example.com" }, /domain must be a lower-case host name/],
    [{ heartbeatMs: 0 }, /heartbeatMs must be a positive integer/],
    [{ helloTimeoutMs: -1 }, /helloTimeoutMs must be a positive integer/],
    [{ storeWatchMs: 0 }, /storeWatchMs must be a positive integer/],
    [{ queueTtlMs: 0 }, /queueTtlMs must be a positive integer/],
    [{ keepDeliveredMs: 0 }, /keepDeliveredMs must be a positive integer/],
    [{ keepDeliveredMs: 1.5 }, /keepDeliveredMs must be a positive integer/],
    [{ publicUrl: "relay.example.com" }, /publicUrl must be an absolute http\(s\) URL/],
    [{ publicUrl: "ftp://relay.example.com" }, /publicUrl must be an http or https URL/],
    [{ publicUrl: "https://relay.example.com/base" }, /publicUrl must be an origin without a path/],
    [{ tls: { cert: "x", key: "" } }, /tls needs both cert and key/],
  ])("refuses %j", (options, message) => {
    expect(() => resolveRelayOptions({ store, ...options })).toThrow(message);
  });

  it("refuses a missing store", () => {
    expect(() => resolveRelayOptions({} as { store: RelayStore })).toThrow(/store is required/);
  });
});

describe("relayUrls", () => {
  it("advertises loopback when bound to every interface", () => {
    const urls = relayUrls(resolveRelayOptions({ store }), 8080);
    expect(urls.url).toBe("http://127.0.0.1:8080");
    expect(urls.agentUrl).toBe("ws://127.0.0.1:8080/_hooktap/agent");
    expect(urls.endpointUrls("okta-dev")).toEqual(["http://127.0.0.1:8080/okta-dev"]);
  });

  it("uses the domain, https/wss with TLS, and leaves out the default port", () => {
    const resolved = resolveRelayOptions({
      store,
      domain: "relay.example.com",
      tls: { cert: "c", key: "k" },
    });
    const urls = relayUrls(resolved, 443);
    expect(urls.url).toBe("https://relay.example.com");
    expect(urls.agentUrl).toBe("wss://relay.example.com/_hooktap/agent");
    expect(urls.endpointUrls("okta-dev")).toEqual([
      "https://relay.example.com/okta-dev",
      "https://okta-dev.relay.example.com",
    ]);
  });

  it("prefers publicUrl, keeping its port for subdomain URLs", () => {
    const resolved = resolveRelayOptions({
      store,
      domain: "relay.test",
      publicUrl: "https://relay.test:8443/",
    });
    const urls = relayUrls(resolved, 8080);
    expect(urls.url).toBe("https://relay.test:8443");
    expect(urls.agentUrl).toBe("wss://relay.test:8443/_hooktap/agent");
    expect(urls.endpointUrls("a")).toEqual([
      "https://relay.test:8443/a",
      "https://a.relay.test:8443",
    ]);
  });

  it("brackets an IPv6 host", () => {
    expect(relayUrls(resolveRelayOptions({ store, host: "::1" }), 80).url).toBe("http://[::1]");
  });
});
