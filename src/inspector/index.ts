/**
 * @module
 * The inspector: a local HTTP API (127.0.0.1:4040 by default, Host-checked against DNS
 * rebinding) over the running tunnel and the capture store. For now it serves ngrok's agent API
 * (`GET /api/tunnels`, `/api/tunnels/:name`) and `GET /api/status`, so scripts can find the
 * public URL; the capture list, replay and the web UI grow on the same router.
 *
 * Imports `capture` and `log`; never the agent: it reads an {@link InspectorSource} that the
 * CLI adapts the agent to.
 */

export type { NgrokTunnel } from "./api-routes.js";
export { ngrokTunnels } from "./api-routes.js";
export { allowedHosts, isAllowedHost } from "./host-check.js";
export type { Problem, Reply } from "./problem.js";
export type { RouteContext, RouteHandler, RouteMatch } from "./router.js";
export { Router } from "./router.js";
export {
  DEFAULT_INSPECTOR_HOST,
  DEFAULT_INSPECTOR_PORT,
  startInspector,
} from "./server.js";
export type {
  Inspector,
  InspectorOptions,
  InspectorSource,
  SessionState,
  SourceStatus,
  TunnelInfo,
  TunnelMetrics,
} from "./types.js";
