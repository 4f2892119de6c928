/**
 * The inspector's routes: the shared router (src/router) over the inspector's handler type.
 * The API grows route by route (capture list, replay, live stream) without the server changing.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { type RouteMatch as PatternRouteMatch, Router as PatternRouter } from "../router/index.js";
import type { Reply } from "./problem.js";

/** What a route handler gets. */
export interface RouteContext {
  req: IncomingMessage;
  /** For routes that answer themselves (the live stream); the others return a {@link Reply}. */
  res: ServerResponse;
  url: URL;
  /** `:name` segments, decoded. */
  params: Readonly<Record<string, string>>;
}

/** Answers one route: a {@link Reply} to send, or null when it wrote the response itself. */
export type RouteHandler = (context: RouteContext) => Reply | null | Promise<Reply | null>;

export type { RouteInfo } from "../router/index.js";

/** The result of {@link Router.match}. */
export type RouteMatch = PatternRouteMatch<RouteHandler>;

/**
 * The inspector's router.
 *
 * @example
 * const router = new Router().get("/api/tunnels/:name", ({ params }) => ({ status: 200, body: params }));
 */
export class Router extends PatternRouter<RouteHandler> {}
