/**
 * Every API the emulator serves, one registration function per file. A new API is a new file
 * and one line here.
 */
import { registerEventHookRoutes } from "./event-hooks/routes.js";
import { registerGroupRoutes } from "./groups/routes.js";
import { registerHooktapRoutes } from "./hooktap-api/routes.js";
import type { Router } from "./http/router.js";
import { registerSystemLogRoutes } from "./system-log/routes.js";
import { registerUserRoutes } from "./users/routes.js";

/** Adds one API's routes to the router. */
export type RouteModule = (router: Router) => void;

/** The emulator's APIs, in registration order. */
export const ROUTE_MODULES: readonly RouteModule[] = [
  registerEventHookRoutes,
  registerSystemLogRoutes,
  registerUserRoutes,
  registerGroupRoutes,
  registerHooktapRoutes,
];
