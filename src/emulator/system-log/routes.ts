/**
 * `GET /api/v1/logs` (shared spec §7): pages of System Log events with Okta's `Link` headers:
 * `self` always, `next` always when polling (an empty page included) and, when bounded, only
 * while more events match.
 */
import type { RequestContext } from "../http/context.js";
import { OktaApiError } from "../http/okta-api-error.js";
import { ok, type Reply } from "../http/reply.js";
import type { Router } from "../http/router.js";
import { compileLogFilter } from "../logic/log-filter.js";
import { LogFilterError } from "../logic/log-filter-parse.js";
import { compileLogQuery, LogQueryError } from "../logic/log-query.js";
import type { LogPosition } from "../store/system-log.js";
import type { StoredLogEvent } from "../store/types.js";
import { formatCursor, type LogQuery, parseLogQuery } from "./query.js";

/** Registers the System Log API. */
export function registerSystemLogRoutes(router: Router): void {
  router.add("GET", "/api/v1/logs", listLogEvents);
}

function listLogEvents(context: RequestContext): Reply {
  const { app, url } = context;
  const query = parseLogQuery(url.searchParams, app.now());
  const matches = matcherOf(query);
  const page: StoredLogEvent[] = [];
  let lastExamined: StoredLogEvent | undefined;
  let more = false;
  const scan = app.store.logs.scan({
    order: query.order,
    ...(query.after === undefined ? {} : { after: query.after }),
    since: query.since,
    ...(query.until === undefined ? {} : { until: query.until }),
  });
  if (query.limit > 0) {
    for (const stored of scan) {
      if (!matches(stored)) {
        if (page.length < query.limit) lastExamined = stored;
        continue;
      }
      if (page.length === query.limit) {
        more = true;
        break;
      }
      page.push(stored);
      lastExamined = stored;
    }
  }
  const links = [`<${url.href}>; rel="self"`];
  const next = nextPosition(query, page, lastExamined, more);
  if (next !== undefined) {
    const nextUrl = new URL(url.href);
    nextUrl.searchParams.set("after", formatCursor(next));
    links.push(`<${nextUrl.href}>; rel="next"`);
  }
  return ok(
    page.map((stored) => stored.event),
    { Link: links },
  );
}

/**
 * Where the next page starts, or `undefined` when there is none. Polling always continues:
 * after the last event examined (matching or not, so filtered-out rows are not re-read), else
 * from where this page started.
 */
function nextPosition(
  query: LogQuery,
  page: readonly StoredLogEvent[],
  lastExamined: StoredLogEvent | undefined,
  more: boolean,
): LogPosition | undefined {
  if (query.mode === "bounded") {
    const last = page.at(-1);
    return more && last !== undefined ? { at: last.publishedAt, seq: last.seq } : undefined;
  }
  if (lastExamined !== undefined) return { at: lastExamined.insertedAt, seq: lastExamined.seq };
  return query.after ?? { at: query.since, seq: 0 };
}

function matcherOf(query: LogQuery): (stored: StoredLogEvent) => boolean {
  let filter: ((event: unknown) => boolean) | undefined;
  let keywords: ((event: unknown) => boolean) | undefined;
  try {
    if (query.filter !== undefined) filter = compileLogFilter(query.filter);
    if (query.q !== undefined) keywords = compileLogQuery(query.q);
  } catch (error) {
    if (error instanceof LogFilterError) {
      const code = error.code === "unsupported_combination" ? "E0000031" : "E0000053";
      throw new OktaApiError(400, code, error.errorSummary);
    }
    if (error instanceof LogQueryError) {
      throw OktaApiError.validation([{ field: "q", message: error.message }]);
    }
    throw error;
  }
  return (stored) =>
    (filter === undefined || filter(stored.event)) &&
    (keywords === undefined || keywords(stored.event));
}
