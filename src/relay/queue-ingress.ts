/**
 * Accepting a request into the durable queue: read the whole body (up to the endpoint's
 * limit), store it, and only then answer the sender 200, so that every 200 the relay gave is
 * on disk (design principle 2). Delivery happens later (queue-worker.ts).
 */
import { BodyTooLargeError, ClientAbortedError, readBody } from "./body.js";
import { errorResponse, queuedResponse } from "./errors.js";
import { answerAtEdge, type Exchange, type IngressContext } from "./exchange.js";
import { sendResponse } from "./respond.js";
import { StoreError } from "./store/index.js";

/**
 * Stores `exchange`'s request for later delivery and answers 200 with an empty body (Okta
 * ignores it) and `hooktap-queue-id`. Never rejects.
 *
 * @example
 * await acceptIntoQueue(ctx, exchange);
 */
export async function acceptIntoQueue(ctx: IngressContext, exchange: Exchange): Promise<void> {
  const { req, res, request, policy, endpoint } = exchange;
  let body: Buffer;
  try {
    body = await readBody(req, policy.maxBodyBytes);
  } catch (error) {
    if (error instanceof ClientAbortedError) return;
    if (!(error instanceof BodyTooLargeError)) throw error;
    const response = errorResponse(
      "body_too_large",
      `the body is larger than ${policy.maxBodyBytes} bytes`,
    );
    answerAtEdge(ctx, exchange, "too_large", response, { unread: exchange.declaredLength ?? 0 });
    return;
  }
  let queueId: string;
  try {
    const item = await ctx.store.enqueue(
      {
        endpoint,
        method: request.method,
        target: request.target,
        httpVersion: request.httpVersion,
        rawHeaders: request.rawHeaders,
        body,
        remoteAddress: request.remoteAddress,
        receivedAt: request.receivedAt,
      },
      { ttlMs: ctx.queueTtlMs },
    );
    queueId = item.id;
  } catch (error) {
    ctx.logger.error("request not queued", {
      endpoint,
      error: error instanceof Error ? error.message : String(error),
    });
    const released = error instanceof StoreError && error.code === "not_found";
    sendResponse(
      res,
      released
        ? errorResponse("unknown_endpoint", `no endpoint ${endpoint} on this relay`)
        : errorResponse("queue_unavailable", "the relay could not store the request; retry later"),
    );
    return;
  }
  answerAtEdge(ctx, exchange, "queued", queuedResponse(queueId), { bytes: body }, queueId);
  ctx.onEnqueued(endpoint);
}
