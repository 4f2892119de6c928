/**
 * The query of `GET /api/v1/logs` (shared spec §7.1), checked at the boundary: every bad
 * parameter is an Okta error naming it, and the result says which of Okta's two modes applies.
 *
 * - **Polling** (`until` absent, `ASCENDING`): events in persistence order from `since`, and a
 *   `next` link on every page, even an empty one.
 * - **Bounded** (`until` given, or `DESCENDING`): events by `published` in `[since, until)`,
 *   finite; the last page has no `next` link.
 */
import { OktaApiError } from "../http/okta-api-error.js";
import type { LogPosition } from "../store/system-log.js";

/** Okta's default and maximum page sizes. */
export const DEFAULT_LOG_LIMIT = 100;
export const MAX_LOG_LIMIT = 1000;
/** `since` defaults to 7 days before `until`. */
export const DEFAULT_WINDOW_MS = 7 * 24 * 3600 * 1000;
/** Okta refuses a `since` more than 180 days ago. */
export const MAX_SINCE_AGE_MS = 180 * 24 * 3600 * 1000;
/** Okta returns nothing older than 90 days. */
export const RETENTION_MS = 90 * 24 * 3600 * 1000;

/** A checked System Log query. */
export interface LogQuery {
  mode: "polling" | "bounded";
  order: "persisted" | "ascending" | "descending";
  /** Lower bound (inclusive): persistence time when polling, `published` when bounded. */
  since: number;
  /** Upper bound (exclusive) on `published`; `undefined` when polling. */
  until: number | undefined;
  after: LogPosition | undefined;
  limit: number;
  filter: string | undefined;
  q: string | undefined;
}

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?([Zz]|[+-]\d{2}:?\d{2})?$/;

/**
 * Epoch milliseconds of an ISO-8601 date (a missing zone is UTC), or `undefined` when the text
 * is not one (e.g. `Date.prototype.toString()` output, which the Node SDK sends for a `Date`).
 */
export function parseIsoDate(text: string): number | undefined {
  const m = ISO_DATE.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h = "00", mi = "00", s = "00", frac = "", zone = "Z"] = m;
  const normalized = `${y}-${mo}-${d}T${h}:${mi}:${s}.${frac.padEnd(3, "0").slice(0, 3)}${
    zone === "z" ? "Z" : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone
  }`;
  const ms = Date.parse(normalized);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls 2024-02-31 over to March: refuse days that do not exist.
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12) return undefined;
  if (day < 1 || day > new Date(Date.UTC(Number(y), month, 0)).getUTCDate()) return undefined;
  return ms;
}

const DATE_MESSAGE =
  "The date format in your query is not recognized. Please enter dates using ISO8601 string format (e.g. 2017-05-03T16:22:18Z).";

function dateParam(params: URLSearchParams, name: string): number | undefined {
  const text = params.get(name);
  if (text === null || text === "") return undefined;
  const ms = parseIsoDate(text);
  if (ms === undefined) throw OktaApiError.validation([{ field: name, message: DATE_MESSAGE }]);
  return ms;
}

/** `<ms>_<seq>`, the form of the `after` cursors this org gives out (as Okta's). */
export function formatCursor(position: LogPosition): string {
  return `${position.at}_${position.seq}`;
}

function parseCursor(text: string): LogPosition {
  const m = /^(-?\d{1,16})_(\d{1,16})$/.exec(text);
  if (m === null) {
    throw OktaApiError.validation([
      {
        field: "after",
        message: `'${text}' is not a cursor this org gave out; follow the Link rel="next" URL as given`,
      },
    ]);
  }
  return { at: Number(m[1]), seq: Number(m[2]) };
}

/**
 * Checks the query parameters of `GET /api/v1/logs` at time `now`.
 *
 * @example
 * parseLogQuery(new URLSearchParams("since=2024-01-01T00:00:00Z"), Date.now()).mode; // "polling"
 */
export function parseLogQuery(params: URLSearchParams, now: number): LogQuery {
  const since = dateParam(params, "since");
  const until = dateParam(params, "until");
  if (since !== undefined && since < now - MAX_SINCE_AGE_MS) {
    throw new OktaApiError(
      400,
      "E0000053",
      "Invalid parameter: The since parameter is over 180 days prior to the current day.",
    );
  }
  if (since !== undefined && until !== undefined && since >= until) {
    throw OktaApiError.validation([{ field: "since", message: "must be earlier than until" }]);
  }
  const limitText = params.get("limit");
  let limit = DEFAULT_LOG_LIMIT;
  if (limitText !== null && limitText !== "") {
    limit = /^\d{1,9}$/.test(limitText) ? Number(limitText) : Number.NaN;
    if (!(limit >= 0 && limit <= MAX_LOG_LIMIT)) {
      throw OktaApiError.validation([
        {
          field: "limit",
          message: `must be an integer from 0 to ${MAX_LOG_LIMIT}, got '${limitText}'`,
        },
      ]);
    }
  }
  const sortText = params.get("sortOrder");
  const sortOrder = sortText === null || sortText === "" ? "ASCENDING" : sortText.toUpperCase();
  if (sortOrder !== "ASCENDING" && sortOrder !== "DESCENDING") {
    throw OktaApiError.validation([
      { field: "sortOrder", message: `must be ASCENDING or DESCENDING, got '${sortText}'` },
    ]);
  }
  const afterText = params.get("after");
  const after = afterText === null || afterText === "" ? undefined : parseCursor(afterText);
  const qText = params.get("q");
  const q = qText === null || qText.trim() === "" ? undefined : qText.trim();
  const filterText = params.get("filter");
  const filter = filterText === null || filterText.trim() === "" ? undefined : filterText;
  const oldest = now - RETENTION_MS;
  if (until === undefined && sortOrder === "ASCENDING") {
    return {
      mode: "polling",
      order: "persisted",
      since: Math.max(since ?? now - DEFAULT_WINDOW_MS, oldest),
      until: undefined,
      after,
      limit,
      filter,
      q,
    };
  }
  const end = until ?? now;
  return {
    mode: "bounded",
    order: sortOrder === "ASCENDING" ? "ascending" : "descending",
    since: Math.max(since ?? end - DEFAULT_WINDOW_MS, oldest),
    until: end,
    after,
    limit,
    filter,
    q,
  };
}
