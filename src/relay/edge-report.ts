/**
 * The `edge` report of a request the relay answered or blocked itself, for the agent's
 * inspector: the request as received and the response as sent, bodies cut to
 * `MAX_EDGE_BODY_BYTES` (flagged `truncated`), never altered.
 */
import {
  type EdgeBody,
  type EdgeReason,
  type EdgeReport,
  MAX_EDGE_BODY_BYTES,
  type RawHeaders,
} from "../protocol/index.js";
import type { RelayResponse } from "./errors.js";

/** A public request as the relay holds it: the head with the endpoint prefix stripped. */
export interface PublicRequest {
  method: string;
  /** Without the `/<endpoint>` prefix. */
  target: string;
  httpVersion: string;
  rawHeaders: RawHeaders;
  remoteAddress: string;
  scheme: "http" | "https";
  receivedAt: number;
}

/** The request body as far as the relay knows it when it reports. */
export type ReportedBody =
  /** Read in full. */
  | { bytes: Uint8Array }
  /** Not read (the relay refuses before reading): only the declared size is known. */
  | { unread: number };

/**
 * An {@link EdgeBody} of `bytes`, cut to `MAX_EDGE_BODY_BYTES`.
 *
 * @example
 * edgeBody(Buffer.from("hi")); // { base64: "aGk=", truncated: false, size: 2 }
 */
export function edgeBody(bytes: Uint8Array): EdgeBody {
  const kept = bytes.subarray(0, MAX_EDGE_BODY_BYTES);
  return {
    base64: Buffer.from(kept.buffer, kept.byteOffset, kept.byteLength).toString("base64"),
    truncated: kept.byteLength < bytes.byteLength,
    size: bytes.byteLength,
  };
}

/**
 * The report of `request` answered with `response`.
 *
 * @example
 * session.sendEdge(buildEdgeReport("unauthorized", request, { unread: 0 }, response, now()));
 */
export function buildEdgeReport(
  reason: EdgeReason,
  request: PublicRequest,
  body: ReportedBody,
  response: RelayResponse,
  finishedAt: number,
  queueId?: string,
): EdgeReport {
  const requestBody =
    "bytes" in body
      ? edgeBody(body.bytes)
      : { base64: "", truncated: body.unread > 0, size: body.unread };
  return {
    reason,
    ...(queueId === undefined ? {} : { queueId }),
    receivedAt: request.receivedAt,
    durationMs: Math.max(0, finishedAt - request.receivedAt),
    request: {
      method: request.method,
      target: request.target,
      httpVersion: request.httpVersion,
      rawHeaders: request.rawHeaders,
      remoteAddress: request.remoteAddress,
      scheme: request.scheme,
      body: requestBody,
    },
    response: {
      status: response.status,
      rawHeaders: response.rawHeaders,
      body: edgeBody(response.body),
    },
  };
}
