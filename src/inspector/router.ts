/**
 * A small router for the inspector's JSON API: `METHOD /path/:param` patterns, 405 with
 * `Allow` when the path exists under another method. The API grows route by route (capture
 * list, replay, live stream) without the server changing.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
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

/** A route as {@link Router.routes} lists it. */
export interface RouteInfo {
  method: string;
  /** E.g. `/api/exchanges/:id`. */
  pattern: string;
}

/** The result of {@link Router.match}. */
export type RouteMatch =
  | { kind: "found"; handler: RouteHandler; params: Record<string, string> }
  | { kind: "method_not_allowed"; allow: string[] }
  | { kind: "not_found" };

interface Route {
  method: string;
  pattern: string;
  segments: string[];
  handler: RouteHandler;
}

/**
 * Routes by method and path.
 *
 * @example
 * const router = new Router().get("/api/tunnels/:name", ({ params }) => ({ status: 200, body: params }));
 * router.match("GET", "/api/tunnels/local"); // { kind: "found", params: { name: "local" }, … }
 */
export class Router {
  readonly #routes: Route[] = [];

  /** Adds a route; `HEAD` is answered by `GET` routes. */
  add(method: string, pattern: string, handler: RouteHandler): this {
    this.#routes.push({
      method: method.toUpperCase(),
      pattern,
      segments: split(pattern),
      handler,
    });
    return this;
  }

  /** Every route, in the order added (for the OpenAPI document and its test). */
  routes(): RouteInfo[] {
    return this.#routes.map(({ method, pattern }) => ({ method, pattern }));
  }

  get(pattern: string, handler: RouteHandler): this {
    return this.add("GET", pattern, handler);
  }

  /** Finds the route for a request; a trailing slash is ignored. */
  match(method: string, pathname: string): RouteMatch {
    const segments = split(pathname);
    const wanted = method.toUpperCase() === "HEAD" ? "GET" : method.toUpperCase();
    const allow = new Set<string>();
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, segments);
      if (params === null) continue;
      if (route.method === wanted) return { kind: "found", handler: route.handler, params };
      allow.add(route.method);
    }
    if (allow.size === 0) return { kind: "not_found" };
    if (allow.has("GET")) allow.add("HEAD");
    return { kind: "method_not_allowed", allow: [...allow].sort() };
  }
}

/** Path segments, still percent-encoded. */
function split(path: string): string[] {
  return path.split("/").filter((segment) => segment !== "");
}

function matchSegments(pattern: string[], path: string[]): Record<string, string> | null {
  if (pattern.length !== path.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of pattern.entries()) {
    const actual = path[i] ?? "";
    if (part.startsWith(":")) {
      try {
        params[part.slice(1)] = decodeURIComponent(actual);
      } catch {
        return null;
      }
    } else if (part !== actual) {
      return null;
    }
  }
  return params;
}
