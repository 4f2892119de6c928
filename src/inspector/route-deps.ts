/**
 * What the API's routes share: the tunnel source, the capture store, the replayer and the
 * limits, with defaults applied once (server.ts).
 */
import type { CaptureStore } from "../capture/index.js";
import type { Logger } from "../log/index.js";
import { ProblemError } from "./problem.js";
import type { InspectorSource, Replayer } from "./types.js";

/** The routes' view of the inspector's options. */
export interface RouteDeps {
  source: InspectorSource;
  capture: CaptureStore | null;
  replayer: Replayer | null;
  maxRequestBodyBytes: number;
  maxImportBytes: number;
  heartbeatMs: number;
  logger: Logger;
}

/**
 * The capture store, or a 503 problem when the inspector runs without one.
 *
 * @example
 * const store = needCapture(deps);
 */
export function needCapture(deps: RouteDeps): CaptureStore {
  if (deps.capture === null) {
    throw new ProblemError(
      503,
      "capture_unavailable",
      "this inspector has no capture store, so there is no history to read",
    );
  }
  return deps.capture;
}

/** The replayer, or a 503 problem when the inspector runs without one. */
export function needReplayer(deps: RouteDeps): Replayer {
  if (deps.replayer === null) {
    throw new ProblemError(
      503,
      "replay_unavailable",
      "this inspector cannot replay: it runs without a tunnel agent",
    );
  }
  return deps.replayer;
}
