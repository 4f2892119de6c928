/**
 * Hand-written guards for JSON values. Each takes the value and its path (for the error
 * message), and returns it typed or throws `ProtocolError("invalid_message")` naming the path.
 * Messages say what was expected and never quote the value: it may be a secret.
 */
import { HTTP_FIELD_VALUE, HTTP_TOKEN } from "../http/index.js";
import { ProtocolError } from "./errors.js";
import type { RawHeaders } from "./messages.js";

/** A JSON object, as `JSON.parse` returns it. */
export type Fields = Record<string, unknown>;

/** Origin-form target as Node sends it (its INVALID_PATH_REGEX refuses the rest). */
const ORIGIN_FORM = /^\/[\x21-\xff]*$/;
/** Visible ASCII: tokens and ids, which end up in logs and URLs. */
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Throws the `invalid_message` error for `path`. */
export function invalid(path: string, expectation: string): never {
  throw new ProtocolError("invalid_message", `${path} ${expectation}`, { field: path });
}

/** The own property `key` of a JSON object (never an inherited one such as `constructor`). */
export function own(fields: Fields, key: string): unknown {
  return Object.hasOwn(fields, key) ? fields[key] : undefined;
}

/** A JSON object (not an array, not null). */
export function record(value: unknown, path: string): Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    invalid(path, "must be an object");
  }
  return value as Fields;
}

/** A JSON array of at most `maxItems` items. */
export function list(value: unknown, path: string, maxItems = Number.POSITIVE_INFINITY): unknown[] {
  if (!Array.isArray(value)) invalid(path, "must be an array");
  if (value.length > maxItems) invalid(path, `must have at most ${maxItems} items`);
  return value;
}

/** A string of `min`..`max` characters (UTF-16 units). */
export function text(
  value: unknown,
  path: string,
  min = 0,
  max = Number.POSITIVE_INFINITY,
): string {
  if (typeof value !== "string") invalid(path, "must be a string");
  if (value.length < min || value.length > max) {
    invalid(
      path,
      max === Number.POSITIVE_INFINITY
        ? `must have at least ${min} character${min === 1 ? "" : "s"}`
        : `must have ${min}-${max} characters`,
    );
  }
  return value;
}

/** A string matching `pattern`; `what` completes "must be …". */
export function matching(value: unknown, path: string, pattern: RegExp, what: string): string {
  if (typeof value !== "string" || !pattern.test(value)) invalid(path, `must be ${what}`);
  return value;
}

/** An integer in `min`..`max`; `-0` comes back as `0`. */
export function integer(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    invalid(path, `must be an integer in ${min}..${max}`);
  }
  return value === 0 ? 0 : value;
}

/** A boolean. */
export function bool(value: unknown, path: string): boolean {
  if (typeof value !== "boolean") invalid(path, "must be a boolean");
  return value;
}

/** One of the listed strings. */
export function oneOf<T extends string>(value: unknown, path: string, values: readonly T[]): T {
  if (typeof value !== "string" || !(values as readonly string[]).includes(value)) {
    invalid(path, `must be one of ${values.map((v) => JSON.stringify(v)).join(", ")}`);
  }
  return value as T;
}

/** An HTTP token (a header name, a method). */
export function httpToken(value: unknown, path: string): string {
  return matching(value, path, HTTP_TOKEN, "an HTTP token");
}

/** An HTTP header value Node can write: no CR, LF, NUL or other control characters. */
export function headerValue(value: unknown, path: string): string {
  return matching(value, path, HTTP_FIELD_VALUE, "a header value without control characters");
}

/** A request target in origin form: `/path?query`. */
export function originForm(value: unknown, path: string): string {
  return matching(
    value,
    path,
    ORIGIN_FORM,
    'a request target starting with "/" without spaces or controls',
  );
}

/** An opaque identifier or secret: 1..`max` visible ASCII characters. */
export function opaque(value: unknown, path: string, max: number): string {
  const s = text(value, path, 1, max);
  return matching(s, path, VISIBLE_ASCII, "visible ASCII without spaces");
}

/** Standard padded base64; returns it with the number of bytes it encodes. */
export function base64(value: unknown, path: string): { base64: string; bytes: number } {
  const s = matching(value, path, BASE64, "padded standard base64");
  const padding = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
  return { base64: s, bytes: (s.length / 4) * 3 - padding };
}

/** An absolute `http:` or `https:` URL. */
export function httpUrl(value: unknown, path: string): string {
  const s = text(value, path, 1, 2048);
  let protocol: string;
  try {
    protocol = new URL(s).protocol;
  } catch {
    invalid(path, "must be an absolute URL");
  }
  if (protocol !== "http:" && protocol !== "https:") invalid(path, "must be an http(s) URL");
  return s;
}

/** Raw headers: `[name, value]` pairs of an HTTP token and a header value. */
export function rawHeaders(value: unknown, path: string): RawHeaders {
  return list(value, path).map((pair, i): [string, string] => {
    const at = `${path}[${i}]`;
    if (
      !Array.isArray(pair) ||
      pair.length !== 2 ||
      typeof pair[0] !== "string" ||
      typeof pair[1] !== "string"
    ) {
      invalid(at, "must be a [name, value] pair of strings");
    }
    return [httpToken(pair[0], `${at}[0]`), headerValue(pair[1], `${at}[1]`)];
  });
}
