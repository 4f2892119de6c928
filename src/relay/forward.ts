/**
 * Live forwarding: one public request becomes one stream to the online agent, and the app's
 * response comes back as it was sent.
 *
 * The response head is written with `writeHead(status, flatRawHeaders)`, which keeps the app's
 * header names, case, order and repeats; nothing is removed. Node adds only what the public
 * hop needs and the app did not say (`Connection`/`Keep-Alive`, and `Transfer-Encoding:
 * chunked` when the app gave no length); `Date` is not added (`sendDate = false`). The app's
 * own `Transfer-Encoding: chunked` is honoured by Node, which re-chunks the body bytes the
 * agent sends (the agent forwards the decoded body).
 *
 * No timeout here: the agent applies its own to the app, and the heartbeat catches a dead agent.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable, Transform } from "node:stream";
import type { Logger } from "../log/index.js";
import {
  ConnectionClosedError,
  type IncomingResponse,
  type OutgoingRequestStream,
  ProtocolError,
  StreamLimitError,
  StreamResetError,
} from "../protocol/index.js";
import { limitBody } from "./body.js";
import type { PublicRequest } from "./edge-report.js";
import { disconnectMessage, errorResponse, type RelayResponse, resetErrorCode } from "./errors.js";
import { sendResponse } from "./respond.js";
import type { AgentSession } from "./session.js";

/** One live request to forward. */
export interface LiveRequest {
  req: IncomingMessage;
  res: ServerResponse;
  session: AgentSession;
  request: PublicRequest;
  maxBodyBytes: number;
  /** The request's `Content-Length`, or null (then a body comes only if chunked). */
  declaredLength: number | null;
  logger: Logger;
}

/**
 * Forwards `req` to the agent and writes the app's response on `res`. Never rejects: every
 * failure becomes the relay's own answer (or, once the head left, a destroyed response).
 *
 * @example
 * await forwardLive({ req, res, session, request, maxBodyBytes: policy.maxBodyBytes,
 *   declaredLength, logger });
 */
export async function forwardLive(live: LiveRequest): Promise<void> {
  const { req, res, session, request, maxBodyBytes } = live;
  let tooLarge = false;
  let stream: OutgoingRequestStream | undefined;
  // The body, streamed: chunked ones through the limit; one with a Content-Length (already
  // checked against the limit, and cut by Node's parser at that length) as it is; none at all
  // without either (RFC 9112 §6.3), so a GET costs no stream objects.
  let body: Readable | null = null;
  let limiter: Transform | undefined;
  if (req.headers["transfer-encoding"] !== undefined) {
    limiter = limitBody(req, maxBodyBytes, () => {
      tooLarge = true;
    });
    body = limiter;
  } else if ((live.declaredLength ?? 0) > 0) {
    body = req;
    req.once("close", () => {
      if (!req.complete) stream?.reset("aborted", "the public client disconnected");
    });
  }
  try {
    stream = session.mux.openRequest(Object.assign({}, request, { origin: "live" as const }), body);
  } catch (error) {
    if (limiter !== undefined) {
      req.unpipe(limiter);
      limiter.destroy();
    }
    sendResponse(res, failureResponse(error, maxBodyBytes), { close: !req.complete });
    return;
  }
  const opened = stream;
  res.on("close", () => {
    if (!res.writableFinished) opened.reset("aborted", "the public client disconnected");
  });
  let response: IncomingResponse;
  try {
    response = await opened.response;
  } catch (error) {
    const failure = tooLarge
      ? errorResponse("body_too_large", `the body is larger than ${maxBodyBytes} bytes`)
      : failureResponse(error, maxBodyBytes);
    sendResponse(res, failure, { close: !req.complete });
    return;
  }
  writeAppResponse(live, opened, response);
}

function writeAppResponse(
  live: LiveRequest,
  stream: OutgoingRequestStream,
  response: IncomingResponse,
): void {
  const { req, res } = live;
  if (res.destroyed) {
    response.body.destroy();
    return;
  }
  try {
    res.sendDate = false;
    res.writeHead(response.status, response.rawHeaders.flat());
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    live.logger.warn("app response head refused by node", { reason });
    stream.reset("internal_error", "the relay could not write the app's response head");
    sendResponse(res, errorResponse("bad_response", "the app's response head is not valid HTTP"), {
      close: !req.complete,
    });
    return;
  }
  response.body.on("error", () => res.destroy());
  response.body.pipe(res);
}

/** The relay's answer for a stream that could not start or failed before the response head. */
function failureResponse(error: unknown, maxBodyBytes: number): RelayResponse {
  if (error instanceof StreamLimitError) {
    return errorResponse("agent_busy", "too many requests in flight for this endpoint");
  }
  if (error instanceof ConnectionClosedError) {
    return errorResponse("agent_disconnected", disconnectMessage(error));
  }
  if (error instanceof StreamResetError) {
    if (!error.remote && error.code === "body_too_large") {
      return errorResponse("body_too_large", `the body is larger than ${maxBodyBytes} bytes`);
    }
    const code = resetErrorCode(error.code);
    return errorResponse(
      code,
      `the agent could not complete the request (${error.code}): ${error.message}`,
    );
  }
  if (error instanceof ProtocolError) {
    return errorResponse("bad_request", `the request cannot be forwarded: ${error.message}`);
  }
  return errorResponse("internal_error", "the relay failed to forward the request");
}
