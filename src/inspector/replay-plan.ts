/**
 * From a captured exchange and the user's replay options to the request to send: the captured
 * request as it was, or with the modifications applied (src/inspector/modify), and where to.
 */
import type { CapturedRequest, Exchange } from "../capture/index.js";
import { applyModifications, type RequestModifications } from "./modify/apply.js";
import { ProblemError } from "./problem.js";
import type { ReplayPlan } from "./replay.js";
import { splitTarget } from "./replay.js";
import { modifiesRequest, type ReplayOptions } from "./replay-options.js";

/**
 * The plan for replaying `original` with `options`. Throws a 409 problem when the captured
 * body was cut by the capture limit and no new body replaces it: sending the first bytes only
 * would not be a replay.
 *
 * @example
 * const plan = replayPlan(original, parseReplayOptions(body));
 */
export function replayPlan(original: Exchange, options: ReplayOptions): ReplayPlan {
  const split = splitTarget(original.request.target);
  const base: CapturedRequest = { ...original.request, target: split.target };
  if (base.body.truncated && options.body === undefined) {
    throw new ProblemError(
      409,
      "body_truncated",
      `exchange ${original.id} kept only ${base.body.bytes.byteLength} of its ${base.body.size} body bytes (capture limit); replay it with a new body`,
    );
  }
  const request = modifiesRequest(options) ? modified(base, options) : base;
  return { original, request, to: options.to ?? split.to };
}

/** Throws `ModificationError` (a 400 problem) for an edit that does not fit the request. */
function modified(request: CapturedRequest, options: ReplayOptions): CapturedRequest {
  const mods: RequestModifications = {};
  if (options.method !== undefined) mods.method = options.method;
  if (options.path !== undefined) mods.path = options.path;
  if (options.headers !== undefined) mods.headers = options.headers;
  if (options.body !== undefined) mods.body = options.body;
  if (options.jsonEdits !== undefined) mods.jsonEdits = options.jsonEdits;
  return applyModifications(request, mods);
}
