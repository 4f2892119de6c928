/**
 * ngrok's captured-request API, so scripts written for ngrok's agent work unchanged:
 * `GET /api/requests/http` (`limit`, `tunnel_name`), `GET /api/requests/http/:id`,
 * `POST /api/requests/http` `{id, tunnel_name?}` (replay, 204) and `DELETE /api/requests/http`
 * (clear, 204). Replays go through the same path as hooktap's own replay, so each is an
 * exchange of its own in the history.
 */
import { MAX_LIST_LIMIT } from "../capture/index.js";
import { clientGone, findExchange } from "./exchange-routes.js";
import { parseLimit, queryParams } from "./list-params.js";
import { toNgrokRequest } from "./ngrok-view.js";
import { ProblemError } from "./problem.js";
import { replayExchange } from "./replay.js";
import { replayPlan } from "./replay-plan.js";
import { expectObject, readJsonOrForm } from "./request-body.js";
import { needCapture, needReplayer, type RouteDeps } from "./route-deps.js";
import type { Router } from "./router.js";

/** ngrok's default page: its inspector keeps (and lists) the last 50 requests. */
const NGROK_DEFAULT_LIMIT = 50;

/** The endpoint of a tunnel name as `/api/tunnels` shows it (`local (2)` is `local`'s second URL). */
function endpointOf(deps: RouteDeps, tunnelName: string): string | null {
  const tunnels = deps.source.status().tunnels;
  if (tunnels.some((t) => t.name === tunnelName)) return tunnelName;
  const base = /^(.*) \(\d+\)$/.exec(tunnelName)?.[1];
  return base !== undefined && tunnels.some((t) => t.name === base) ? base : null;
}

/**
 * Adds ngrok's request routes to `router`.
 *
 * @example
 * addNgrokRoutes(new Router(), deps);
 */
export function addNgrokRoutes(router: Router, deps: RouteDeps): Router {
  return router
    .get("/api/requests/http", ({ url }) => {
      const params = queryParams(url, ["limit", "tunnel_name"]);
      const limit = params.get("limit");
      const tunnelName = params.get("tunnel_name");
      const endpoint =
        tunnelName === undefined ? undefined : (endpointOf(deps, tunnelName) ?? tunnelName);
      const page = needCapture(deps).list({
        limit: limit === undefined ? NGROK_DEFAULT_LIMIT : parseLimit(limit, MAX_LIST_LIMIT),
        ...(endpoint === undefined ? {} : { endpoint }),
      });
      return {
        status: 200,
        body: { uri: "/api/requests/http", requests: page.items.map(toNgrokRequest) },
      };
    })
    .get("/api/requests/http/:id", ({ params, url }) => {
      queryParams(url, []);
      return { status: 200, body: toNgrokRequest(findExchange(deps, params.id ?? "")) };
    })
    .add("POST", "/api/requests/http", async (context) => {
      const input = expectObject(
        await readJsonOrForm(context.req, deps.maxRequestBodyBytes),
        "the replay request",
      );
      const { id, tunnel_name: tunnelName } = input;
      if (typeof id !== "string" || id === "") {
        throw new ProblemError(400, "invalid_body", "id must be the id of a captured request", {
          field: "id",
        });
      }
      if (tunnelName !== undefined && typeof tunnelName !== "string") {
        throw new ProblemError(400, "invalid_body", "tunnel_name must be a string", {
          field: "tunnel_name",
        });
      }
      const original = findExchange(deps, id);
      const replayer = needReplayer(deps);
      let tunnel: string | undefined;
      if (tunnelName !== undefined && tunnelName !== "") {
        tunnel = endpointOf(deps, tunnelName) ?? undefined;
        if (tunnel === undefined) {
          throw new ProblemError(404, "tunnel_not_found", `no tunnel named '${tunnelName}'`, {
            field: "tunnel_name",
          });
        }
      }
      const plan = replayPlan(original, { to: null });
      await replayExchange(
        { capture: needCapture(deps), replayer, tunnels: () => deps.source.status().tunnels },
        tunnel === undefined ? plan : { ...plan, tunnel },
        clientGone(context),
      );
      return { status: 204, body: null };
    })
    .add("DELETE", "/api/requests/http", ({ url }) => {
      queryParams(url, []);
      needCapture(deps).clear();
      return { status: 204, body: null };
    });
}
