import { describe, expect, it } from "vitest";
import type { AgentExchange, AgentStats } from "../agent/index.js";
import { formatExchange, formatMs, type PanelView, renderPanel, stateText } from "./http-panel.js";

const STATS: AgentStats = {
  total: 12,
  open: 1,
  byStatus: { "2xx": 10, "3xx": 0, "4xx": 1, "5xx": 0, error: 0 },
  p50Ms: 12.4,
  p90Ms: 40,
  p95Ms: 50,
  p99Ms: 99,
  rate1: 0.2,
  rate5: 0.04,
  rate15: 0.01,
};

function exchange(over: Partial<AgentExchange> = {}): AgentExchange {
  return {
    id: "01J",
    origin: "live",
    method: "POST",
    target: "/userCreated",
    status: 200,
    error: null,
    durationMs: 12,
    receivedAt: 0,
    queueId: null,
    edgeReason: null,
    ...over,
  };
}

const VIEW: PanelView = {
  version: "0.1.0",
  state: "online",
  reason: null,
  retryInMs: null,
  publicUrls: ["http://127.0.0.1:8080/local"],
  upstream: "http://localhost:3000",
  inspectorUrl: "http://127.0.0.1:4040",
  relay: "embedded, http://127.0.0.1:8080",
  stats: STATS,
  recent: [
    exchange(),
    exchange({
      method: "GET",
      status: 200,
      origin: "edge",
      edgeReason: "challenge",
      durationMs: 1,
    }),
    exchange({ status: 502, error: { code: "upstream_unreachable", message: "x" }, durationMs: 3 }),
  ],
  notice: null,
};

describe("renderPanel", () => {
  it("draws the ngrok-like panel", () => {
    expect(renderPanel(VIEW, { width: 120, color: false })).toBe(
      [
        "hooktap                                                         (Ctrl+C to quit)",
        "",
        "Session Status                online",
        "Version                       0.1.0",
        "Relay                         embedded, http://127.0.0.1:8080",
        "Web Interface                 http://127.0.0.1:4040",
        "Forwarding                    http://127.0.0.1:8080/local -> http://localhost:3000",
        "",
        "Connections                   ttl      opn      rt1      rt5      p50      p90      ",
        "                              12       1        0.20     0.04     12 ms    40 ms    ",
        "",
        "HTTP Requests",
        "-------------",
        "",
        "POST /userCreated                        200 OK                      12 ms",
        "GET /userCreated                         200 OK                       1 ms  [edge: challenge]",
        "POST /userCreated                        502 upstream_unreachable     3 ms",
      ].join("\n"),
    );
  });

  it("says why it is reconnecting, in colour, and cuts lines to the width", () => {
    const offline: PanelView = {
      ...VIEW,
      state: "offline",
      reason: "connect ECONNREFUSED 127.0.0.1:8080",
      retryInMs: 1234,
      recent: [],
    };
    const wide = renderPanel(offline, { width: 120, color: true });
    expect(wide.split("\n")[2]).toBe(
      "Session Status                \u001b[31mreconnecting in 1.2 s (connect ECONNREFUSED 127.0.0.1:8080)\u001b[0m",
    );
    const narrow = renderPanel(offline, { width: 60, color: true });
    expect(narrow.split("\n")[2]).toBe(
      "Session Status                reconnecting in 1.2 s (connec…",
    );
    for (const line of narrow.split("\n")) expect(line.length).toBeLessThanOrEqual(60);
  });

  it("shows a waiting forwarding line, a disabled inspector, a notice, at most 10 requests", () => {
    const panel = renderPanel(
      {
        ...VIEW,
        state: "connecting",
        publicUrls: [],
        inspectorUrl: null,
        notice: "capture insert failed: disk full",
        recent: Array.from({ length: 15 }, () => exchange()),
      },
      { width: 120, color: false },
    );
    expect(panel).toContain(
      "Forwarding                    (waiting for the relay) -> http://localhost:3000",
    );
    expect(panel).toContain("Web Interface                 disabled (--no-inspect)");
    expect(panel.endsWith("! capture insert failed: disk full")).toBe(true);
    expect(panel.split("\n").filter((line) => line.startsWith("POST "))).toHaveLength(10);
  });
});

describe("lines", () => {
  it("state phrases", () => {
    expect(stateText({ state: "online", reason: null, retryInMs: null })).toBe("online");
    expect(
      stateText({
        state: "closed",
        reason: "relay closed the connection: bad_token",
        retryInMs: null,
      }),
    ).toBe("closed (relay closed the connection: bad_token)");
  });

  it("exchanges: a reset has no status, queued ones are tagged", () => {
    expect(
      formatExchange(exchange({ status: null, error: { code: "aborted", message: "gone" } })),
    ).toMatch(/^POST \/userCreated\s+-- aborted\s+12 ms$/);
    expect(formatExchange(exchange({ origin: "queued", queueId: "q1" }))).toMatch(
      /200 OK\s+12 ms {2}\[queued\]$/,
    );
    expect(formatExchange(exchange({ target: `/${"x".repeat(80)}` }), 20)).toMatch(
      /^POST \/x{13}… /,
    );
  });

  it("durations", () => {
    expect([formatMs(0.4), formatMs(999), formatMs(1250)]).toEqual(["0 ms", "999 ms", "1.25 s"]);
  });
});
