import { constantTimeEqual } from "./constant-time.js";
import { errorResponse } from "./responses.js";
import type { AuthHeader, ReceiverRequestHead, ReceiverResponse } from "./types.js";

// HTTP stacks (node:http, fetch's Headers) hand header values over as one character per byte
// (latin1), while the configured secret is an ordinary string: compare the wire bytes with
// the secret's UTF-8 bytes so non-ASCII secrets work too.
const WIDER_THAN_A_BYTE = /[\u0100-\uffff]/;

function headerBytes(value: string): Buffer {
  return Buffer.from(value, WIDER_THAN_A_BYTE.test(value) ? "utf8" : "latin1");
}

/**
 * Checks the configured auth header of a request; `null` when it passes, else the 401 to send.
 * `auth.name` must already be lower-case (the resolved options guarantee it).
 */
export function checkAuth(
  request: Pick<ReceiverRequestHead, "headers">,
  auth: AuthHeader,
): ReceiverResponse | null {
  const received = request.headers[auth.name];
  if (received === undefined) {
    return errorResponse(401, "unauthorized", `missing ${auth.name} header`);
  }
  if (Array.isArray(received)) {
    return errorResponse(401, "unauthorized", `the ${auth.name} header must appear exactly once`);
  }
  if (!constantTimeEqual(headerBytes(received), Buffer.from(auth.value, "utf8"))) {
    return errorResponse(401, "unauthorized", `invalid ${auth.name} header`);
  }
  return null;
}
