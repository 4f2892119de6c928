/**
 * Writing answers the way Okta's management APIs do: compact JSON, `Content-Type:
 * application/json`, a request id and rate-limit headers on every response, no caching.
 */
import type { ServerResponse } from "node:http";
import type { OktaError } from "../../okta/index.js";
import type { OktaApiError } from "./okta-api-error.js";

/** What a route returns: a status, a JSON body (none for 204) and extra headers. */
export interface Reply {
  status: number;
  /** Serialized as compact JSON; `undefined` sends no body and no `Content-Type`. */
  body?: unknown;
  /** Extra headers; an array value becomes repeated header lines (e.g. two `Link`s). */
  headers?: Readonly<Record<string, string | readonly string[]>>;
}

/** A 200 with a JSON body. */
export function ok(body: unknown, headers?: Reply["headers"]): Reply {
  return headers === undefined ? { status: 200, body } : { status: 200, body, headers };
}

/** The error object of an {@link OktaApiError}, with `errorId` for this answer. */
export function errorReply(error: OktaApiError, errorId: string): Reply {
  const body: OktaError = {
    errorCode: error.errorCode,
    errorSummary: error.errorSummary,
    errorLink: error.errorCode,
    errorId,
    errorCauses: [...error.errorCauses],
  };
  return { status: error.status, body, headers: error.headers };
}

/**
 * Writes `reply` after the per-request headers (`X-Okta-Request-Id`, `X-Rate-Limit-*`).
 * `HEAD` gets the headers only.
 */
export function writeReply(
  res: ServerResponse,
  reply: Reply,
  common: Readonly<Record<string, string>>,
  method: string,
): void {
  const text = reply.body === undefined ? undefined : JSON.stringify(reply.body);
  const headers: Record<string, string | readonly string[]> = {
    ...common,
    "Cache-Control": "no-cache, no-store",
    Pragma: "no-cache",
    Expires: "0",
    "X-Content-Type-Options": "nosniff",
  };
  if (text !== undefined) {
    headers["Content-Type"] = "application/json";
    headers["Content-Length"] = String(Buffer.byteLength(text));
  }
  Object.assign(headers, reply.headers);
  res.writeHead(reply.status, headers as Record<string, string | string[]>);
  res.end(method === "HEAD" ? undefined : text);
}
