/**
 * The inspector's HTTP server: Host check first, then the cross-origin check for calls that
 * change something, then the router; JSON out, problems for every error. Built on node:http
 * with a small router: the API is a few dozen JSON routes, and Fastify and Hono are only
 * optional peer dependencies of the package.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CaptureError } from "../capture/index.js";
import { silentLogger } from "../log/index.js";
import { addApiRoutes } from "./api-routes.js";
import { addExchangeRoutes } from "./exchange-routes.js";
import { addExportRoutes } from "./export-routes.js";
import { allowedHosts, isAllowedHost } from "./host-check.js";
import { addStreamRoute, createEventLog, type EventLog } from "./live-stream.js";
import { ModificationError } from "./modify/errors.js";
import { addNgrokRoutes } from "./ngrok-routes.js";
import { openApiDocument } from "./openapi.js";
import { crossOriginRefusal } from "./origin-check.js";
import { ProblemError, problem, type Reply, send } from "./problem.js";
import { DEFAULT_MAX_IMPORT_BYTES, DEFAULT_MAX_REQUEST_BODY_BYTES } from "./request-body.js";
import type { RouteDeps } from "./route-deps.js";
import { Router } from "./router.js";
import type { Inspector, InspectorOptions } from "./types.js";

/** The inspector's default port, as ngrok's. */
export const DEFAULT_INSPECTOR_PORT = 4040;
/** The inspector's default interface: loopback only. */
export const DEFAULT_INSPECTOR_HOST = "127.0.0.1";
/** The live stream's default heartbeat interval. */
export const DEFAULT_HEARTBEAT_MS = 15_000;

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/**
 * Every route of the inspector on one router.
 *
 * @example
 * createRouter(deps, null).routes(); // [{ method: "GET", pattern: "/api" }, …]
 */
export function createRouter(deps: RouteDeps, log: EventLog | null): Router {
  const router = addApiRoutes(new Router(), deps.source, deps.capture);
  addStreamRoute(router, deps, log);
  addExchangeRoutes(router, deps);
  addNgrokRoutes(router, deps);
  addExportRoutes(router, deps);
  router.get("/api/openapi.json", () => ({
    status: 200,
    body: openApiDocument(deps.source.status().version),
  }));
  return router;
}

/** The problem for an error thrown by a route. */
function problemOf(error: unknown): Reply | null {
  if (error instanceof ProblemError) return error.toReply();
  if (error instanceof ModificationError) {
    return problem(400, error.code, error.message, undefined, error.field ?? error.path);
  }
  if (error instanceof CaptureError) {
    switch (error.code) {
      case "invalid_argument":
      case "invalid_exchange":
      case "invalid_import":
        return problem(400, error.code, error.message, undefined, error.field);
      case "closed":
        return problem(503, "capture_closed", "the capture store is closed");
      default:
        return null;
    }
  }
  return null;
}

/**
 * Starts the inspector and resolves once it listens. Rejects with the listen error (e.g.
 * `EADDRINUSE`).
 *
 * @example
 * const inspector = await startInspector({ port: 0, source: { status: () => snapshot() }, capture });
 * const res = await fetch(`${inspector.url}/api/exchanges`);
 * await inspector.close();
 */
export async function startInspector(options: InspectorOptions): Promise<Inspector> {
  const host = options.host ?? DEFAULT_INSPECTOR_HOST;
  const port = options.port ?? DEFAULT_INSPECTOR_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${port}`);
  }
  if (typeof options.source?.status !== "function") {
    throw new TypeError("source must have a status() method");
  }
  const logger = options.logger ?? silentLogger;
  const deps: RouteDeps = {
    source: options.source,
    capture: options.capture ?? null,
    replayer: options.replayer ?? null,
    maxRequestBodyBytes: positiveInteger(
      options.maxRequestBodyBytes ?? DEFAULT_MAX_REQUEST_BODY_BYTES,
      "maxRequestBodyBytes",
    ),
    maxImportBytes: positiveInteger(
      options.maxImportBytes ?? DEFAULT_MAX_IMPORT_BYTES,
      "maxImportBytes",
    ),
    heartbeatMs: positiveInteger(options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS, "heartbeatMs"),
    logger,
  };
  const log = deps.capture === null ? null : createEventLog(deps.capture);
  const router = createRouter(deps, log);
  let allowed: string[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!isAllowedHost(req.headers.host, allowed)) {
      send(
        res,
        problem(
          403,
          "host_not_allowed",
          `the inspector answers only to ${allowed.join(", ")}; Host '${req.headers.host ?? ""}' is refused (DNS rebinding protection)`,
        ),
      );
      return;
    }
    const refusal = crossOriginRefusal(
      {
        method: req.method ?? "GET",
        origin: req.headers.origin,
        fetchSite: headerValue(req.headers["sec-fetch-site"]),
      },
      allowed,
    );
    if (refusal !== null) {
      send(
        res,
        problem(
          403,
          "cross_origin_refused",
          `${refusal}: the inspector refuses changes asked by other web pages (CSRF protection)`,
          { Connection: "close" },
        ),
      );
      return;
    }
    const url = new URL(req.url ?? "/", "http://inspector.invalid");
    const match = router.match(req.method ?? "GET", url.pathname);
    if (match.kind === "not_found") {
      send(res, problem(404, "not_found", `no such resource: ${url.pathname}`));
      return;
    }
    if (match.kind === "method_not_allowed") {
      const allow = match.allow.join(", ");
      send(
        res,
        problem(405, "method_not_allowed", `${req.method} is not allowed here; use ${allow}`, {
          Allow: allow,
        }),
      );
      return;
    }
    let reply: Reply | null;
    try {
      reply = await match.handler({ req, res, url, params: match.params });
    } catch (error) {
      const known = problemOf(error);
      if (known === null) throw error;
      reply = known;
    }
    if (reply !== null && !res.headersSent) send(res, reply);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error("inspector request failed", {
        path: req.url,
        error: error instanceof Error ? error.message : String(error),
      });
      if (!res.headersSent)
        send(res, problem(500, "internal_error", "the inspector failed to answer"));
      else res.destroy();
    });
  });
  server.listen(port, host);
  try {
    await Promise.race([
      once(server, "listening"),
      once(server, "error").then(([error]) => Promise.reject(error)),
    ]);
  } catch (error) {
    log?.close();
    throw error;
  }
  const actualPort = (server.address() as AddressInfo).port;
  allowed = allowedHosts(host, actualPort);
  const urlHost =
    host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  logger.debug("inspector listening", { host, port: actualPort });
  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    close() {
      closing ??= new Promise<void>((resolve) => {
        log?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
