import { createHash, timingSafeEqual } from "node:crypto";
import { errorResponse } from "./responses.js";
import type { AuthHeader, ReceiverRequestHead, ReceiverResponse } from "./types.js";

// HTTP stacks (node:http, fetch's Headers) hand header values over as one character per byte
// (latin1), while the configured secret is an ordinary string: compare the wire bytes with
// the secret's UTF-8 bytes so non-ASCII secrets work too.
const WIDER_THAN_A_BYTE = /[\u0100-\uffff]/;

function headerBytes(value: string): Buffer {
  return Buffer.from(value, WIDER_THAN_A_BYTE.test(value) ? "utf8" : "latin1");
}

function sha256(value: Uint8Array): Buffer {
  return createHash("sha256").update(value).digest();
}

/** Checks a request's auth header: `null` when it passes, else the 401 to send. */
export type AuthCheck = (request: Pick<ReceiverRequestHead, "headers">) => ReceiverResponse | null;

/**
 * Builds the auth check of a receiver. The secret's SHA-256 is computed once here, so each
 * request costs one hash and one `timingSafeEqual` on 32-byte digests (the same scheme as
 * `constantTimeEqual`: neither content nor length of the secret leaks through timing).
 * `auth.name` must already be lower-case (the resolved options guarantee it).
 */
export function createAuthCheck(auth: AuthHeader): AuthCheck {
  const expected = sha256(Buffer.from(auth.value, "utf8"));
  return function checkAuth(request) {
    const received = request.headers[auth.name];
    if (received === undefined) {
      return errorResponse(401, "unauthorized", `missing ${auth.name} header`);
    }
    if (Array.isArray(received)) {
      return errorResponse(401, "unauthorized", `the ${auth.name} header must appear exactly once`);
    }
    if (!timingSafeEqual(sha256(headerBytes(received)), expected)) {
      return errorResponse(401, "unauthorized", `invalid ${auth.name} header`);
    }
    return null;
  };
}
