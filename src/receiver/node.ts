import type { IncomingMessage, ServerResponse } from "node:http";
import { errorMessage } from "./error-message.js";
import { headersFromRawPairs } from "./headers.js";
import { BodyTooLargeError, discardBody, readBody } from "./read-body.js";
import { errorResponse, payloadTooLargeResponse } from "./responses.js";
import type { Receiver, ReceiverResponse } from "./types.js";

/** A `node:http` request listener, as `http.createServer` takes. */
export type NodeRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Mounts a receiver on `node:http` (or anything built on it: `https`, Express, Connect).
 * It answers every request it is given whatever the path: route before calling it. The
 * request head is checked first (`receiver.precheck()`): a wrong method, a missing or wrong
 * auth header, a declared `content-length` above `maxBodyBytes` and every GET are answered
 * without reading the body. Only an authenticated POST's body is read, with the
 * `maxBodyBytes` limit; an oversized body gets 413 without being buffered. An unread body is
 * discarded as it arrives, keeping the connection, so the answer is not lost.
 *
 * @example
 * import { createServer } from "node:http";
 * const receiver = createReceiver().on("user.lifecycle.create", (e) => console.log(e.uuid));
 * createServer(createNodeHandler(receiver)).listen(3000);
 */
export function createNodeHandler(receiver: Receiver): NodeRequestListener {
  return function oktaEventHookHandler(req, res) {
    void answerNodeRequest(receiver, req, res);
  };
}

/**
 * Answers a Node request with the receiver: the head first (`receiver.precheck()`), the body
 * only when the head passed. `presetBody` is used instead of reading the stream when a
 * framework already read it. Never rejects.
 */
export async function answerNodeRequest(
  receiver: Receiver,
  req: IncomingMessage,
  res: ServerResponse,
  presetBody?: Uint8Array,
): Promise<void> {
  const { logger, maxBodyBytes } = receiver.options;
  const method = req.method ?? "GET";
  const url = req.url ?? "/";
  const headers = headersFromRawPairs(req.rawHeaders);
  let response: ReceiverResponse;
  try {
    const early = receiver.precheck({ method, url, headers });
    if (early === null) {
      // Past precheck() the body is needed: createReceiver() lets only a sound POST through.
      const body = presetBody ?? (await readBody(req, maxBodyBytes));
      response = await receiver.handle({ method, url, headers, body });
    } else {
      if (presetBody === undefined) discardBody(req);
      response = early;
    }
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      logger.warn("request rejected", { method, url, status: 413, error: error.message });
      response = payloadTooLargeResponse(maxBodyBytes);
    } else {
      logger.error("could not read the request", { method, url, error: errorMessage(error) });
      response = errorResponse(400, "bad_request", "the request body could not be read");
    }
  }
  writeNodeResponse(res, response);
}

/**
 * Writes a receiver response on a Node `ServerResponse`, with its `content-length`.
 *
 * @example
 * writeNodeResponse(res, await receiver.handle(request));
 */
export function writeNodeResponse(res: ServerResponse, response: ReceiverResponse): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(response.status, {
    ...response.headers,
    "content-length": String(Buffer.byteLength(response.body)),
  });
  res.end(response.body);
}
