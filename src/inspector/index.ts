/**
 * @module
 * The inspector: a local HTTP API (127.0.0.1:4040 by default, Host-checked against DNS
 * rebinding, Origin-checked against CSRF) over the running tunnel and the capture store:
 * ngrok's agent API (`/api/tunnels`, `/api/requests/http`), hooktap's own history API
 * (`/api/exchanges` with filters, replay with modifications, a live stream, export and
 * import) and its OpenAPI document (`/api/openapi.json`).
 *
 * Imports `capture`, `okta` and `log`; never the agent: it reads an {@link InspectorSource}
 * and sends replays through a {@link Replayer}, both of which the CLI adapts the agent to.
 */

export type { NgrokTunnel } from "./api-routes.js";
export { ngrokTunnels } from "./api-routes.js";
export type { BodyView } from "./body-view.js";
export type { BodyDiff, DiffOptions, HeaderChange, ResponseDiff } from "./diff.js";
export { DEFAULT_DIFF_IGNORED_HEADERS, diffResponses, MAX_BODY_DIFF_BYTES } from "./diff.js";
export type { JsonChange, JsonDiff } from "./diff-json.js";
export { diffJson, MAX_JSON_CHANGES } from "./diff-json.js";
export { MAX_LINE_DIFF_CELLS, unifiedLineDiff } from "./diff-text.js";
export type {
  ExchangeDetail,
  ExchangeState,
  ExchangeSummary,
  RequestView,
  ResponseView,
} from "./exchange-view.js";
export { detailView, summaryView } from "./exchange-view.js";
export { allowedHosts, isAllowedHost } from "./host-check.js";
export type { ExchangeFilters } from "./list-params.js";
export { FILTER_PARAMETERS } from "./list-params.js";
export type { RequestModifications } from "./modify/apply.js";
export { applyModifications } from "./modify/apply.js";
export type { ModificationErrorCode, ModificationErrorOptions } from "./modify/errors.js";
export { ModificationError } from "./modify/errors.js";
export type { HeaderModifications } from "./modify/headers.js";
export { parseHeaderArg } from "./modify/headers.js";
export type { JsonEdit } from "./modify/json-edit.js";
export { parseJsonEdit } from "./modify/json-edit.js";
export type { JsonPathSegment } from "./modify/json-path.js";
export { formatJsonPath } from "./modify/json-path.js";
export type { NgrokCapturedRequest } from "./ngrok-view.js";
export { canonicalHeaderName, toNgrokRequest } from "./ngrok-view.js";
export { crossOriginRefusal } from "./origin-check.js";
export type { Problem, Reply } from "./problem.js";
export { ProblemError } from "./problem.js";
export { DEFAULT_MAX_IMPORT_BYTES, DEFAULT_MAX_REQUEST_BODY_BYTES } from "./request-body.js";
export type { RouteContext, RouteHandler, RouteInfo, RouteMatch } from "./router.js";
export { Router } from "./router.js";
export {
  createRouter,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_INSPECTOR_HOST,
  DEFAULT_INSPECTOR_PORT,
  startInspector,
} from "./server.js";
export type {
  Inspector,
  InspectorOptions,
  InspectorSource,
  Replayer,
  ReplayOutcome,
  ReplayRequest,
  SessionState,
  SourceStatus,
  TunnelInfo,
  TunnelMetrics,
} from "./types.js";
