/**
 * Query parameters of the exchange list (and of the live stream and exports, which take the
 * same filters), checked once here: an unknown or repeated parameter, or a bad value, is a 400
 * problem naming it; never silently ignored.
 */
import {
  EXCHANGE_ORIGINS,
  type ExchangeOrigin,
  LIST_FILTER_KEYS,
  LIST_PAGE_KEYS,
  type ListFilters,
  type ListQuery,
  MAX_LIST_LIMIT,
} from "../capture/index.js";
import { isHttpToken } from "../http/index.js";
import { ProblemError } from "./problem.js";

/** The filters of a list, by their query parameter names: the store's own. */
export type ExchangeFilters = ListFilters;

/** Every filter parameter, for help texts and the OpenAPI document. */
export const FILTER_PARAMETERS = LIST_FILTER_KEYS;

/** The page parameters of a list. */
export const PAGE_PARAMETERS = LIST_PAGE_KEYS;

function bad(field: string, message: string): never {
  throw new ProblemError(400, "invalid_query", `${field} ${message}`, { field });
}

/**
 * The parameters of `url`, refusing any not in `allowed` and any given twice.
 *
 * @example
 * queryParams(new URL("http://x/?limit=5"), ["limit"]); // Map { "limit" => "5" }
 */
export function queryParams(url: URL, allowed: readonly string[]): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    if (!allowed.includes(name)) {
      bad(name, `is not a parameter here; use ${allowed.join(", ")}`);
    }
    if (params.has(name)) bad(name, "is given twice");
    params.set(name, value);
  }
  return params;
}

function nonNegative(name: string, value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) {
    bad(name, `must be a non-negative number of milliseconds, got '${value}'`);
  }
  return n;
}

/**
 * The filters among `params`.
 *
 * @example
 * parseFilters(new Map([["status", "5xx"], ["header", "X-Request-Id: abc"]]));
 * // { status: "5xx", header: { name: "X-Request-Id", value: "abc" } }
 */
export function parseFilters(params: ReadonlyMap<string, string>): ExchangeFilters {
  const filters: ExchangeFilters = {};
  for (const [name, value] of params) {
    switch (name) {
      case "endpoint":
      case "path":
      case "oktaEventType":
      case "targetUser":
      case "text":
      case "parentId":
        if (value === "") bad(name, "must not be empty");
        filters[name] = value;
        break;
      case "method":
        if (!isHttpToken(value)) bad(name, `must be an HTTP method, got '${value}'`);
        filters.method = value;
        break;
      case "status":
        if (/^[1-5]xx$/i.test(value)) filters.status = value.toLowerCase();
        else if (/^[1-9]\d\d$/.test(value)) filters.status = Number(value);
        else bad(name, `must be a status code (404) or class (2xx … 5xx), got '${value}'`);
        break;
      case "minDurationMs":
      case "maxDurationMs":
        filters[name] = nonNegative(name, value);
        break;
      case "origin":
        if (!(EXCHANGE_ORIGINS as readonly string[]).includes(value)) {
          bad(name, `must be one of ${EXCHANGE_ORIGINS.join(", ")}, got '${value}'`);
        }
        filters.origin = value as ExchangeOrigin;
        break;
      case "header": {
        const colon = value.indexOf(":");
        const headerName = (colon === -1 ? value : value.slice(0, colon)).trim();
        if (!isHttpToken(headerName)) {
          bad(name, `must be 'Name: value' (or 'Name' alone), got '${value}'`);
        }
        filters.header = {
          name: headerName,
          value: colon === -1 ? "" : value.slice(colon + 1).trim(),
        };
        break;
      }
      default:
        break;
    }
  }
  if (
    filters.minDurationMs !== undefined &&
    filters.maxDurationMs !== undefined &&
    filters.minDurationMs > filters.maxDurationMs
  ) {
    bad("minDurationMs", "must not be larger than maxDurationMs");
  }
  return filters;
}

/**
 * A list query (page and filters) from the parameters.
 *
 * @example
 * listQuery(queryParams(url, [...PAGE_PARAMETERS, ...FILTER_PARAMETERS]));
 */
export function listQuery(params: ReadonlyMap<string, string>): ListQuery & ExchangeFilters {
  const query: ListQuery & ExchangeFilters = parseFilters(params);
  const limit = params.get("limit");
  if (limit !== undefined) query.limit = parseLimit(limit, MAX_LIST_LIMIT);
  const before = params.get("before");
  if (before !== undefined) {
    if (before === "") bad("before", "must not be empty");
    query.before = before;
  }
  return query;
}

/** A `limit` value from 1 to `max`. */
export function parseLimit(value: string, max: number, field = "limit"): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    bad(field, `must be an integer from 1 to ${max}, got '${value}'`);
  }
  return Number(value);
}
