import type { Router } from "../http/router.js";

/** Registers the emulator's own API under `/api/v1/hooktap/`. */
export function registerHooktapRoutes(_router: Router): void {}
