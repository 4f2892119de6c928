/**
 * The emulator's router: `METHOD /path/:param` patterns; a path that exists under other
 * methods gives the allowed list (Okta's 405 E0000022). Route files register themselves with
 * {@link Router.add}, so a new API is a new file and one line in the server's route list.
 */

import type { RequestContext } from "./context.js";
import type { Reply } from "./reply.js";

/** Answers one route; throws `OktaApiError` to fail. */
export type RouteHandler = (context: RequestContext) => Reply | Promise<Reply>;

/** The result of {@link Router.match}. */
export type RouteMatch =
  | { kind: "found"; handler: RouteHandler; params: Record<string, string> }
  | { kind: "method_not_allowed"; allow: string[] }
  | { kind: "not_found" };

interface Route {
  method: string;
  segments: string[];
  handler: RouteHandler;
}

/**
 * Routes by method and path.
 *
 * @example
 * const router = new Router().add("GET", "/api/v1/eventHooks/:id", getHook);
 * router.match("GET", "/api/v1/eventHooks/who123"); // { kind: "found", params: { id: "who123" }, … }
 */
export class Router {
  readonly #routes: Route[] = [];

  /** Adds a route; `HEAD` is answered by `GET` routes. */
  add(method: string, pattern: string, handler: RouteHandler): this {
    this.#routes.push({ method: method.toUpperCase(), segments: split(pattern), handler });
    return this;
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
