import { describe, expect, it } from "vitest";
import { httpCommand } from "./commands/http.js";
import { UsageError } from "./errors.js";
import { parseHttpArgs, parseListenAddress, parseTarget, relayUrl } from "./http-flags.js";

const parse = (args: string[], env: Record<string, string> = {}) =>
  parseHttpArgs(httpCommand, args, env);

function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("expected a UsageError");
}

describe("hooktap http flags", () => {
  it("defaults: embedded relay on 8080, inspector on 127.0.0.1:4040, pretty, preserve", () => {
    expect(parse(["3000"])).toEqual({
      upstream: "http://localhost:3000",
      relay: null,
      name: null,
      listenPort: 8080,
      inspect: { host: "127.0.0.1", port: 4040 },
      policy: {},
      dataDir: ".hooktap",
      log: "pretty",
      hostHeader: "preserve",
      upstreamTimeoutMs: null,
      capture: {},
    });
  });

  it("reads every flag, the positional anywhere among them", () => {
    const settings = parse([
      "--relay",
      "relay.example.com",
      "--token",
      "htk_x",
      "https://localhost:8443/api/",
      "--name",
      "okta-dev",
      "--no-inspect",
      "--okta-challenge",
      "edge",
      "--require-header",
      "Authorization: Basic abc:def",
      "--queue",
      "always",
      "--max-body",
      "200MB",
      "--host-header",
      "rewrite",
      "--upstream-timeout",
      "2500",
      "--data-dir",
      "/tmp/x",
      "--log",
      "json",
      "--retain-exchanges",
      "500",
      "--retain-size",
      "64MB",
      "--capture-body-limit",
      "0",
    ]);
    expect(settings).toEqual({
      upstream: "https://localhost:8443/api",
      relay: { url: "wss://relay.example.com/_hooktap/agent", token: "htk_x" },
      name: "okta-dev",
      listenPort: 8080,
      inspect: null,
      policy: {
        oktaChallenge: "edge",
        queue: "always",
        requireHeader: { name: "Authorization", value: "Basic abc:def" },
        maxBodyBytes: 200 * 1024 * 1024,
      },
      dataDir: "/tmp/x",
      log: "json",
      hostHeader: "rewrite",
      upstreamTimeoutMs: 2500,
      capture: { maxExchanges: 500, maxBytes: 64 * 1024 * 1024, bodyLimitBytes: 0 },
    });
  });

  it("takes the relay and token from the environment", () => {
    expect(
      parse(["3000"], { HOOKTAP_RELAY: "ws://127.0.0.1:9000", HOOKTAP_TOKEN: "t" }).relay,
    ).toEqual({
      url: "ws://127.0.0.1:9000/_hooktap/agent",
      token: "t",
    });
  });

  it.each<[string[], RegExp]>([
    [[], /missing <port\|url>/],
    [["3000", "4000"], /unexpected argument '4000'/],
    [["70000"], /<port> must be a port from 1 to 65535, got '70000'/],
    [["0"], /<port> must be a port from 1 to 65535/],
    [["ftp://x"], /must be http:\/\/ or https:\/\//],
    [["http://x/?a=1"], /no user, query or fragment/],
    [["3000", "--relay", "wss://r"], /--relay needs --token/],
    [["3000", "--token", "t"], /--token goes with --relay/],
    [
      ["3000", "--relay", "wss://r", "--token", "t", "--listen-port", "1"],
      /--listen-port is for the embedded relay/,
    ],
    [["3000", "--require-header", "Authorization"], /--require-header must be 'Name: value'/],
    [["3000", "--require-header", "Bad Name: v"], /--require-header must be 'Name: value'/],
    [["3000", "--require-header", "X-A:   "], /--require-header must be 'Name: value'/],
    [["3000", "--require-header", "X-A: a\u0007b"], /--require-header must be 'Name: value'/],
    [["3000", "--listen-port", "http"], /--listen-port must be a port from 0 to 65535/],
    [["3000", "--inspect-addr", "localhost"], /--inspect-addr must be host:port/],
    [["3000", "--inspect-addr", ":1", "--no-inspect"], /contradict/],
    [["3000", "--okta-challenge", "relay"], /--okta-challenge must be app or edge, got 'relay'/],
    [["3000", "--queue", "maybe"], /--queue must be offline or always or never/],
    [["3000", "--max-body", "10 parsecs"], /--max-body must be a size such as/],
    [["3000", "--max-body", "0"], /--max-body must be a size such as/],
    [["3000", "--log", "xml"], /--log must be pretty or json/],
    [["3000", "--host-header", "keep"], /--host-header must be preserve or rewrite/],
    [["3000", "--name", "My_Hooks"], /--name must be a lowercase DNS label/],
    [["3000", "--upstream-timeout", "0"], /--upstream-timeout must be a positive number/],
    [["3000", "--frob"], /unknown option '--frob' for 'hooktap http'/],
    [["3000", "--relay", "ftp://r", "--token", "t"], /--relay must be a ws\(s\):\/\/ URL/],
    [["3000", "--retain-exchanges", "0"], /--retain-exchanges must be a whole number .* got '0'/],
    [["3000", "--retain-exchanges", "1.5"], /--retain-exchanges must be a whole number/],
    [["3000", "--retain-exchanges=-3"], /--retain-exchanges must be a whole number/],
    [["3000", "--retain-exchanges", "lots"], /--retain-exchanges must be a whole number/],
    [["3000", "--retain-exchanges", "1e999"], /--retain-exchanges must be a whole number/],
    [["3000", "--retain-size", "0"], /--retain-size must be a size such as .* got '0'/],
    [["3000", "--retain-size", "500 MiB"], /--retain-size must be a size such as/],
    [["3000", "--capture-body-limit=-1"], /--capture-body-limit must be a size such as/],
    [["3000", "--capture-body-limit", "1tb"], /--capture-body-limit must be a size such as/],
  ])("%j is a usage error", (args, pattern) => {
    expect(usageMessage(() => parse(args))).toMatch(pattern);
  });
});

describe("parsers", () => {
  it.each([
    ["3000", "http://localhost:3000"],
    ["localhost:3000", "http://localhost:3000"],
    ["127.0.0.1:8081", "http://127.0.0.1:8081"],
    ["[::1]:3000", "http://[::1]:3000"],
    ["https://app.test", "https://app.test"],
    ["http://localhost:3000/", "http://localhost:3000"],
    ["http://localhost:3000/hooks/", "http://localhost:3000/hooks"],
  ])("target %s → %s", (text, url) => {
    expect(parseTarget(text)).toBe(url);
  });

  it.each([
    ["127.0.0.1:4040", { host: "127.0.0.1", port: 4040 }],
    [":0", { host: "127.0.0.1", port: 0 }],
    ["4041", { host: "127.0.0.1", port: 4041 }],
    ["[::1]:4040", { host: "::1", port: 4040 }],
    ["0.0.0.0:4040", { host: "0.0.0.0", port: 4040 }],
  ])("listen address %s", (text, address) => {
    expect(parseListenAddress(text)).toEqual(address);
  });

  it.each([
    ["wss://relay.example", "wss://relay.example/_hooktap/agent"],
    ["https://relay.example", "wss://relay.example/_hooktap/agent"],
    ["http://127.0.0.1:8080/", "ws://127.0.0.1:8080/_hooktap/agent"],
    ["ws://127.0.0.1:8080/custom/path", "ws://127.0.0.1:8080/custom/path"],
  ])("relay %s → %s", (text, url) => {
    expect(relayUrl(text)).toBe(url);
  });
});
