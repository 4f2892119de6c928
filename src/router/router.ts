/**
 * The router of hooktap's local HTTP APIs (the inspector, the Okta emulator): `METHOD
 * /path/:param` patterns; `HEAD` answered by `GET` routes; a path that exists under other
 * methods gives the allowed list, so each API answers 405 in its own format (a problem object,
 * Okta's E0000022). Generic over the handler: each API keeps its own handler type.
 */

/** A route as {@link Router.routes} lists it. */
export interface RouteInfo {
  method: string;
  /** E.g. `/api/exchanges/:id`. */
  pattern: string;
}

/** The result of {@link Router.match}. */
export type RouteMatch<H> =
  | { kind: "found"; handler: H; params: Record<string, string> }
  | { kind: "method_not_allowed"; allow: string[] }
  | { kind: "not_found" };

interface Route<H> extends RouteInfo {
  segments: string[];
  handler: H;
}

/**
 * Routes by method and path.
 *
 * @example
 * const router = new Router<() => string>().get("/api/tunnels/:name", () => "ok");
 * router.match("GET", "/api/tunnels/local"); // { kind: "found", params: { name: "local" }, … }
 */
export class Router<H> {
  readonly #routes: Route<H>[] = [];

  /** Adds a route; `HEAD` is answered by `GET` routes. */
  add(method: string, pattern: string, handler: H): this {
    this.#routes.push({
      method: method.toUpperCase(),
      pattern,
      segments: split(pattern),
      handler,
    });
    return this;
  }

  /** Adds a `GET` (and so `HEAD`) route. */
  get(pattern: string, handler: H): this {
    return this.add("GET", pattern, handler);
  }

  /** Every route, in the order added (for an OpenAPI document and its test). */
  routes(): RouteInfo[] {
    return this.#routes.map(({ method, pattern }) => ({ method, pattern }));
  }

  /** Finds the route for a request; a trailing slash is ignored, `:params` are decoded. */
  match(method: string, pathname: string): RouteMatch<H> {
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

/** The decoded `:params` when `path` fits `pattern`; null otherwise (or when a param is not valid percent-encoding). */
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
