/**
 * The emulator's own API under `/api/v1/hooktap/` (docs/api.md, "Okta emulator API"): what
 * Okta offers only in its Admin Console (Preview, a delivery log) or not at all (trigger, the
 * delivery knobs, a sign-in without a browser). Same token, errors and headers as Okta's APIs.
 */
import type { Router } from "../http/router.js";
import { listDeliveries } from "./deliveries-route.js";
import { previewRoute } from "./preview.js";
import { changeSettings, getSettings } from "./settings-route.js";
import { signInRoute } from "./sign-in.js";
import { triggerRoute } from "./trigger.js";

const BASE = "/api/v1/hooktap";

/** Registers the emulator's own API. */
export function registerHooktapRoutes(router: Router): void {
  router
    .add("GET", `${BASE}/settings`, getSettings)
    .add("POST", `${BASE}/settings`, changeSettings)
    .add("GET", `${BASE}/eventHooks/:id/deliveries`, listDeliveries)
    .add("POST", `${BASE}/eventHooks/:id/preview`, previewRoute)
    .add("POST", `${BASE}/trigger`, triggerRoute)
    .add("POST", `${BASE}/sign-in`, signInRoute);
}
