/**
 * `GET /api/v1/logs` (shared spec §7): pages of System Log events with Okta's `Link` headers:
 * `self` always, `next` always when polling (an empty page included) and, when bounded, only
 * while more events match.
 */
import type { LogEventPredicate } from "../engines.js";
import type { RequestContext } from "../http/context.js";
import { OktaApiError } from "../http/okta-api-error.js";
import { ok, type Reply } from "../http/reply.js";
import type { Router } from "../http/router.js";
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
  const matches = matcherOf(context, query);
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

function matcherOf(context: RequestContext, query: LogQuery): (stored: StoredLogEvent) => boolean {
  const { engines } = context.app;
  let filter: LogEventPredicate | undefined;
  if (query.filter !== undefined) {
    if (engines.compileLogFilter === null) throw unavailable("filter");
    try {
      filter = engines.compileLogFilter(query.filter);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new OktaApiError(400, "E0000053", `Invalid filter '${query.filter}': ${reason}`);
    }
  }
  const q = query.q;
  const matchesQ = engines.matchesLogQuery;
  if (q !== undefined && matchesQ === null) throw unavailable("q");
  return (stored) =>
    (filter === undefined || filter(stored.event)) &&
    (q === undefined || matchesQ === null || matchesQ(stored.event, q));
}

function unavailable(parameter: string): OktaApiError {
  return new OktaApiError(501, "E0000009", "Internal Server Error", [
    { errorSummary: `${parameter}: this build of the emulator cannot evaluate '${parameter}'` },
  ]);
}
