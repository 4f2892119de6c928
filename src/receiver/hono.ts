import type { Receiver } from "./types.js";
import { handleWebRequest } from "./web.js";

/** The part of a Hono `Context` the handler uses (Hono itself is not imported). */
export interface HonoLikeContext {
  req: { raw: Request };
}

/** A Hono handler, structurally typed so `app.get/post/all()` accept it. */
export type HonoLikeHandler = (c: HonoLikeContext) => Promise<Response>;

/**
 * Mounts a receiver in Hono 4 (any runtime: `@hono/node-server`, Bun, Deno, Workers). It
 * reads the raw request itself, so put no body-consuming middleware before it.
 *
 * @example
 * import { Hono } from "hono";
 * const app = new Hono();
 * app.all("/okta/events", createHonoHandler(receiver));
 */
export function createHonoHandler(receiver: Receiver): HonoLikeHandler {
  return function oktaEventHookHonoHandler(c) {
    return handleWebRequest(receiver, c.req.raw);
  };
}
