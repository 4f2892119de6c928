import { describe, expect, it } from "vitest";
import { buildDelivery, buildLogEvent, serializeDelivery } from "../okta/index.js";
import { body, makeExchange, sampleResponse, T0 } from "./exchange-samples.case.js";
import { type LintCode, lintExchange } from "./lint.js";
import type { CapturedResponse, Exchange } from "./types.js";

const DELIVERY = serializeDelivery(
  buildDelivery([buildLogEvent("user.lifecycle.create")], {
    hookId: "who8vt36qfNpCGz9H1e6",
    orgUrl: "https://dev-123456.okta.com",
  }),
);

function timing(ms: number | null): Exchange["timing"] {
  return {
    receivedAt: T0,
    forwardedAt: T0 + 1,
    firstByteAt: ms === null ? null : T0 + ms,
    doneAt: ms === null ? null : T0 + ms,
  };
}

/** A delivery POST answered with `status` after `ms` milliseconds. */
function deliveredTo(status: number | null, ms: number | null = 20): Exchange {
  const x = makeExchange({
    response: status === null ? null : sampleResponse({ status, body: body("") }),
    timing: timing(ms),
  });
  return { ...x, request: { ...x.request, method: "POST", body: body(DELIVERY) } };
}

const codes = (x: Exchange): LintCode[] => lintExchange(x).map((f) => f.code);

describe("lintExchange", () => {
  it("finds nothing in a delivery answered 200 or 204 within 3 s", () => {
    expect(lintExchange(deliveredTo(200))).toEqual([]);
    expect(lintExchange(deliveredTo(204, 3000))).toEqual([]);
  });

  it("flags an answer slower than Okta's 3 s timeout", () => {
    expect(lintExchange(deliveredTo(200, 3000.5))).toEqual([
      {
        code: "slow_response",
        severity: "error",
        message: "took 3001 ms; Okta gives up after 3 s and retries once, then the delivery fails",
      },
    ]);
  });

  it("flags 5xx (Okta retries once), 4xx (no retry) and 3xx (not followed)", () => {
    expect(lintExchange(deliveredTo(503))).toEqual([
      {
        code: "server_error",
        severity: "error",
        message: "answered 503: Okta retries once, then gives up on these events",
      },
    ]);
    expect(lintExchange(deliveredTo(401))).toEqual([
      {
        code: "client_error",
        severity: "error",
        message: "answered 401: Okta does not retry a 4xx, these events are lost",
      },
    ]);
    expect(codes(deliveredTo(302))).toEqual(["redirect"]);
  });

  it("flags no response at all, with the reason, and both slow and failed together", () => {
    const refused: Exchange = {
      ...deliveredTo(null, 5),
      error: { code: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:3000" },
    };
    expect(lintExchange(refused)).toEqual([
      {
        code: "no_response",
        severity: "error",
        message:
          "no answer (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:3000): Okta retries once, then the delivery fails",
      },
    ]);
    expect(codes(deliveredTo(500, 4000))).toEqual(["slow_response", "server_error"]);
  });

  it("says nothing about the answer of an exchange still in flight", () => {
    expect(lintExchange(deliveredTo(null, null))).toEqual([]);
  });

  it("flags each truncated body as a warning", () => {
    const x = deliveredTo(200);
    x.request.body = { bytes: x.request.body.bytes.subarray(0, 10), size: 2000, truncated: true };
    (x.response as CapturedResponse).body = {
      bytes: new Uint8Array(1),
      size: 5,
      truncated: true,
    };
    expect(lintExchange(x)).toEqual([
      {
        code: "truncated",
        severity: "warning",
        message:
          "the capture kept 10 of 2000 bytes of the request body: views, search and replay see only those",
      },
      {
        code: "truncated",
        severity: "warning",
        message:
          "the capture kept 1 of 5 bytes of the response body: views, search and replay see only those",
      },
    ]);
  });

  it("lints any POST as a would-be delivery, but not a browser's GET", () => {
    const plain = makeExchange({ response: sampleResponse({ status: 404 }) });
    expect(codes({ ...plain, request: { ...plain.request, method: "post" } })).toEqual([
      "client_error",
    ]);
    expect(codes({ ...plain, request: { ...plain.request, method: "GET" } })).toEqual([]);
  });

  describe("verification", () => {
    function answered(text: string, status = 200, ms = 20): Exchange {
      const x = makeExchange({
        response: sampleResponse({ status, body: body(text) }),
        timing: timing(ms),
      });
      return {
        ...x,
        request: {
          ...x.request,
          method: "GET",
          rawHeaders: [["x-okta-verification-challenge", "c1"]],
          body: body(""),
        },
      };
    }

    it("finds nothing in a right answer", () => {
      expect(lintExchange(answered('{"verification":"c1"}'))).toEqual([]);
    });

    it.each([
      ['{"verification":"c2"}', 200, ["challenge_wrong"]],
      ["c1", 200, ["challenge_not_json"]],
      ['{"verification":"c1"}', 500, ["challenge_status"]],
      ["oops", 404, ["challenge_status", "challenge_not_json"]],
    ] as const)("flags %s answered %i as %j, all errors", (text, status, expected) => {
      const findings = lintExchange(answered(text, status));
      expect(findings.map((f) => f.code)).toEqual(expected);
      expect(findings.every((f) => f.severity === "error")).toBe(true);
    });

    it("flags a slow verification as the verification failing", () => {
      expect(lintExchange(answered('{"verification":"c1"}', 200, 3500))).toEqual([
        {
          code: "slow_response",
          severity: "error",
          message:
            "took 3500 ms; Okta gives up after 3 s and retries once, then the verification fails",
        },
      ]);
    });
  });
});
