/**
 * Checks of the values handed to a store, written once so that every implementation rejects the
 * same inputs with the same `StoreError("invalid_argument")` naming the same field.
 */
import { isHttpFieldValue, isHttpToken } from "../../http/index.js";
import type { EdgePolicy } from "../../protocol/index.js";
import { QUEUE_TTL_MS } from "./backoff.js";
import { StoreError } from "./errors.js";
import { assertEndpointName } from "./names.js";
import type {
  AttemptRecord,
  EnqueueOptions,
  HistoryOptions,
  ListRequestsOptions,
  PendingOptions,
  QueueSelection,
  RequestFilter,
} from "./relay-store.js";
import { type NewQueuedRequest, QUEUE_STATES, type QueuedRequestState } from "./types.js";

/** Longer error texts are cut: they come from sockets and upstreams and are only for humans. */
export const MAX_ERROR_CHARS = 2000;

/** The largest page `history` returns. */
export const MAX_HISTORY_LIMIT = 1000;

/** The page size of `history` when none is asked. */
export const DEFAULT_HISTORY_LIMIT = 50;

const HTTP_VERSION_PATTERN = /^[0-9](?:\.[0-9])?$/;
// RFC 9110 §5.5 field-value characters, as the protocol accepts them for a required header.

function invalid(field: string, message: string): StoreError {
  return new StoreError("invalid_argument", `${field} ${message}`, { field });
}

/**
 * Throws unless `value` is a whole number of milliseconds (times are INTEGER columns).
 *
 * @example
 * assertTime(now, "now");
 */
export function assertTime(value: unknown, field: string): asserts value is number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw invalid(field, "must be a non-negative integer number of milliseconds");
  }
}

/**
 * Throws unless `value` is a string (ids and free texts).
 *
 * @example
 * assertString(id, "id");
 */
export function assertString(value: unknown, field: string): asserts value is string {
  if (typeof value !== "string") throw invalid(field, "must be a string");
}

/**
 * Checks a request handed to `enqueue` and resolves its time-to-live.
 *
 * @example
 * const ttlMs = checkEnqueue(request, options);
 */
export function checkEnqueue(request: NewQueuedRequest, options: EnqueueOptions = {}): number {
  if (typeof request !== "object" || request === null)
    throw invalid("request", "must be an object");
  assertEndpointName(request.endpoint);
  if (!isHttpToken(request.method)) {
    throw invalid("method", "must be an HTTP method token");
  }
  assertString(request.target, "target");
  if (typeof request.httpVersion !== "string" || !HTTP_VERSION_PATTERN.test(request.httpVersion)) {
    throw invalid("httpVersion", "must look like 1.1");
  }
  if (!Array.isArray(request.rawHeaders)) throw invalid("rawHeaders", "must be an array of pairs");
  request.rawHeaders.forEach((pair, index) => {
    if (
      !Array.isArray(pair) ||
      pair.length !== 2 ||
      typeof pair[0] !== "string" ||
      typeof pair[1] !== "string"
    ) {
      throw invalid(`rawHeaders[${index}]`, "must be a [name, value] pair of strings");
    }
  });
  if (!(request.body instanceof Uint8Array)) throw invalid("body", "must be a Uint8Array");
  assertString(request.remoteAddress, "remoteAddress");
  assertTime(request.receivedAt, "receivedAt");
  const ttlMs = options.ttlMs ?? QUEUE_TTL_MS;
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw invalid("ttlMs", "must be a positive integer number of milliseconds");
  }
  return ttlMs;
}

/**
 * Throws unless `status` is an HTTP status code (100–599), or a 2xx one when `success`.
 *
 * @example
 * assertStatus(503, "status");
 */
export function assertStatus(
  status: unknown,
  field: string,
  success = false,
): asserts status is number {
  const low = success ? 200 : 100;
  const high = success ? 299 : 599;
  if (typeof status !== "number" || !Number.isInteger(status) || status < low || status > high) {
    throw invalid(field, `must be an integer status code in ${low}-${high}`);
  }
}

/**
 * Checks an attempt record and returns the error text to store (cut to {@link MAX_ERROR_CHARS}).
 *
 * @example
 * const error = checkAttempt(attempt);
 */
export function checkAttempt(attempt: AttemptRecord): string | null {
  if (typeof attempt !== "object" || attempt === null)
    throw invalid("attempt", "must be an object");
  assertTime(attempt.nextAttemptAt, "nextAttemptAt");
  if (attempt.at !== undefined) assertTime(attempt.at, "at");
  if (attempt.status !== undefined) assertStatus(attempt.status, "status");
  if (attempt.error === undefined) return null;
  assertString(attempt.error, "error");
  return clipError(attempt.error);
}

/**
 * `text` cut to {@link MAX_ERROR_CHARS} characters, marked with an ellipsis when cut.
 *
 * @example
 * clipError(socketError.message);
 */
export function clipError(text: string): string {
  return text.length <= MAX_ERROR_CHARS ? text : `${text.slice(0, MAX_ERROR_CHARS - 1)}…`;
}

/**
 * The page size and cursor of a `history` call, checked.
 *
 * @example
 * const { limit, before } = checkHistory(options);
 */
export function checkHistory(options: HistoryOptions = {}): {
  limit: number;
  before: string | null;
} {
  const limit = options.limit ?? DEFAULT_HISTORY_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_LIMIT) {
    throw invalid("limit", `must be an integer in 1-${MAX_HISTORY_LIMIT}`);
  }
  if (options.before !== undefined) assertString(options.before, "before");
  return { limit, before: options.before ?? null };
}

/**
 * The page size of a `pending` call, checked; `null` means all.
 *
 * @example
 * const limit = checkPending(options) ?? -1; // SQLite's "no limit"
 */
export function checkPending(options: PendingOptions = {}): number | null {
  if (options.limit === undefined) return null;
  if (!Number.isSafeInteger(options.limit) || options.limit < 1) {
    throw invalid("limit", "must be a positive integer");
  }
  return options.limit;
}

/**
 * Checks an edge policy handed to `setEndpointPolicy` and returns a copy holding only the
 * fields of `EdgePolicy`, as the protocol's decoder would have produced it.
 *
 * @example
 * const stored = JSON.stringify(checkPolicy(policy));
 */
export function checkPolicy(policy: EdgePolicy): EdgePolicy {
  if (typeof policy !== "object" || policy === null) throw invalid("policy", "must be an object");
  const { oktaChallenge, requireHeader, maxBodyBytes, queue } = policy;
  if (oktaChallenge !== "app" && oktaChallenge !== "edge") {
    throw invalid("policy.oktaChallenge", 'must be "app" or "edge"');
  }
  if (queue !== "offline" && queue !== "always" && queue !== "never") {
    throw invalid("policy.queue", 'must be "offline", "always" or "never"');
  }
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 0) {
    throw invalid("policy.maxBodyBytes", "must be a non-negative integer");
  }
  if (requireHeader === null) return { oktaChallenge, requireHeader, maxBodyBytes, queue };
  if (typeof requireHeader !== "object") {
    throw invalid("policy.requireHeader", "must be null or a { name, value } object");
  }
  const { name, value } = requireHeader;
  if (!isHttpToken(name)) {
    throw invalid("policy.requireHeader.name", "must be an HTTP token");
  }
  if (!isHttpFieldValue(value) || value === "") {
    throw invalid("policy.requireHeader.value", "must be a non-empty header value");
  }
  return { oktaChallenge, requireHeader: { name, value }, maxBodyBytes, queue };
}

/** A {@link RequestFilter}, checked, with `null` for "any". */
export interface CheckedFilter {
  endpoint: string | null;
  state: QueuedRequestState | null;
}

/**
 * Checks a filter of `listRequests`/`countRequests` (the endpoint's existence is the store's
 * business).
 *
 * @example
 * const { endpoint, state } = checkRequestFilter(options);
 */
export function checkRequestFilter(filter: RequestFilter = {}): CheckedFilter {
  if (typeof filter !== "object" || filter === null) throw invalid("filter", "must be an object");
  if (filter.endpoint !== undefined) assertEndpointName(filter.endpoint);
  if (filter.state !== undefined && !QUEUE_STATES.includes(filter.state)) {
    throw invalid("state", 'must be "pending", "delivered" or "failed"');
  }
  return { endpoint: filter.endpoint ?? null, state: filter.state ?? null };
}

/**
 * Checks the options of `listRequests`.
 *
 * @example
 * const { endpoint, state, limit, before } = checkListRequests(options);
 */
export function checkListRequests(
  options: ListRequestsOptions = {},
): CheckedFilter & { limit: number; before: string | null } {
  return { ...checkRequestFilter(options), ...checkHistory(options) };
}

/** A {@link QueueSelection}, checked: `ids` is `null` for "every failed request". */
export interface CheckedSelection {
  ids: string[] | null;
  endpoint: string | null;
}

/**
 * Checks a selection of `retryRequests`/`dropRequests`; repeated ids count once.
 *
 * @example
 * const { ids, endpoint } = checkSelection({ ids: ["req_01…"] });
 */
export function checkSelection(selection: QueueSelection): CheckedSelection {
  if (typeof selection !== "object" || selection === null) {
    throw invalid("selection", "must be { ids } or { failed: true }");
  }
  if (selection.endpoint !== undefined) assertEndpointName(selection.endpoint);
  const endpoint = selection.endpoint ?? null;
  if ("ids" in selection) {
    if (!Array.isArray(selection.ids) || selection.ids.length === 0) {
      throw invalid("ids", "must be a non-empty array of request ids");
    }
    for (const [index, id] of selection.ids.entries()) assertString(id, `ids[${index}]`);
    return { ids: [...new Set(selection.ids)], endpoint };
  }
  if (selection.failed !== true) throw invalid("selection", "must be { ids } or { failed: true }");
  return { ids: null, endpoint };
}
