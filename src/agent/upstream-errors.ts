/**
 * What the sender gets when the app cannot answer: a JSON body naming the cause, and the
 * `hooktap-error-code` header (as ngrok's `ngrok-error-code`), so scripts and the inspector can
 * tell the agent's 502 from one the app sent itself.
 */
import type { RawHeaders } from "../protocol/index.js";
import type { ParsedUpstream } from "./options.js";

/** The response header that marks a response made by the agent, carrying the error code. */
export const ERROR_CODE_HEADER = "hooktap-error-code";

/** Why the app gave no response. */
export type UpstreamFailureCode = "upstream_unreachable" | "upstream_timeout" | "upstream_error";

/** A failure to reach the app, classified. */
export interface UpstreamFailure {
  code: UpstreamFailureCode;
  /** 502 for `upstream_unreachable`/`upstream_error`, 504 for `upstream_timeout`. */
  status: 502 | 504;
  /** For people; names the upstream and the system error. */
  message: string;
}

/** The error a timed-out upstream request is destroyed with. */
export class UpstreamTimeoutError extends Error {
  override readonly name = "UpstreamTimeoutError";
  readonly code = "upstream_timeout";
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`no response head within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** Node codes meaning "nothing is listening there" or "there is no there". */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "ETIMEDOUT",
]);

/**
 * Classifies an error of the upstream request (before any response head).
 *
 * @example
 * classifyUpstreamError(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:3000"), { code: "ECONNREFUSED" }), upstream);
 * // { code: "upstream_unreachable", status: 502, message: "the app at http://127.0.0.1:3000 is unreachable: …" }
 */
export function classifyUpstreamError(error: unknown, upstream: ParsedUpstream): UpstreamFailure {
  if (error instanceof UpstreamTimeoutError) {
    return {
      code: "upstream_timeout",
      status: 504,
      message: `the app at ${upstream.href} sent no response within ${error.timeoutMs} ms`,
    };
  }
  const code = systemCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (code !== undefined && UNREACHABLE.has(code)) {
    return {
      code: "upstream_unreachable",
      status: 502,
      message: `the app at ${upstream.href} is unreachable: ${detail}; is it running?`,
    };
  }
  return {
    code: "upstream_error",
    status: 502,
    message: `the app at ${upstream.href} failed before answering: ${detail}`,
  };
}

/**
 * The agent's own response for a failure: JSON `{"error", "message"}` with the error header.
 *
 * @example
 * const { status, rawHeaders, body } = failureResponse(failure);
 * stream.respond(status, rawHeaders).end(body);
 */
export function failureResponse(failure: UpstreamFailure): {
  status: number;
  rawHeaders: RawHeaders;
  body: Buffer;
} {
  const body = Buffer.from(
    `${JSON.stringify({ error: failure.code, message: failure.message })}\n`,
  );
  return {
    status: failure.status,
    rawHeaders: [
      ["Content-Type", "application/json; charset=utf-8"],
      ["Content-Length", String(body.byteLength)],
      ["Cache-Control", "no-store"],
      [ERROR_CODE_HEADER, failure.code],
    ],
    body,
  };
}

/**
 * The `code` of a Node system error, if any.
 *
 * @example
 * systemCode(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })); // "ECONNREFUSED"
 */
export function systemCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}
