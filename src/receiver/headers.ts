import type { ReceiverRequest } from "./types.js";

/** The header map of a {@link ReceiverRequest}. */
export type ReceiverHeaders = ReceiverRequest["headers"];

function append(headers: ReceiverHeaders, name: string, value: string | string[]): void {
  const previous = headers[name];
  if (previous === undefined) {
    headers[name] = value;
    return;
  }
  headers[name] = [
    ...(Array.isArray(previous) ? previous : [previous]),
    ...(Array.isArray(value) ? value : [value]),
  ];
}

/**
 * Builds the receiver's header map from Node's `rawHeaders` (`[name, value, name, value…]`).
 * Unlike `req.headers`, which silently drops a second `authorization` and joins other
 * repeats with commas, every repeat is kept, so a repeated auth header can be rejected.
 *
 * @example
 * headersFromRawPairs(["Authorization", "a", "authorization", "b"]);
 * // { authorization: ["a", "b"] }
 */
export function headersFromRawPairs(rawHeaders: readonly string[]): ReceiverHeaders {
  const headers: ReceiverHeaders = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    append(headers, (rawHeaders[i] as string).toLowerCase(), rawHeaders[i + 1] as string);
  }
  return headers;
}

/**
 * Lower-cases header names, merging names that differ only in case into arrays. Returns the
 * same object when every name is already lower-case (what adapters pass).
 *
 * @example
 * normalizeHeaders({ Authorization: "s3cret" }); // { authorization: "s3cret" }
 */
export function normalizeHeaders(headers: ReceiverHeaders): ReceiverHeaders {
  const names = Object.keys(headers);
  if (names.every((name) => name === name.toLowerCase())) return headers;
  const normalized: ReceiverHeaders = {};
  for (const name of names) {
    const value = headers[name];
    if (value !== undefined) append(normalized, name.toLowerCase(), value);
  }
  return normalized;
}

/**
 * The declared `content-length` of a request, or `undefined` when absent or not a plain
 * non-negative integer (adapters then rely on the streaming limit).
 *
 * @example
 * declaredLength({ "content-length": "1150" }); // 1150
 */
export function declaredLength(headers: ReceiverHeaders): number | undefined {
  const value = headers["content-length"];
  if (typeof value !== "string" || !/^\d+$/.test(value)) return undefined;
  const length = Number(value);
  return Number.isSafeInteger(length) ? length : undefined;
}
