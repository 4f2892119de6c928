import { describe, expect, it } from "vitest";
import { decodeMessage, encodeMessage, MAX_EDGE_BODY_BYTES } from "../protocol/index.js";
import { buildEdgeReport, edgeBody, type PublicRequest } from "./edge-report.js";
import { errorResponse } from "./errors.js";

const request: PublicRequest = {
  method: "POST",
  target: "/hook?x=1",
  httpVersion: "1.1",
  rawHeaders: [
    ["Host", "relay.example"],
    ["X-Dup", "1"],
    ["x-dup", "2"],
  ],
  remoteAddress: "203.0.113.7",
  scheme: "https",
  receivedAt: 1_000,
};

describe("edge reports", () => {
  it("cuts bodies at MAX_EDGE_BODY_BYTES and flags them truncated", () => {
    const big = new Uint8Array(MAX_EDGE_BODY_BYTES + 10).fill(65);
    const body = edgeBody(big);
    expect(body.truncated).toBe(true);
    expect(body.size).toBe(MAX_EDGE_BODY_BYTES + 10);
    expect(Buffer.from(body.base64, "base64").byteLength).toBe(MAX_EDGE_BODY_BYTES);
    expect(edgeBody(new Uint8Array([1, 2]))).toEqual({ base64: "AQI=", truncated: false, size: 2 });
  });

  it("builds a report the protocol accepts, for read and unread bodies", () => {
    const response = errorResponse("unauthorized", "a valid Authorization header is required");
    for (const body of [{ bytes: Buffer.from("{}") }, { unread: 5 }, { unread: 0 }]) {
      const report = buildEdgeReport("unauthorized", request, body, response, 1_250);
      expect(report.durationMs).toBe(250);
      const round = decodeMessage(encodeMessage({ type: "edge", exchange: report }));
      expect(round).toEqual({ type: "edge", exchange: report });
    }
    const queued = buildEdgeReport(
      "queued",
      request,
      { bytes: Buffer.alloc(0) },
      response,
      1_000,
      "req_1",
    );
    expect(queued.queueId).toBe("req_1");
    expect(
      buildEdgeReport("unauthorized", request, { unread: 9 }, response, 1_000).request.body,
    ).toEqual({
      base64: "",
      truncated: true,
      size: 9,
    });
  });
});
