/**
 * The public side of the relay: every HTTP request that is not an upgrade. It routes the
 * request to an endpoint, applies the endpoint's edge policies in a fixed order (body limit on
 * the declared length, required header, Okta challenge at the edge), then either forwards it
 * live to the online agent or stores it in the durable queue.
 *
 * Live or queued:
 * - agent online: live, unless the policy says `queue: "always"`; a verification challenge
 *   left to the app always goes live, since only the app can answer it;
 * - agent offline, `queue: "never"`: 502 `agent_offline`;
 * - agent offline, a challenge left to the app (`oktaChallenge: "app"`): 503 `agent_offline`.
 *   It is not queued: a verification answered later verifies nothing, and a 5xx tells the
 *   admin in Okta's console to retry once the agent runs (or to let the relay answer it);
 * - agent offline otherwise: queued, answered 200.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EdgePolicy } from "../protocol/index.js";
import type { PublicRequest } from "./edge-report.js";
import { challengeResponse, errorResponse } from "./errors.js";
import { answerAtEdge, type Exchange, hasUnreadBody, type IngressContext } from "./exchange.js";
import { forwardLive } from "./forward.js";
import { challengeOf, declaredLength, hasRequiredHeader, pairHeaders } from "./policies.js";
import { acceptIntoQueue } from "./queue-ingress.js";
import { sendResponse } from "./respond.js";
import { routeRequest } from "./routing.js";

/**
 * The `request` listener of the relay's HTTP server.
 *
 * @example
 * const server = createServer(createIngressHandler(ctx));
 */
export function createIngressHandler(
  ctx: IngressContext,
): (req: IncomingMessage, res: ServerResponse) => void {
  return function ingress(req, res) {
    handle(ctx, req, res).catch((error: unknown) => {
      ctx.logger.error("public request failed", {
        error: error instanceof Error ? error.message : String(error),
      });
      if (res.headersSent) res.destroy();
      else {
        sendResponse(
          res,
          errorResponse("internal_error", "the relay failed to handle the request"),
          {
            close: true,
          },
        );
      }
    });
  };
}

async function handle(
  ctx: IngressContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const receivedAt = ctx.now();
  const rawHeaders = pairHeaders(req.rawHeaders);
  const declared = declaredLength(rawHeaders);
  const close = (): boolean => hasUnreadBody(req, declared);
  const route = routeRequest({ rawHeaders, target: req.url ?? "", domain: ctx.domain });
  if (route.kind === "error") {
    sendResponse(res, errorResponse(route.code, route.message), { close: close() });
    return;
  }
  if (route.kind === "agent") {
    const response = errorResponse("websocket_required", "agents connect here with a WebSocket", {
      extraHeaders: [["Upgrade", "websocket"]],
    });
    sendResponse(res, response, { close: close() });
    return;
  }
  const session = ctx.online(route.name);
  let policy: EdgePolicy | null = session?.policy ?? null;
  if (session === undefined || policy === null) {
    if ((await ctx.store.endpointOwner(route.name)) === null) {
      sendResponse(
        res,
        errorResponse("unknown_endpoint", `no endpoint ${route.name} on this relay`),
        {
          close: close(),
        },
      );
      return;
    }
    policy = (await ctx.store.endpointPolicy(route.name)) ?? ctx.defaultPolicy;
  }
  const request: PublicRequest = {
    method: req.method ?? "GET",
    target: route.target,
    httpVersion: req.httpVersion,
    rawHeaders,
    remoteAddress: req.socket.remoteAddress ?? "",
    scheme: ctx.scheme,
    receivedAt,
  };
  const exchange: Exchange = {
    req,
    res,
    endpoint: route.name,
    request,
    policy,
    session,
    declaredLength: declared,
  };
  await dispatch(ctx, exchange);
}

async function dispatch(ctx: IngressContext, exchange: Exchange): Promise<void> {
  const { policy, request, session, declaredLength: declared } = exchange;
  const unread = { unread: declared ?? 0 };
  if (declared !== null && declared > policy.maxBodyBytes) {
    const message = `the body is larger than ${policy.maxBodyBytes} bytes`;
    answerAtEdge(ctx, exchange, "too_large", errorResponse("body_too_large", message), unread);
    return;
  }
  if (
    policy.requireHeader !== null &&
    !hasRequiredHeader(request.rawHeaders, policy.requireHeader)
  ) {
    const message = `a valid ${policy.requireHeader.name} header is required`;
    answerAtEdge(ctx, exchange, "unauthorized", errorResponse("unauthorized", message), unread);
    return;
  }
  const challenge = challengeOf(request.method, request.rawHeaders);
  if (challenge !== null && policy.oktaChallenge === "edge") {
    answerAtEdge(ctx, exchange, "challenge", challengeResponse(challenge), unread);
    return;
  }
  if (session !== undefined && (policy.queue !== "always" || challenge !== null)) {
    await forwardLive({
      req: exchange.req,
      res: exchange.res,
      session,
      request,
      maxBodyBytes: policy.maxBodyBytes,
      declaredLength: declared,
      logger: ctx.logger,
    });
    return;
  }
  if (session === undefined && (policy.queue === "never" || challenge !== null)) {
    const response =
      challenge !== null
        ? errorResponse(
            "agent_offline",
            "the endpoint's agent is offline, and a verification challenge cannot be queued",
            { status: 503 },
          )
        : errorResponse("agent_offline", "the endpoint's agent is offline");
    answerAtEdge(ctx, exchange, "offline", response, unread);
    return;
  }
  await acceptIntoQueue(ctx, exchange);
}
