/**
 * The inspector's HTTP server: Host check first, then the router, JSON out. Built on node:http
 * with a small router: the API is a handful of JSON routes, and Fastify and Hono are only
 * optional peer dependencies of the package.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { silentLogger } from "../log/index.js";
import { addApiRoutes } from "./api-routes.js";
import { allowedHosts, isAllowedHost } from "./host-check.js";
import { problem, send } from "./problem.js";
import { Router } from "./router.js";
import type { Inspector, InspectorOptions } from "./types.js";

/** The inspector's default port, as ngrok's. */
export const DEFAULT_INSPECTOR_PORT = 4040;
/** The inspector's default interface: loopback only. */
export const DEFAULT_INSPECTOR_HOST = "127.0.0.1";

/**
 * Starts the inspector and resolves once it listens. Rejects with the listen error (e.g.
 * `EADDRINUSE`).
 *
 * @example
 * const inspector = await startInspector({ port: 0, source: { status: () => snapshot() } });
 * const res = await fetch(`${inspector.url}/api/tunnels`);
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
  const router = addApiRoutes(new Router(), options.source, options.capture ?? null);
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
    send(res, await match.handler({ req, url, params: match.params }));
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
  await Promise.race([
    once(server, "listening"),
    once(server, "error").then(([error]) => Promise.reject(error)),
  ]);
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
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
