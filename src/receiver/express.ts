import type { IncomingMessage, ServerResponse } from "node:http";
import { answerNodeRequest } from "./node.js";
import type { Receiver } from "./types.js";

/** The part of an Express request the middleware uses (Express itself is not imported). */
export interface ExpressLikeRequest extends IncomingMessage {
  /** Set by a body parser that ran before the middleware, if any. */
  body?: unknown;
}

/** Express's `next`. */
export type ExpressLikeNext = (error?: unknown) => void;

/** An Express middleware, structurally typed so `app.use()` and `app.all()` accept it. */
export type ExpressLikeMiddleware = (
  req: ExpressLikeRequest,
  res: ServerResponse,
  next: ExpressLikeNext,
) => void;

/**
 * Mounts a receiver in Express 4 or 5 as the endpoint itself (it answers every request it
 * gets; it calls `next` only with an unexpected error).
 *
 * Best mounted before any body parser: it then checks the request head first
 * (`receiver.precheck()`) and answers a wrong method, a missing or wrong auth header, a
 * declared `content-length` above `maxBodyBytes` and every GET without reading the body; only
 * an authenticated POST's raw body is read, with `maxBodyBytes`. A parser mounted before it
 * reads every body, authenticated or not, before the receiver can refuse it.
 *
 * If a parser already ran, it uses `req.body` when it is a Buffer (`express.raw()`) or a
 * string (`express.text()`); when it is an already-parsed object (`express.json()`), it
 * re-serializes it with `JSON.stringify` and logs a debug line — the envelope is the same,
 * but `context.request.body` is not the bytes Okta sent, and the parser's own limit
 * (100 kB by default for `express.json()`) applies first.
 *
 * @example
 * import express from "express";
 * const app = express();
 * app.all("/okta/events", createExpressMiddleware(receiver));
 * app.use(express.json()); // after: the receiver reads its own raw body
 */
export function createExpressMiddleware(receiver: Receiver): ExpressLikeMiddleware {
  return function oktaEventHookMiddleware(req, res, next) {
    answerNodeRequest(receiver, req, res, bodyFromParser(receiver, req)).catch(next);
  };
}

function bodyFromParser(receiver: Receiver, req: ExpressLikeRequest): Uint8Array | undefined {
  const parsed = req.body;
  if (parsed instanceof Uint8Array) return parsed;
  if (typeof parsed === "string") return Buffer.from(parsed, "utf8");
  // body-parser sets `_body` once it has consumed the stream; `readableEnded` covers others.
  const consumed = req.readableEnded || (req as { _body?: unknown })._body === true;
  if (parsed === undefined || parsed === null || !consumed) return undefined;
  receiver.options.logger.debug(
    "request body was already parsed by another middleware; re-serializing it",
    { method: req.method, url: req.url },
  );
  return Buffer.from(JSON.stringify(parsed), "utf8");
}
