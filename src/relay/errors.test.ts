import { describe, expect, it } from "vitest";
import type { ResetCode } from "../protocol/index.js";
import {
  challengeResponse,
  ERROR_CODE_HEADER,
  errorResponse,
  queuedResponse,
  RELAY_ERROR_STATUS,
  rawHttpResponse,
  resetErrorCode,
} from "./errors.js";

describe("relay errors", () => {
  it("builds the JSON error with its status, code header and exact length", () => {
    const response = errorResponse("unknown_endpoint", "no endpoint okta-dev on this relay");
    expect(response.status).toBe(404);
    expect(response.rawHeaders).toEqual([
      ["Content-Type", "application/json; charset=utf-8"],
      [ERROR_CODE_HEADER, "unknown_endpoint"],
      ["Content-Length", String(response.body.byteLength)],
    ]);
    expect(JSON.parse(response.body.toString())).toEqual({
      error: "unknown_endpoint",
      message: "no endpoint okta-dev on this relay",
    });
    expect(errorResponse("agent_offline", "x", { status: 503 }).status).toBe(503);
  });

  it("gives every code a 4xx or 5xx status", () => {
    for (const status of Object.values(RELAY_ERROR_STATUS)) {
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
  });

  it("answers the challenge and the queue as documented", () => {
    const challenge = challengeResponse('a"b');
    expect(challenge.status).toBe(200);
    expect(JSON.parse(challenge.body.toString())).toEqual({ verification: 'a"b' });
    expect(queuedResponse("req_1")).toEqual({
      status: 200,
      rawHeaders: [
        ["hooktap-queue-id", "req_1"],
        ["Content-Length", "0"],
      ],
      body: Buffer.alloc(0),
    });
  });

  it("writes a whole raw response that closes the connection", () => {
    const text = rawHttpResponse(errorResponse("headers_too_large", "too big")).toString("latin1");
    expect(text).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(text).toContain("\r\nConnection: close\r\n\r\n{");
  });

  it("maps every reset code to a relay error", () => {
    const codes: ResetCode[] = [
      "upstream_unreachable",
      "upstream_timeout",
      "upstream_error",
      "aborted",
      "body_too_large",
      "flow_control",
      "protocol_error",
      "refused",
      "internal_error",
    ];
    expect(Object.fromEntries(codes.map((c) => [c, resetErrorCode(c)]))).toEqual({
      upstream_unreachable: "upstream_unreachable",
      upstream_timeout: "upstream_timeout",
      upstream_error: "upstream_error",
      aborted: "agent_disconnected",
      body_too_large: "body_too_large",
      flow_control: "upstream_error",
      protocol_error: "upstream_error",
      refused: "agent_busy",
      internal_error: "upstream_error",
    });
  });
});
