/**
 * Header modifications on raw header pairs: remove, set, add, case-insensitive by name, order
 * kept. And `parseHeaderArg`, the CLI's `--header 'Name: value'`.
 */
import type { RawHeaders } from "../../capture/index.js";
import { isHttpFieldValue, isHttpToken } from "../../http/index.js";
import { ModificationError } from "./errors.js";

/** What to do to the header lines, applied in this order: remove, set, add. */
export interface HeaderModifications {
  /** Replace the first line of that name in place (others of the name go), or append one. */
  set?: readonly (readonly [name: string, value: string])[];
  /** Append a line, even when the name is already there. */
  add?: readonly (readonly [name: string, value: string])[];
  /** Drop every line of these names. */
  remove?: readonly string[];
}

/** An `invalid_modification` error whose message starts with the field it names. */
export function invalid(field: string, message: string): ModificationError {
  return new ModificationError("invalid_modification", `${field} ${message}`, { field });
}

/** Throws unless the pair is a header line a client can send (RFC 9110 §5.1, §5.5). */
export function checkHeader(name: string, value: string, field: string): void {
  if (!isHttpToken(name))
    throw invalid(field, `has an invalid header name ${JSON.stringify(name)}`);
  if (!isHttpFieldValue(value))
    throw invalid(
      field,
      `(${name}) must not contain control characters (CR, LF, NUL…) in its value`,
    );
}

/** The header lines with the modifications applied; `headers` is not changed. */
export function modifyHeaders(headers: RawHeaders, mods: HeaderModifications): RawHeaders {
  mods.set?.forEach(([n, v], i) => {
    checkHeader(n, v, `headers.set[${i}]`);
  });
  mods.add?.forEach(([n, v], i) => {
    checkHeader(n, v, `headers.add[${i}]`);
  });
  mods.remove?.forEach((n, i) => {
    if (!isHttpToken(n))
      throw invalid(`headers.remove[${i}]`, `is not a header name: ${JSON.stringify(n)}`);
  });
  const removed = new Set((mods.remove ?? []).map((n) => n.toLowerCase()));
  let out: RawHeaders = headers
    .filter(([n]) => !removed.has(n.toLowerCase()))
    .map(([n, v]) => [n, v]);
  for (const [name, value] of mods.set ?? []) {
    const lower = name.toLowerCase();
    const first = out.findIndex(([n]) => n.toLowerCase() === lower);
    if (first < 0) {
      out.push([name, value]);
      continue;
    }
    out = out.filter(([n], i) => i <= first || n.toLowerCase() !== lower);
    out[first] = [name, value];
  }
  for (const [name, value] of mods.add ?? []) out.push([name, value]);
  return out;
}

/**
 * Parses the CLI's `--header 'Name: value'` into a pair. The value's surrounding spaces and tabs
 * are dropped (RFC 9110 §5.5); `Name:` gives an empty value. Throws `ModificationError`
 * `invalid_modification` when there is no colon, the name is not a token (no space before the
 * colon, RFC 9112 §5.1), or the value has a control character (CR, LF, NUL…) Node would refuse.
 *
 * @example
 * parseHeaderArg("X-Okta-Verification-Challenge: abc"); // ["X-Okta-Verification-Challenge", "abc"]
 */
export function parseHeaderArg(text: string): [name: string, value: string] {
  const colon = text.indexOf(":");
  if (colon < 0) {
    throw invalid("header", `${JSON.stringify(text)} has no ':'; write 'Name: value'`);
  }
  const name = text.slice(0, colon);
  const value = text.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, "");
  if (name === "") throw invalid("header", `${JSON.stringify(text)} has no name before ':'`);
  checkHeader(name, value, "header");
  return [name, value];
}
