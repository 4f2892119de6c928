/**
 * The boundary of `list`: a {@link ListQuery} checked field by field and normalised once (case
 * folded, status classes turned into ranges, text cut into words), so that both stores apply
 * exactly the same filters. A bad value is a `CaptureError` `invalid_argument` naming the field.
 */
import { isHttpToken } from "../http/index.js";
import { CaptureError } from "./errors.js";
import { searchWords } from "./search-text.js";
import {
  DEFAULT_LIST_LIMIT,
  LIST_FILTER_KEYS,
  LIST_PAGE_KEYS,
  type ListQuery,
  MAX_LIST_LIMIT,
} from "./store.js";
import { EXCHANGE_ORIGINS, type ExchangeOrigin } from "./types.js";

/** The longest `text` query, in characters. */
export const MAX_SEARCH_TEXT_CHARS = 1000;

/** A checked {@link ListQuery}: null where no filter was given. */
export interface ResolvedListQuery {
  limit: number;
  before: string | null;
  endpoint: string | null;
  /** Upper-cased (ASCII). */
  method: string | null;
  path: string | null;
  /** Inclusive range: `404` is 404..404, `"4xx"` is 400..499. */
  status: { min: number; max: number } | null;
  minDurationMs: number | null;
  maxDurationMs: number | null;
  origin: ExchangeOrigin | null;
  /** Name and value lower-cased (ASCII). */
  header: { name: string; value: string } | null;
  oktaEventType: string | null;
  /** Lower-cased (ASCII). */
  targetUser: string | null;
  /** The words of `text` (see search-text.ts), never empty. */
  text: string[] | null;
  parentId: string | null;
}

const KEYS = new Set<string>([...LIST_PAGE_KEYS, ...LIST_FILTER_KEYS]);

/** Lower-cases A–Z only, as SQLite's `lower()` does, so both stores fold alike. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

function asciiUpper(text: string): string {
  return text.replace(/[a-z]+/g, (s) => s.toUpperCase());
}

function invalid(field: string, message: string): never {
  throw new CaptureError("invalid_argument", `${field} ${message}`, { field });
}

function optionalString(query: ListQuery, key: keyof ListQuery, allowEmpty = false) {
  const value = query[key];
  if (value === undefined) return null;
  if (typeof value !== "string") invalid(key, "must be a string");
  if (!allowEmpty && value === "") invalid(key, "must not be empty");
  return value;
}

function duration(query: ListQuery, key: "minDurationMs" | "maxDurationMs"): number | null {
  const value = query[key];
  if (value === undefined) return null;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    invalid(key, "must be a non-negative number of milliseconds");
  }
  return value;
}

function status(value: ListQuery["status"]): ResolvedListQuery["status"] {
  if (value === undefined) return null;
  const text = typeof value === "number" ? String(value) : value;
  if (typeof text === "string") {
    if (/^[1-9]\d\d$/.test(text)) return { min: Number(text), max: Number(text) };
    const match = /^([1-9])xx$/i.exec(text);
    if (match !== null) return { min: Number(match[1]) * 100, max: Number(match[1]) * 100 + 99 };
  }
  return invalid("status", `must be a status from 100 to 999 or a class such as "2xx"`);
}

function header(value: ListQuery["header"]): ResolvedListQuery["header"] {
  if (value === undefined) return null;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    invalid("header", "must be an object { name, value }");
  }
  const { name, value: text } = value as { name?: unknown; value?: unknown };
  if (!isHttpToken(name)) {
    invalid("header.name", "must be a header name");
  }
  if (typeof text !== "string") invalid("header.value", "must be a string");
  return { name: asciiLower(name), value: asciiLower(text) };
}

function text(value: ListQuery["text"]): string[] | null {
  if (value === undefined) return null;
  if (typeof value !== "string") invalid("text", "must be a string");
  if (value.length > MAX_SEARCH_TEXT_CHARS) {
    invalid("text", `must be at most ${MAX_SEARCH_TEXT_CHARS} characters`);
  }
  const words = searchWords(value);
  if (words.length === 0) invalid("text", "must contain a letter or a digit");
  return words;
}

function path(value: string | null): string | null {
  if (value !== null && /[?#]/.test(value)) {
    invalid("path", "is matched against the path only: it must not contain '?' or '#'");
  }
  return value;
}

function origin(value: string | null): ExchangeOrigin | null {
  if (value === null) return null;
  const found = EXCHANGE_ORIGINS.find((o) => o === value);
  if (found === undefined) invalid("origin", `must be one of ${EXCHANGE_ORIGINS.join(", ")}`);
  return found;
}

/** Applies the defaults of {@link ListQuery}; throws `invalid_argument` on a bad value. */
export function resolveListQuery(query: ListQuery = {}): ResolvedListQuery {
  if (typeof query !== "object" || query === null || Array.isArray(query)) {
    throw new CaptureError("invalid_argument", "a list query must be an object");
  }
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && !KEYS.has(key)) invalid(key, "is not a list filter");
  }
  const limit = query.limit ?? DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    invalid("limit", `must be an integer from 1 to ${MAX_LIST_LIMIT}`);
  }
  const method = optionalString(query, "method");
  const targetUser = optionalString(query, "targetUser");
  const resolved: ResolvedListQuery = {
    limit,
    before: optionalString(query, "before", true),
    endpoint: optionalString(query, "endpoint", true),
    method: method === null ? null : asciiUpper(method),
    path: path(optionalString(query, "path")),
    status: status(query.status),
    minDurationMs: duration(query, "minDurationMs"),
    maxDurationMs: duration(query, "maxDurationMs"),
    origin: origin(optionalString(query, "origin")),
    header: header(query.header),
    oktaEventType: optionalString(query, "oktaEventType"),
    targetUser: targetUser === null ? null : asciiLower(targetUser),
    text: text(query.text),
    parentId: optionalString(query, "parentId"),
  };
  const { minDurationMs: min, maxDurationMs: max } = resolved;
  if (min !== null && max !== null && min > max) {
    invalid("minDurationMs", `(${min}) must not be greater than maxDurationMs (${max})`);
  }
  return resolved;
}
