/**
 * hooktap's own history API: `/api/exchanges` (list with cursor pagination and filters, clear),
 * `/api/exchanges/:id` (get, delete) and `/api/exchanges/:id/replay`.
 */
import type { Exchange } from "../capture/index.js";
import { DEFAULT_DIFF_IGNORED_HEADERS, diffResponses } from "./diff.js";
import { detailView, exchangeUri, summaryView } from "./exchange-view.js";
import { FILTER_PARAMETERS, listQuery, PAGE_PARAMETERS, queryParams } from "./list-params.js";
import { ProblemError, type Reply } from "./problem.js";
import { replayExchange } from "./replay.js";
import { parseReplayOptions } from "./replay-options.js";
import { replayPlan } from "./replay-plan.js";
import { expectObject, readJson } from "./request-body.js";
import { needCapture, needReplayer, type RouteDeps } from "./route-deps.js";
import type { RouteContext, Router } from "./router.js";

/**
 * Left out of a replay's diff: `Date`, and the hop-by-hop fields, which describe the
 * connection (a replay uses a fresh one) rather than what the app answered.
 */
const DIFF_IGNORED = [
  ...DEFAULT_DIFF_IGNORED_HEADERS,
  "connection",
  "keep-alive",
  "proxy-connection",
];

/**
 * The exchange or a 404 problem.
 *
 * @example
 * const exchange = findExchange(deps, params.id ?? "");
 */
export function findExchange(deps: RouteDeps, id: string): Exchange {
  const exchange = needCapture(deps).get(id);
  if (exchange === null) {
    throw new ProblemError(404, "exchange_not_found", `no exchange with id '${id}'`);
  }
  return exchange;
}

/**
 * An AbortSignal that fires when the API client goes away before its answer is written, so
 * a replay nobody waits for is not left hanging on a silent app.
 */
export function clientGone(context: RouteContext): AbortSignal {
  const controller = new AbortController();
  context.res.once("close", () => {
    if (!context.res.writableEnded) controller.abort();
  });
  return controller.signal;
}

function list(deps: RouteDeps, url: URL): Reply {
  const params = queryParams(url, [...PAGE_PARAMETERS, ...FILTER_PARAMETERS]);
  const page = needCapture(deps).list(listQuery(params));
  let nextUri: string | null = null;
  if (page.next !== null) {
    const next = new URLSearchParams(url.searchParams);
    next.set("before", page.next);
    nextUri = `/api/exchanges?${next}`;
  }
  return {
    status: 200,
    body: { items: page.items.map(summaryView), next: page.next, nextUri },
  };
}

async function replay(deps: RouteDeps, context: RouteContext): Promise<Reply> {
  const original = findExchange(deps, context.params.id ?? "");
  const replayer = needReplayer(deps);
  const input = expectObject(
    await readJson(context.req, deps.maxRequestBodyBytes),
    "the replay options",
  );
  const plan = replayPlan(original, parseReplayOptions(input));
  const replayed = await replayExchange(
    { capture: needCapture(deps), replayer, tunnels: () => deps.source.status().tunnels },
    plan,
    clientGone(context),
  );
  return {
    status: 201,
    headers: { Location: exchangeUri(replayed.id) },
    body: {
      exchange: detailView(replayed),
      original: summaryView(original),
      diff: diffResponses(original.response, replayed.response, { ignoreHeaders: DIFF_IGNORED }),
    },
  };
}

/**
 * Adds the exchange routes to `router`.
 *
 * @example
 * addExchangeRoutes(new Router(), deps);
 */
export function addExchangeRoutes(router: Router, deps: RouteDeps): Router {
  return router
    .get("/api/exchanges", ({ url }) => list(deps, url))
    .add("DELETE", "/api/exchanges", ({ url }) => {
      queryParams(url, []);
      needCapture(deps).clear();
      return { status: 204, body: null };
    })
    .get("/api/exchanges/:id", ({ params, url }) => {
      queryParams(url, []);
      return { status: 200, body: detailView(findExchange(deps, params.id ?? "")) };
    })
    .add("DELETE", "/api/exchanges/:id", ({ params }) => {
      const id = params.id ?? "";
      if (!needCapture(deps).delete(id)) {
        throw new ProblemError(404, "exchange_not_found", `no exchange with id '${id}'`);
      }
      return { status: 204, body: null };
    })
    .add("POST", "/api/exchanges/:id/replay", (context) => replay(deps, context));
}
