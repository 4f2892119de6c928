/**
 * The local Okta org's HTTP server: node:http (the API is a handful of JSON routes), then for
 * every request, in Okta's order: Host check, API token, route (404/405), body framing (411),
 * the handler; every answer carries `X-Okta-Request-Id` and `X-Rate-Limit-*`.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { silentLogger } from "../log/index.js";
import { newOktaId, newRequestId, OKTA_TIMEOUT_MS } from "../okta/index.js";
import { startHookDispatch } from "./dispatch/dispatch.js";
import { checkKnobs } from "./dispatch/settings.js";
import { defaultEngines } from "./engines.js";
import { createTokenCheck } from "./http/auth.js";
import { lengthRequired, readJson } from "./http/body.js";
import type { EmulatorApp, RequestContext } from "./http/context.js";
import { allowedHosts, isAllowedHost } from "./http/host-check.js";
import { OktaApiError } from "./http/okta-api-error.js";
import { RateLimitCounter } from "./http/rate-limit.js";
import { errorReply, type Reply, writeReply } from "./http/reply.js";
import { Router } from "./http/router.js";
import { apiTokenProblem, loadOrgIdentity } from "./org.js";
import { ROUTE_MODULES } from "./routes.js";
import { openEmulatorStore } from "./store/open-store.js";
import type { OktaEmulator, OktaEmulatorOptions } from "./types.js";

/** The emulator's default port. */
export const DEFAULT_OKTA_EMULATOR_PORT = 7070;
/** The emulator's default interface: loopback only. */
export const DEFAULT_OKTA_EMULATOR_HOST = "127.0.0.1";

/**
 * Starts a local Okta org and resolves once it listens. Throws `TypeError`/`RangeError` for bad
 * options, an `EmulatorStoreError` for an unusable data file, and rejects with the listen error
 * (e.g. `EADDRINUSE`).
 *
 * @example
 * const org = await startOktaEmulator({ port: 0, dataPath: ".hooktap/okta.db" });
 * const client = new okta.Client({ orgUrl: org.url, token: org.token, cacheMiddleware: null });
 * await org.close();
 */
export async function startOktaEmulator(options: OktaEmulatorOptions = {}): Promise<OktaEmulator> {
  const host = options.host ?? DEFAULT_OKTA_EMULATOR_HOST;
  const port = options.port ?? DEFAULT_OKTA_EMULATOR_PORT;
  const logger = options.logger ?? silentLogger;
  const now = options.clock ?? Date.now;
  if (typeof host !== "string" || host.trim() === "") {
    throw new TypeError("host must be a non-empty string");
  }
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${port}`);
  }
  if (options.token !== undefined) {
    const problem =
      typeof options.token === "string" ? apiTokenProblem(options.token) : "must be a string";
    if (problem !== undefined) throw new TypeError(`token ${problem}`);
  }
  const verificationTimeoutMs = options.verificationTimeoutMs;
  if (
    verificationTimeoutMs !== undefined &&
    !(Number.isInteger(verificationTimeoutMs) && verificationTimeoutMs > 0)
  ) {
    throw new RangeError(
      `verificationTimeoutMs must be a positive integer, got ${verificationTimeoutMs}`,
    );
  }
  if (options.delivery !== undefined) checkKnobs(options.delivery);
  const shutdown = new AbortController();
  const store = openEmulatorStore(options.dataPath ?? ":memory:", { logger, now });
  try {
    const org = loadOrgIdentity(store, options.token === undefined ? {} : { token: options.token });
    const router = new Router();
    for (const register of ROUTE_MODULES) register(router);
    const server = createServer();
    server.listen(port, host);
    await Promise.race([
      once(server, "listening"),
      once(server, "error").then(([error]) => Promise.reject(error)),
    ]);
    const actualPort = (server.address() as AddressInfo).port;
    const urlHost =
      host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
    const orgUrl = `http://${urlHost}:${actualPort}`;
    const hooks = startHookDispatch({
      store,
      orgUrl,
      logger,
      now,
      ...(options.delivery === undefined ? {} : { knobs: options.delivery }),
      ...(options.deliveryTimeoutMs === undefined ? {} : { timeoutMs: options.deliveryTimeoutMs }),
    });
    const app: EmulatorApp = {
      store,
      orgUrl,
      org,
      logger,
      now,
      hooks,
      requireHttps: options.requireHttps ?? false,
      engines: defaultEngines({
        logger,
        signal: shutdown.signal,
        verificationTimeoutMs: options.verificationTimeoutMs ?? OKTA_TIMEOUT_MS,
      }),
    };
    const handler = createRequestHandler(app, router, allowedHosts(host, actualPort, orgUrl));
    server.on("request", handler);
    logger.debug("Okta emulator listening", { url: orgUrl });
    let closing: Promise<void> | undefined;
    return {
      url: orgUrl,
      port: actualPort,
      token: org.token,
      store,
      flushDeliveries: () => hooks.flush(),
      close() {
        closing ??= new Promise<void>((resolve) => {
          shutdown.abort();
          server.close(() => {
            hooks.close().finally(() => {
              store.close();
              resolve();
            });
          });
          server.closeAllConnections();
        });
        return closing;
      },
    };
  } catch (error) {
    store.close();
    throw error;
  }
}

function createRequestHandler(
  app: EmulatorApp,
  router: Router,
  allowed: readonly string[],
): (req: IncomingMessage, res: ServerResponse) => void {
  const tokens = createTokenCheck(app.org.token);
  const rateLimits = new RateLimitCounter();
  return function handleRequest(req, res) {
    const nowMs = app.now();
    const requestId = newRequestId({ now: nowMs });
    const method = req.method ?? "GET";
    const url = requestUrl(req, app.orgUrl);
    const common = {
      "X-Okta-Request-Id": requestId,
      ...rateLimits.take(url?.pathname ?? "/", nowMs),
    };
    const answer = (reply: Reply): void => writeReply(res, reply, common, method);
    const fail = (error: OktaApiError): void => answer(errorReply(error, newErrorId()));
    route(app, router, allowed, tokens.accepts.bind(tokens), { req, url, requestId })
      .then(answer, (error: unknown) => {
        if (error instanceof OktaApiError) return fail(error);
        app.logger.error("Okta emulator request failed", {
          method,
          path: req.url,
          requestId,
          error: error instanceof Error ? error.message : String(error),
        });
        fail(OktaApiError.internal());
      })
      .catch(() => {
        // Writing failed (client gone): nothing left to tell.
        res.destroy();
      });
  };
}

async function route(
  app: EmulatorApp,
  router: Router,
  allowed: readonly string[],
  acceptsToken: (authorization: string | undefined) => boolean,
  request: { req: IncomingMessage; url: URL | undefined; requestId: string },
): Promise<Reply> {
  const { req, url, requestId } = request;
  if (!isAllowedHost(req.headers.host, allowed)) {
    throw new OktaApiError(
      403,
      "E0000006",
      "You do not have permission to perform the requested action",
      [
        {
          errorSummary: `Host: '${req.headers.host ?? ""}' is not this org; use ${allowed.join(", ")} (DNS rebinding protection)`,
        },
      ],
    );
  }
  if (url === undefined)
    throw new OktaApiError(400, "E0000003", "The request was not well-formed.");
  if (!acceptsToken(req.headers.authorization)) throw OktaApiError.invalidToken();
  const match = router.match(req.method ?? "GET", url.pathname);
  if (match.kind === "not_found") {
    throw OktaApiError.notFound(url.pathname, "Path");
  }
  if (match.kind === "method_not_allowed") throw OktaApiError.methodNotAllowed(match.allow);
  const unframed = lengthRequired(req);
  if (unframed !== undefined) throw unframed;
  const context: RequestContext = {
    app,
    req,
    url,
    params: match.params,
    requestId,
    client: {
      ipAddress: (req.socket.remoteAddress ?? "127.0.0.1").replace(/^::ffff:/, ""),
      userAgent: req.headers["user-agent"] ?? null,
    },
    readJson: () => readJson(req),
  };
  return match.handler(context);
}

/** The request target as an absolute URL on the org, or `undefined` when it is not a path. */
function requestUrl(req: IncomingMessage, orgUrl: string): URL | undefined {
  const target = req.url ?? "/";
  if (!target.startsWith("/")) return undefined;
  try {
    // Concatenated, not resolved: a target like `//evil.example/x` stays a path on the org.
    return new URL(`${orgUrl}${target}`);
  } catch {
    return undefined;
  }
}

/** An `errorId` shaped like Okta's (`oae` + 22 characters). */
function newErrorId(): string {
  return newOktaId("oae") + newOktaId("oae").slice(3, 8);
}
