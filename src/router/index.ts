/**
 * `METHOD /path/:param` routing for hooktap's local HTTP APIs. Imports nothing of hooktap.
 */
export type { RouteInfo, RouteMatch } from "./router.js";
export { Router } from "./router.js";
