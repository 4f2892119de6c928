/**
 * `GET /api/v1/hooktap/settings` and `POST` (a partial change): the delivery knobs in force —
 * batching, retry delay, daily quota, chaos. A change applies to events logged after it and is
 * kept in the org's database.
 */

import { OKTA_DAILY_EVENT_QUOTA } from "../delivery/quota.js";
import {
  DEFAULT_BATCH_WINDOW_MS,
  DEFAULT_MAX_BATCH_EVENTS,
  DEFAULT_RETRY_DELAY_MS,
} from "../delivery/settings.js";
import { checkKnobs, knobError, mergeKnobs } from "../dispatch/settings.js";
import type { RequestContext } from "../http/context.js";
import { ok, type Reply } from "../http/reply.js";
import { objectBody } from "./body.js";

/** Okta's values (or the emulator's where Okta documents none): what an absent knob means. */
export const DELIVERY_DEFAULTS = {
  batchWindowMs: DEFAULT_BATCH_WINDOW_MS,
  maxBatchEvents: DEFAULT_MAX_BATCH_EVENTS,
  retryDelayMs: DEFAULT_RETRY_DELAY_MS,
  dailyQuota: OKTA_DAILY_EVENT_QUOTA,
  chaos: { duplicateRate: 0, duplicateEnvelope: "same", reorder: false },
};

/** The knobs in force and the defaults. */
export function getSettings(context: RequestContext): Reply {
  return ok({ delivery: context.app.hooks.knobs(), defaults: DELIVERY_DEFAULTS });
}

/** `{delivery: {...}}`: each given field replaces the current one; `null` resets it. */
export async function changeSettings(context: RequestContext): Promise<Reply> {
  const body = objectBody(await context.readJson(), ["delivery"]);
  const change = objectBody(body.delivery ?? {}, [
    "batchWindowMs",
    "maxBatchEvents",
    "retryDelayMs",
    "dailyQuota",
    "chaos",
  ]);
  const { hooks } = context.app;
  let next: ReturnType<typeof checkKnobs>;
  try {
    next = checkKnobs(mergeKnobs(hooks.knobs(), change));
  } catch (error) {
    throw knobError(error);
  }
  hooks.setKnobs(next);
  return getSettings(context);
}
