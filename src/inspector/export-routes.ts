/**
 * Export and import: `GET /api/exports?format=har|curl|json` of chosen ids or of a filtered
 * list (oldest first), and `POST /api/imports` of a hooktap export or a HAR file, whose
 * exchanges are stored under new ids (origin kept) to be replayed later. The formats are the
 * capture component's (`toHar`, `toCurl`, `toHooktapJson`, `parseImport`).
 */
import {
  type CaptureStore,
  type Exchange,
  parseImport,
  toCurl,
  toHar,
  toHooktapJson,
} from "../capture/index.js";
import { summaryView } from "./exchange-view.js";
import { FILTER_PARAMETERS, parseFilters, parseLimit, queryParams } from "./list-params.js";
import { ProblemError, type Reply } from "./problem.js";
import { targetUrl } from "./replay-options.js";
import { readBody } from "./request-body.js";
import { needCapture, type RouteDeps } from "./route-deps.js";
import type { Router } from "./router.js";

/** An export of a filter holds at most this many exchanges unless `limit` says otherwise. */
export const DEFAULT_EXPORT_LIMIT = 10_000;
/** The largest export. */
export const MAX_EXPORT_LIMIT = 100_000;
/** The largest list page the store gives. */
const PAGE = 1000;

const FORMATS = ["har", "curl", "json"] as const;
type ExportFormat = (typeof FORMATS)[number];

function byIds(store: CaptureStore, text: string): Exchange[] {
  const ids = text.split(",").map((id) => id.trim());
  if (ids.some((id) => id === "")) {
    throw new ProblemError(400, "invalid_query", "ids must be exchange ids separated by commas", {
      field: "ids",
    });
  }
  const found = ids.map((id) => store.get(id));
  const missing = ids.filter((_, i) => found[i] === null);
  if (missing.length > 0) {
    throw new ProblemError(
      404,
      "exchange_not_found",
      `no exchange with id ${missing.map((id) => `'${id}'`).join(", ")}`,
    );
  }
  return found as Exchange[];
}

function byFilter(
  store: CaptureStore,
  params: ReadonlyMap<string, string>,
  limit: number,
): Exchange[] {
  const filters = parseFilters(params);
  const newestFirst: Exchange[] = [];
  let before: string | undefined;
  while (newestFirst.length < limit) {
    const page = store.list({
      ...filters,
      limit: Math.min(PAGE, limit - newestFirst.length),
      ...(before === undefined ? {} : { before }),
    });
    newestFirst.push(...page.items);
    if (page.next === null) break;
    before = page.next;
  }
  return newestFirst.reverse();
}

/** Where curl commands send to, and what HAR entries' URLs start with, unless `baseUrl` is given. */
function defaultBases(deps: RouteDeps, exchanges: readonly Exchange[]) {
  const endpoints = new Set(exchanges.map((x) => x.endpoint));
  const tunnels = deps.source.status().tunnels;
  const tunnel = endpoints.size === 1 ? tunnels.find((t) => endpoints.has(t.name)) : undefined;
  return {
    har: tunnel?.publicUrls[0],
    // curl resends to the app itself: the tunnel's upstream (where a replay goes).
    curl: tunnel?.upstream ?? tunnels[0]?.upstream ?? "http://localhost",
  };
}

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "");
}

function exportReply(deps: RouteDeps, url: URL): Reply {
  const store = needCapture(deps);
  const params = queryParams(url, ["format", "ids", "limit", "baseUrl", ...FILTER_PARAMETERS]);
  const format = (params.get("format") ?? "har") as ExportFormat;
  if (!FORMATS.includes(format)) {
    throw new ProblemError(
      400,
      "invalid_query",
      `format must be har, curl or json, got '${format}'`,
      {
        field: "format",
      },
    );
  }
  const ids = params.get("ids");
  const filtered = [...params.keys()].some((key) =>
    (FILTER_PARAMETERS as readonly string[]).includes(key),
  );
  if (ids !== undefined && (filtered || params.has("limit"))) {
    throw new ProblemError(400, "invalid_query", "ids cannot be combined with filters or limit", {
      field: "ids",
    });
  }
  const limitText = params.get("limit");
  const limit =
    limitText === undefined ? DEFAULT_EXPORT_LIMIT : parseLimit(limitText, MAX_EXPORT_LIMIT);
  const baseText = params.get("baseUrl");
  const baseUrl = baseText === undefined ? undefined : targetUrl(baseText, "baseUrl");
  const exchanges = ids !== undefined ? byIds(store, ids) : byFilter(store, params, limit);
  const bases = defaultBases(deps, exchanges);
  const name = `hooktap-${stamp()}`;
  if (format === "curl") {
    const base = baseUrl ?? bases.curl;
    const text = exchanges.map((x) => toCurl(x, { baseUrl: base })).join("\n\n");
    return {
      status: 200,
      body: null,
      raw: text === "" ? "" : `${text}\n`,
      headers: {
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Disposition": `inline; filename="${name}.sh"`,
      },
    };
  }
  const version = deps.source.status().version;
  const harBase = baseUrl ?? bases.har;
  const document =
    format === "har"
      ? toHar(exchanges, {
          creatorVersion: version,
          ...(harBase === undefined ? {} : { baseUrl: harBase }),
        })
      : toHooktapJson(exchanges);
  return {
    status: 200,
    body: null,
    raw: `${JSON.stringify(document)}\n`,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}.${format === "har" ? "har" : "json"}"`,
    },
  };
}

async function importReply(
  deps: RouteDeps,
  req: Parameters<typeof readBody>[0],
  url: URL,
): Promise<Reply> {
  const store = needCapture(deps);
  const params = queryParams(url, ["endpoint"]);
  const endpoint = params.get("endpoint");
  const bytes = await readBody(req, deps.maxImportBytes);
  if (bytes.byteLength === 0) {
    throw new ProblemError(
      400,
      "invalid_import",
      "the request body is empty: send a hooktap export or a HAR file",
    );
  }
  const exchanges = parseImport(bytes, endpoint === undefined ? {} : { endpoint });
  const stored: Exchange[] = [];
  try {
    for (const exchange of exchanges) stored.push(store.insert(exchange));
  } catch (error) {
    // All or nothing: what went in before the failure comes out again.
    for (const done of stored) store.delete(done.id);
    throw error;
  }
  return {
    status: 201,
    body: {
      count: stored.length,
      ids: stored.map((x) => x.id),
      items: stored.map(summaryView),
    },
  };
}

/**
 * Adds `/api/exports` and `/api/imports` to `router`.
 *
 * @example
 * addExportRoutes(router, deps);
 */
export function addExportRoutes(router: Router, deps: RouteDeps): Router {
  return router
    .get("/api/exports", ({ url }) => exportReply(deps, url))
    .add("POST", "/api/imports", ({ req, url }) => importReply(deps, req, url));
}
