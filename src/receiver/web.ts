import { errorMessage } from "./error-message.js";
import type { ReceiverHeaders } from "./headers.js";
import { BodyTooLargeError, discardBody, readBody } from "./read-body.js";
import { errorResponse, payloadTooLargeResponse } from "./responses.js";
import type { Receiver, ReceiverResponse } from "./types.js";

function headersOf(request: Request): ReceiverHeaders {
  const headers: ReceiverHeaders = {};
  // `Headers` yields lower-case names and has already joined repeats with ", ".
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return headers;
}

function targetOf(request: Request): string {
  try {
    const url = new URL(request.url);
    return `${url.pathname}${url.search}`;
  } catch {
    return request.url;
  }
}

function toWebResponse(response: ReceiverResponse): Response {
  return new Response(response.body === "" ? null : response.body, {
    status: response.status,
    headers: response.headers,
  });
}

/**
 * Answers a Fetch API `Request` with the receiver: the core of the Hono adapter, usable as is
 * in any Fetch runtime (Bun, Deno, Cloudflare Workers, Next.js route handlers). The request
 * head is checked first (`receiver.precheck()`): a wrong method, a missing or wrong auth
 * header, a declared `content-length` above `maxBodyBytes` and every GET are answered with
 * the body stream cancelled unread. Only an authenticated POST's body is streamed, with the
 * `maxBodyBytes` limit, and cancelled past it (413). Fetch's `Headers` join a repeated header
 * with ", ", so a repeated auth header fails as a wrong value.
 *
 * @example
 * export default { fetch: (request: Request) => handleWebRequest(receiver, request) };
 */
export async function handleWebRequest(receiver: Receiver, request: Request): Promise<Response> {
  const { logger, maxBodyBytes } = receiver.options;
  const method = request.method;
  const url = targetOf(request);
  const headers = headersOf(request);
  try {
    const early = receiver.precheck({ method, url, headers });
    if (early !== null) {
      if (request.body !== null) discardBody(request.body);
      return toWebResponse(early);
    }
    const body =
      request.body === null ? new Uint8Array(0) : await readBody(request.body, maxBodyBytes);
    return toWebResponse(await receiver.handle({ method, url, headers, body }));
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      logger.warn("request rejected", { method, url, status: 413, error: error.message });
      return toWebResponse(payloadTooLargeResponse(maxBodyBytes));
    }
    logger.error("could not read the request", { method, url, error: errorMessage(error) });
    return toWebResponse(errorResponse(400, "bad_request", "the request body could not be read"));
  }
}
