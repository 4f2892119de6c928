/**
 * A public request on its way through the ingress, what the ingress needs from the relay, and
 * the one way to answer it with the relay's own response and report that to the agent.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../log/index.js";
import type { EdgePolicy, EdgeReason } from "../protocol/index.js";
import { buildEdgeReport, type PublicRequest, type ReportedBody } from "./edge-report.js";
import type { RelayResponse } from "./errors.js";
import { sendResponse } from "./respond.js";
import type { AgentSession } from "./session.js";
import type { RelayStore } from "./store/index.js";

/** What the ingress needs from the relay. */
export interface IngressContext {
  store: RelayStore;
  /** The open session of an endpoint whose agent is online. */
  online: (name: string) => AgentSession | undefined;
  domain: string | null;
  scheme: "http" | "https";
  defaultPolicy: EdgePolicy;
  queueTtlMs: number;
  logger: Logger;
  now: () => number;
  /** A request of `endpoint` was stored in the queue. */
  onEnqueued: (endpoint: string) => void;
}

/** A request routed to an endpoint, with the policy that applies to it. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  endpoint: string;
  request: PublicRequest;
  policy: EdgePolicy;
  /** The endpoint's open session, when its agent is online. */
  session: AgentSession | undefined;
  /** The declared `Content-Length`, or `null`. */
  declaredLength: number | null;
}

/**
 * True when the request has a body that has not been read to its end: answering it then
 * closes the connection (see `sendResponse`).
 *
 * @example
 * sendResponse(res, response, { close: hasUnreadBody(req, declaredLength) });
 */
export function hasUnreadBody(req: IncomingMessage, declaredLength: number | null): boolean {
  const chunked = req.headers["transfer-encoding"] !== undefined;
  return (chunked || (declaredLength ?? 0) > 0) && !req.complete;
}

/**
 * Answers the exchange with the relay's own `response` and reports it to the agent as `edge`
 * (reason `reason`) when the agent is online; when it is not, the report has nowhere to go
 * and is dropped (logged at debug): the relay keeps no history of what it blocked.
 *
 * @example
 * answerAtEdge(ctx, exchange, "unauthorized", errorResponse("unauthorized", "…"), { unread: 0 });
 */
export function answerAtEdge(
  ctx: IngressContext,
  exchange: Exchange,
  reason: EdgeReason,
  response: RelayResponse,
  body: ReportedBody,
  queueId?: string,
): void {
  const { req, res, session } = exchange;
  const written = sendResponse(res, response, {
    close: hasUnreadBody(req, exchange.declaredLength),
  });
  if (session === undefined || !session.isOpen) {
    ctx.logger.debug("edge report dropped: the endpoint's agent is offline", {
      endpoint: exchange.endpoint,
      reason,
      status: response.status,
    });
    return;
  }
  session.sendEdge(buildEdgeReport(reason, exchange.request, body, written, ctx.now(), queueId));
}
