import type { IncomingMessage, ServerResponse } from "node:http";
import { errorMessage } from "./error-message.js";
import { declaredLength, headersFromRawPairs } from "./headers.js";
import { BodyTooLargeError, readBody } from "./read-body.js";
import { errorResponse, payloadTooLargeResponse } from "./responses.js";
import type { Receiver, ReceiverResponse } from "./types.js";

/** A `node:http` request listener, as `http.createServer` takes. */
export type NodeRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Mounts a receiver on `node:http` (or anything built on it: `https`, Express, Connect).
 * It answers every request it is given whatever the path: route before calling it. The
 * body is read only for POST, with the `maxBodyBytes` limit; an oversized body gets 413
 * without being buffered (its rest is discarded as it arrives, keeping the connection).
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
 * Answers a Node request with the receiver; `presetBody` is used instead of reading the
 * stream when a framework already read it. Never rejects.
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
    let body = presetBody ?? new Uint8Array(0);
    if (presetBody === undefined && method.toUpperCase() === "POST") {
      const declared = declaredLength(headers);
      if (declared !== undefined && declared > maxBodyBytes) {
        throw new BodyTooLargeError(maxBodyBytes, declared);
      }
      body = await readBody(req, maxBodyBytes);
    }
    response = await receiver.handle({ method, url, headers, body });
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
