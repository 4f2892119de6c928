/**
 * The emulator's routes: the shared router (src/router) over the emulator's handler type; a
 * path that exists under other methods gives the allowed list (Okta's 405 E0000022). Route
 * files register themselves with `Router.add`, so a new API is a new file and one line in the
 * server's route list.
 */
import {
  type RouteMatch as PatternRouteMatch,
  Router as PatternRouter,
} from "../../router/index.js";
import type { RequestContext } from "./context.js";
import type { Reply } from "./reply.js";

/** Answers one route; throws `OktaApiError` to fail. */
export type RouteHandler = (context: RequestContext) => Reply | Promise<Reply>;

/** The result of {@link Router.match}. */
export type RouteMatch = PatternRouteMatch<RouteHandler>;

/**
 * The emulator's router.
 *
 * @example
 * const router = new Router().add("GET", "/api/v1/eventHooks/:id", getHook);
 */
export class Router extends PatternRouter<RouteHandler> {}
