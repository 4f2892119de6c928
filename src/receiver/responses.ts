import type { ReceiverResponse } from "./types.js";

/**
 * Machine-readable reason of a receiver's error answer, the `error` field of
 * {@link ReceiverErrorBody}.
 *
 * - `unauthorized` (401): the auth header is missing, repeated or wrong.
 * - `missing_challenge` (400): a GET without `x-okta-verification-challenge`.
 * - `invalid_challenge` (400): the challenge header is repeated.
 * - `method_not_allowed` (405): neither GET nor POST.
 * - `payload_too_large` (413): the body exceeds `maxBodyBytes`.
 * - `invalid_encoding` (400): the body is not valid UTF-8.
 * - `invalid_json` (400): the body is not JSON.
 * - `invalid_delivery` (400): JSON, but not an event hook delivery envelope.
 * - `bad_request` (400): the HTTP framework rejected the request before the receiver saw it.
 * - `handler_failed` (500): with `awaitHandlers`, a handler threw; Okta will retry once.
 * - `internal_error` (500): the receiver itself failed (e.g. the dedupe store threw).
 */
export type ReceiverErrorCode =
  | "unauthorized"
  | "missing_challenge"
  | "invalid_challenge"
  | "method_not_allowed"
  | "payload_too_large"
  | "invalid_encoding"
  | "invalid_json"
  | "invalid_delivery"
  | "bad_request"
  | "handler_failed"
  | "internal_error";

/** The JSON body of every 4xx and 5xx the receiver answers: one shape for all errors. */
export interface ReceiverErrorBody {
  error: ReceiverErrorCode;
  /** One sentence saying exactly what is wrong, for the human reading the inspector. */
  message: string;
}

/** The methods a receiver endpoint answers, as sent in `allow` with a 405. */
export const ALLOWED_METHODS = "GET, POST";

const JSON_CONTENT_TYPE = "application/json";

/**
 * A JSON error answer in the one shape the receiver uses for every error.
 *
 * @example
 * errorResponse(400, "invalid_json", "body is not valid JSON");
 * // { status: 400, headers: { "content-type": "application/json" },
 * //   body: '{"error":"invalid_json","message":"body is not valid JSON"}' }
 */
export function errorResponse(
  status: number,
  error: ReceiverErrorCode,
  message: string,
  headers: Record<string, string> = {},
): ReceiverResponse {
  const body: ReceiverErrorBody = { error, message };
  return {
    status,
    headers: { "content-type": JSON_CONTENT_TYPE, ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * The 413 every adapter answers when a body grows past `maxBodyBytes`.
 *
 * @example
 * payloadTooLargeResponse(4 * 1024 * 1024).status; // 413
 */
export function payloadTooLargeResponse(limitBytes: number): ReceiverResponse {
  return errorResponse(
    413,
    "payload_too_large",
    `request body exceeds the limit of ${limitBytes} bytes`,
  );
}

/**
 * The answer to Okta's one-time verification GET. `JSON.stringify` escapes whatever the
 * challenge contains (quotes, backslashes, control characters).
 *
 * @example
 * verificationResponse("abc").body; // '{"verification":"abc"}'
 */
export function verificationResponse(challenge: string): ReceiverResponse {
  return {
    status: 200,
    headers: { "content-type": JSON_CONTENT_TYPE },
    body: JSON.stringify({ verification: challenge }),
  };
}

/**
 * The acknowledgement of a delivery: 200 with an empty body, as Okta asks.
 *
 * @example
 * acknowledgeResponse(); // { status: 200, headers: {}, body: "" }
 */
export function acknowledgeResponse(): ReceiverResponse {
  return { status: 200, headers: {}, body: "" };
}
