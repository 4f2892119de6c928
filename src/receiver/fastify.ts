import type { IncomingMessage } from "node:http";
import { headersFromRawPairs } from "./headers.js";
import { errorResponse, payloadTooLargeResponse } from "./responses.js";
import type { Receiver, ReceiverRequestHead, ReceiverResponse } from "./types.js";

// Structural stand-ins for the few Fastify types used, so that src/ imports nothing from
// Fastify (an optional peer dependency). Method syntax keeps them assignable from the real
// `FastifyInstance`, `FastifyRequest` and `FastifyReply`.

/** The part of a Fastify request the plugin uses. */
export interface FastifyLikeRequest {
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
  readonly raw: IncomingMessage;
}

/** The part of a Fastify reply the plugin uses. */
export interface FastifyLikeReply {
  code(statusCode: number): FastifyLikeReply;
  headers(values: Record<string, string>): FastifyLikeReply;
  send(payload?: unknown): FastifyLikeReply;
}

/** An error as Fastify hands it to an error handler. */
export interface FastifyLikeError extends Error {
  statusCode?: number;
  code?: string;
}

/** The part of a Fastify instance the plugin uses. */
export interface FastifyLikeInstance {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(
    contentType: string,
    options: { parseAs: "buffer"; bodyLimit: number },
    parser: (
      request: never,
      body: Buffer,
      done: (error: Error | null, body?: unknown) => void,
    ) => void,
  ): void;
  setErrorHandler(
    handler: (
      error: FastifyLikeError,
      request: FastifyLikeRequest,
      reply: FastifyLikeReply,
    ) => void,
  ): unknown;
  route(options: {
    method: string[];
    url: string;
    exposeHeadRoute: boolean;
    onRequest(request: FastifyLikeRequest, reply: FastifyLikeReply): Promise<unknown>;
    handler(request: FastifyLikeRequest, reply: FastifyLikeReply): Promise<unknown>;
  }): unknown;
}

/** Options of {@link fastifyReceiver}. */
export interface FastifyReceiverOptions {
  /**
   * Path of the endpoint inside the plugin's scope; combine with Fastify's `prefix`.
   * @default "/"
   */
  path?: string;
}

/** A Fastify plugin (async form), as `app.register()` takes. */
export type FastifyLikePlugin = (instance: FastifyLikeInstance, options: unknown) => Promise<void>;

// Every method Fastify 5 routes by default: the receiver answers the others with 405.
const ROUTED_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"];

function send(reply: FastifyLikeReply, response: ReceiverResponse): FastifyLikeReply {
  // A Buffer is sent as is; a string would get "; charset=utf-8" appended to its content-type.
  // An empty acknowledgement is sent without payload, so no content-type is invented.
  const replied = reply.code(response.status).headers(response.headers);
  return response.body === "" ? replied.send() : replied.send(Buffer.from(response.body, "utf8"));
}

function headOf(request: FastifyLikeRequest): ReceiverRequestHead {
  return {
    method: request.method,
    url: request.url,
    headers: headersFromRawPairs(request.raw.rawHeaders),
  };
}

/**
 * Mounts a receiver in Fastify 4 or 5 as an encapsulated plugin. Inside its own scope it
 * replaces every content-type parser with one returning the raw `Buffer` (any content type;
 * Fastify's `bodyLimit` set to `maxBodyBytes`, so an oversized body gets the receiver's 413
 * JSON), and routes every method on `path` (default `/`) to the receiver; the rest of the
 * app keeps its own parsers. Give the mount path with Fastify's `prefix` register option.
 *
 * The route's `onRequest` hook checks the request head (`receiver.precheck()`) before Fastify
 * parses anything: a wrong method, a missing or wrong auth header, a declared
 * `content-length` above `maxBodyBytes` and every GET are answered without reading the body.
 *
 * @example
 * import Fastify from "fastify";
 * const app = Fastify();
 * await app.register(fastifyReceiver(receiver), { prefix: "/okta/events" });
 */
export function fastifyReceiver(
  receiver: Receiver,
  options: FastifyReceiverOptions = {},
): FastifyLikePlugin {
  const path = options.path ?? "/";
  if (!path.startsWith("/")) throw new TypeError(`path must start with "/", got "${path}"`);
  const { logger, maxBodyBytes } = receiver.options;
  return async function oktaEventHookPlugin(app) {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      "*",
      { parseAs: "buffer", bodyLimit: maxBodyBytes },
      (_request, body, done) => done(null, body),
    );
    app.setErrorHandler((error, request, reply) => {
      const status = error.statusCode ?? 500;
      logger.warn("request rejected", {
        method: request.method,
        url: request.url,
        status,
        error: error.message,
      });
      if (status === 413) send(reply, payloadTooLargeResponse(maxBodyBytes));
      else if (status >= 400 && status < 500)
        send(reply, errorResponse(status, "bad_request", error.message));
      else
        send(
          reply,
          errorResponse(500, "internal_error", "the receiver failed to process the request"),
        );
    });
    app.route({
      method: ROUTED_METHODS,
      url: path,
      exposeHeadRoute: false,
      // A route-level hook runs before the content-type parser: returning the sent reply ends
      // Fastify's lifecycle there, so a refused request's body is never parsed.
      async onRequest(request, reply) {
        const early = receiver.precheck(headOf(request));
        return early === null ? undefined : send(reply, early);
      },
      async handler(request, reply) {
        const body = request.body instanceof Uint8Array ? request.body : new Uint8Array(0);
        return send(reply, await receiver.handle({ ...headOf(request), body }));
      },
    });
  };
}
