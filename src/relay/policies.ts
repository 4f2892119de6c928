/**
 * The edge policies as pure checks on a request head, applied by the ingress in this order:
 * body limit (declared length), required header, Okta challenge. Nothing here reads a body.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { VERIFICATION_CHALLENGE_HEADER } from "../okta/index.js";
import type { RawHeaders, RequiredHeader } from "../protocol/index.js";

/**
 * The body length the request declares, or `null` when it declares none (chunked, or no
 * body). Node has already refused malformed and conflicting `Content-Length`s with a 400.
 *
 * @example
 * declaredLength([["Content-Length", "12"]]); // 12
 */
export function declaredLength(rawHeaders: RawHeaders): number | null {
  const header = rawHeaders.find(([name]) => name.toLowerCase() === "content-length");
  if (header === undefined) return null;
  const length = Number(header[1].trim());
  return Number.isSafeInteger(length) && length >= 0 ? length : null;
}

function digest(value: string): Buffer {
  // Header values are the latin1 strings Node makes of the received bytes: hash those bytes.
  return createHash("sha256").update(Buffer.from(value, "latin1")).digest();
}

/**
 * True when the request carries `required` exactly once with exactly its value. The values are
 * compared as SHA-256 digests with `timingSafeEqual`, so the time taken says nothing about how
 * much of the secret matched, whatever the lengths. A repeated header is refused: which copy a
 * server reads differs between servers.
 *
 * @example
 * hasRequiredHeader([["authorization", "Basic abc"]], { name: "Authorization", value: "Basic abc" }); // true
 */
export function hasRequiredHeader(rawHeaders: RawHeaders, required: RequiredHeader): boolean {
  const wanted = required.name.toLowerCase();
  const values = rawHeaders.filter(([name]) => name.toLowerCase() === wanted);
  const given = values.length === 1 ? (values[0]?.[1] ?? "") : "";
  const equal = timingSafeEqual(digest(given), digest(required.value));
  return equal && values.length === 1;
}

/**
 * The value of Okta's verification challenge when this is one: a GET carrying
 * `x-okta-verification-challenge` (the first one, if repeated). Otherwise `null`.
 *
 * @example
 * challengeOf("GET", [["x-okta-verification-challenge", "abc"]]); // "abc"
 */
export function challengeOf(method: string, rawHeaders: RawHeaders): string | null {
  if (method !== "GET") return null;
  const header = rawHeaders.find(([name]) => name.toLowerCase() === VERIFICATION_CHALLENGE_HEADER);
  return header === undefined ? null : header[1];
}

/**
 * Node's flat `rawHeaders` (`[name, value, name, value…]`) as pairs, order and case kept.
 *
 * @example
 * pairHeaders(["Host", "a", "X-A", "1"]); // [["Host", "a"], ["X-A", "1"]]
 */
export function pairHeaders(flat: readonly string[]): RawHeaders {
  const pairs: RawHeaders = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([flat[i] ?? "", flat[i + 1] ?? ""]);
  return pairs;
}
